package io.lanewise.spark.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The Spark session a command runs in: local mode unless a master is given or spark-submit set one. */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit sets, else local[*]: every core of this machine).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, as spark-submit's --conf; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--verbose-spark", description = "Show Spark's INFO log (default: warnings only).")
    boolean verbose;

    /** A command's session; closing stops it only if the command started it (not one a caller already runs). */
    record Session(SparkSession spark, boolean started) implements AutoCloseable {
        @Override
        public void close() {
            if (started) {
                spark.stop();
            }
        }
    }

    Session start(String appName) {
        boolean running = SparkSession.getDefaultSession().isDefined();
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            // local mode: this machine only, loopback only, no web UI
            builder.master("local[*]").config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.forEach(builder::config);
        return new Session(builder.getOrCreate(), !running);
    }
}
