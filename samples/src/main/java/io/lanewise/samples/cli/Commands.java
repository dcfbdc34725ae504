package io.lanewise.samples.cli;

import io.lanewise.io.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command and how errors are reported: one clear line, no stack trace, exit status 1. */
@Command(name = "lanewise", mixinStandardHelpOptions = true, version = "Lanewise 0.1.0",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ServeCommand.class, BenchCommand.class},
        description = "Train and serve multi-layer perceptrons on the JVM. With no command: train on the embedded digits.")
public final class Commands {
    private Commands() {
    }

    /** The configured command line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Commands());
        // bench hands the arguments it does not know (JMH's options) to JMH, in order.
        cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof FileSystemException f && f.getFile() != null) {
                commandLine.getErr().println("lanewise " + commandLine.getCommandName() + ": " + f.getFile() + ": "
                        + FileErrors.reason(f));
                return 1;
            }
            if (cause instanceof IOException || cause instanceof IllegalArgumentException
                    || cause instanceof IllegalStateException) {
                commandLine.getErr().println("lanewise " + commandLine.getCommandName() + ": " + cause.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
