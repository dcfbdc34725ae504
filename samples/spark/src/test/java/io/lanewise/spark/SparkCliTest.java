package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.io.ModelFiles;
import io.lanewise.nn.Network;
import io.lanewise.spark.cli.SparkMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lanewise spark train} and {@code score} in this JVM, on the shared session (which they leave running). */
class SparkCliTest {
    private record Run(int status, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = SparkMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void trainsOnTheDigitsThenScoresATableWithTheModel(@TempDir Path dir) throws Exception {
        TestSpark.session();
        Path model = dir.resolve("digits.safetensors");
        Run train = run("train", "--input", "digits", "--epochs", "2", "--batch", "64", "--layers", "32", "--model",
                model.toString());
        assertEquals(0, train.status(), train.err());
        try (Network network = ModelFiles.load(model)) {
            assertEquals(64, network.spec().inputWidth());
            assertEquals(32, network.spec().layers().getFirst().width());
        }
        String table = dir.resolve("rows.parquet").toString();
        TestSpark.frame(TestSpark.digits(), 2).limit(300).write().parquet(table);
        String scored = dir.resolve("scored.parquet").toString();
        Run score = run("score", "--model", model.toString(), "--input", table, "--output", scored);
        assertEquals(0, score.status(), score.err());
        var rows = TestSpark.session().read().parquet(scored);
        assertEquals(List.of("features", "label", "prediction", "probability", "rawPrediction"), Arrays.asList(rows.columns()));
        assertEquals(300, rows.count());
        assertTrue(TestSpark.session().sparkContext().isStopped() == false, "the caller's session keeps running");
        List<Row> predictions = rows.select("prediction").collectAsList();
        assertTrue(predictions.stream().allMatch(r -> r.getDouble(0) >= 0 && r.getDouble(0) < 10));
    }

    @Test
    void reportsAMissingModelFileOrInputInOneLine(@TempDir Path dir) {
        String model = dir.resolve("absent.safetensors").toString();
        Run missingModel = run("score", "--model", model, "--input", dir.resolve("in.parquet").toString(), "--output",
                dir.resolve("out.parquet").toString());
        assertEquals(1, missingModel.status());
        assertEquals("lanewise spark score: model file '" + model + "' does not exist", missingModel.err().strip());
        Run badOptimizer = run("train", "--optimizer", "rmsprop", "--epochs", "1", "--model", dir.resolve("m").toString());
        assertEquals(1, badOptimizer.status());
        assertEquals("lanewise spark train: --optimizer must be adam, adamw or sgd, got 'rmsprop'", badOptimizer.err().strip());
        assertTrue(Files.notExists(dir.resolve("m")));
    }
}
