package io.lanewise.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: train on the embedded digits, evaluate and predict with the saved model, bad input. */
class CommandsTest {
    @TempDir
    Path dir;

    private static double accuracy(String text, String label) {
        Matcher m = Pattern.compile(label + ": (\\d\\.\\d{4})").matcher(text);
        assertTrue(m.find(), "no '" + label + "' line in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsOnTheEmbeddedDigitsThenEvaluatesAndPredictsWithTheSavedModel() throws IOException {
        Path model = dir.resolve("digits.safetensors");
        Path chart = dir.resolve("digits.png");
        CliRun train = CliRun.of("train", "--no-progress", "--model", model.toString(), "--chart", chart.toString());
        assertEquals(0, train.status(), train.err());
        double accuracy = accuracy(train.out(), "test accuracy");
        assertTrue(accuracy >= 0.97, "digits test accuracy " + accuracy + " below the 97% target\n" + train.out());
        assertTrue(train.out().contains("epoch  20/20"), train.out());
        assertTrue(train.out().matches("(?s).*\\nwarm-up of the evaluation: [0-9,]+ calls in \\d+ ms, .*"
                        + "\\nwarm-up of the training step: [0-9,]+ calls in \\d+ ms, .*\\nepoch   1/20 .*"),
                "the warm-ups are reported before the first epoch:\n" + train.out());
        assertTrue(Files.size(model) > 0);
        byte[] png = Files.readAllBytes(chart);
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "chart is not a PNG");

        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString());
        assertEquals(0, evaluate.status(), evaluate.err());
        assertTrue(accuracy(evaluate.out(), "accuracy") > 0.97, evaluate.out());
        assertTrue(evaluate.out().contains("confusion matrix"), evaluate.out());

        Path rows = dir.resolve("rows.csv");
        Files.writeString(rows, "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,"
                + "0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0\n".replace("13", "0.8125"));
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", rows.toString());
        assertEquals(0, predict.status(), predict.err());
        assertTrue(predict.out().matches("0,\\d,[^\\n]*\\n?"), predict.out());
    }

    @Test
    void badDataGivesOneClearLineNamingTheFileAndLine() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,0\n3,x,1\n");
        CliRun train = CliRun.of("train", "--no-progress", "--data", csv.toString(), "--epochs", "1");
        assertEquals(1, train.status());
        assertTrue(train.err().contains("bad.csv:2: column 2 'x' is not a number"), train.err());

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "1,2,0\n3,1\n");
        CliRun r = CliRun.of("train", "--no-progress", "--data", ragged.toString(), "--epochs", "1");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("ragged.csv:2:"), r.err());

        CliRun missing = CliRun.of("evaluate", "--model", dir.resolve("none.safetensors").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("none.safetensors"), missing.err());
    }

    @Test
    void aModelWhoseInputWidthDoesNotMatchTheDataIsRejected() throws IOException {
        Path csv = dir.resolve("small.csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            rows.append(i % 3).append(',').append(i % 5).append(',').append(i % 2).append('\n');
        }
        Files.writeString(csv, rows.toString());
        Path model = dir.resolve("small.safetensors");
        CliRun train = CliRun.of("train", "--no-progress", "--data", csv.toString(), "--epochs", "2", "--layers", "4",
                "--model", model.toString(), "--chart", dir.resolve("c.png").toString());
        assertEquals(0, train.status(), train.err());
        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString());
        assertEquals(1, evaluate.status());
        assertTrue(evaluate.err().contains("takes 2 features per row but the data has 64"), evaluate.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"train", "evaluate", "predict"}) {
            CliRun help = CliRun.of(command, "--help");
            assertEquals(0, help.status());
            assertTrue(help.out().contains("Usage: lanewise " + command), help.out());
        }
    }

    @Test
    void aNegativeWarmUpIsRefused() {
        CliRun train = CliRun.of("train", "--no-progress", "--warm-up", "-1", "--epochs", "1");
        assertEquals(1, train.status());
        assertTrue(train.err().contains("--warm-up must be 0 or a positive number of seconds, got -1.0"), train.err());
    }
}
