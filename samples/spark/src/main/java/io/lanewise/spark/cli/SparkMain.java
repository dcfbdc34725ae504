package io.lanewise.spark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.SparkException;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lanewise spark score|train}: batch scoring and data-parallel training on Apache Spark, in local mode by
 * default ({@code --master local[*]}), or on a cluster under {@code spark-submit}, which sets the master itself.
 * Errors print as one line naming the column or file, exit status 1.
 */
@Command(name = "lanewise spark", mixinStandardHelpOptions = true, version = "Lanewise 0.1.0",
        subcommands = {ScoreCommand.class, TrainCommand.class, MeasureCommand.class},
        description = "Score a table with a Lanewise model, or train one, on Apache Spark (local mode by default).")
public final class SparkMain {
    private SparkMain() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            // before anything logs: Spark otherwise installs its own INFO-level profile
            System.setProperty("log4j2.configurationFile", "io/lanewise/spark/cli/log4j2-cli.properties");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = rootCause(e);
            if (cause instanceof IOException || cause instanceof IllegalArgumentException
                    || cause instanceof IllegalStateException || cause instanceof AnalysisException) {
                commandLine.getErr().println("lanewise spark " + commandLine.getCommandName() + ": " + cause.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    /** The error a user can act on: inside Spark's job-failure and unchecked-I/O wrappers. */
    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof SparkException || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
