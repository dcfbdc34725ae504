package io.lanewise.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /** 40 rows of two features; labels alternate between those given. */
    private Path smallCsv(String name, int... labels) throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            rows.append(i % 3).append(',').append(i % 5).append(',').append(labels[i % labels.length]).append('\n');
        }
        return Files.writeString(dir.resolve(name), rows.toString());
    }

    private CliRun trainSmall(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--no-progress", "--data",
                csv.toString(), "--epochs", "1", "--layers", "4", "--model", dir.resolve("m.safetensors").toString(),
                "--chart", dir.resolve("m.png").toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void aLabelColumnByNameNeedsAHeader() throws IOException {
        Path csv = Files.writeString(dir.resolve("named.csv"), "a,b,class\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n");
        CliRun noHeader = CliRun.of("train", "--no-progress", "--data", csv.toString(), "--label-column", "class");
        assertEquals(1, noHeader.status(), noHeader.out());
        assertTrue(noHeader.err().contains("--label-column 'class' names a column, which needs --header"), noHeader.err());
    }

    @Test
    void threadCountsAreBoundedAndAboveTheProcessorsWarned() throws IOException {
        Path csv = smallCsv("threads.csv", 0, 1);
        CliRun many = trainSmall(csv, "--threads", "1000");
        assertEquals(1, many.status());
        assertTrue(many.err().contains("--threads must be 1..256, got 1000"), many.err());
        assertTrue(many.out().isEmpty(), "refused before any work: " + many.out());
        int more = Runtime.getRuntime().availableProcessors() + 1;
        CliRun over = trainSmall(csv, "--threads", Integer.toString(more));
        assertEquals(0, over.status(), over.err());
        assertTrue(over.err().contains("warning: --threads " + more + " is more than the"), over.err());
    }

    @Test
    void anUnwritableModelPathIsFoundBeforeTrainingAndSaysWhy() throws IOException {
        Path csv = smallCsv("unwritable.csv", 0, 1);
        Path model = dir.resolve("no-such-folder").resolve("m.safetensors");
        CliRun train = CliRun.of("train", "--no-progress", "--data", csv.toString(), "--epochs", "1", "--layers", "4",
                "--model", model.toString());
        assertEquals(1, train.status());
        assertTrue(train.err().contains(model + ": cannot be written: its folder " + model.getParent() + " does not exist"),
                train.err());
        assertTrue(!train.out().contains("epoch"), "no training before the check: " + train.out());
    }

    @Test
    void labelsThatNeverOccurAreWarnedOf() throws IOException {
        CliRun train = trainSmall(smallCsv("gaps.csv", 0, 5));
        assertEquals(0, train.status(), train.err());
        assertTrue(train.err().contains("warning: 4 of the 6 classes (labels 0..5) never occur in the training rows: "
                + "1, 2, 3, 4"), train.err());
    }

    @Test
    void predictRefusesWhatTrainingRefusesAndAnEmptyInput() throws IOException {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, trainSmall(smallCsv("p.csv", 0, 1)).status());
        String[][] cases = {
            {"NaN,1", ":1: column 1 'NaN' is not a number"},
            {"1,Infinity", ":1: column 2 'Infinity' is not a number"},
            {"1e39,1", ":1: column 1 '1e39' is out of the float range"},
            {"0x1p3,1", ":1: column 1 '0x1p3' is not a number"},
            {"1f,1", ":1: column 1 '1f' is not a number"},
            {"1,2,3", ":1: expected 2 features (the model's input width), got 3"},
            {"\n\n", ": no rows to predict"},
        };
        for (String[] c : cases) {
            Path input = Files.writeString(dir.resolve("in.csv"), c[0] + "\n");
            CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", input.toString());
            assertEquals(1, predict.status(), c[0] + ": " + predict.out());
            assertTrue(predict.err().contains(input + c[1]), c[0] + ": " + predict.err());
            assertTrue(predict.out().isEmpty(), c[0] + ": " + predict.out());
        }
        Path quoted = Files.writeString(dir.resolve("quoted.csv"), "\"x\",\"y, in metres\"\n\"1\",\"2.5\"\n");
        CliRun ok = CliRun.of("predict", "--model", model.toString(), "--input", quoted.toString(), "--header");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().matches("0,[01],[^,\\n]+,[^,\\n]+\\R"), ok.out());
    }

    @Test
    void aMissingFileOrAFolderSaysWhatIsWrongAndNamesThePath() throws IOException {
        Path missing = dir.resolve("none.safetensors");
        CliRun model = CliRun.of("evaluate", "--model", missing.toString());
        assertEquals(1, model.status());
        assertTrue(model.err().contains(missing + ": cannot be read as a safetensors file: no such file or directory"),
                model.err());
        CliRun folder = CliRun.of("evaluate", "--model", dir.toString());
        assertTrue(folder.err().contains(dir + ": is a directory, not a safetensors file"), folder.err());
        Path csv = dir.resolve("none.csv");
        CliRun data = CliRun.of("train", "--no-progress", "--data", csv.toString(), "--model", dir.resolve("x").toString());
        assertTrue(data.err().contains(csv + ": cannot be read as a data file: no such file or directory"), data.err());
        assertEquals(0, trainSmall(smallCsv("q.csv", 0, 1)).status());
        CliRun input = CliRun.of("predict", "--model", dir.resolve("m.safetensors").toString(), "--input", dir.toString());
        assertTrue(input.err().contains(dir + ": is a directory, not a CSV file"), input.err());
    }

    /** Runs the CLI in a JVM of its own, as a user does. */
    private static String runCli(String... args) throws IOException, InterruptedException {
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(javaCommand, "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "io.lanewise.samples.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void resumingFromACheckpointInAnotherProcessIsBitIdenticalToAStraightRun() throws Exception {
        String[] common = {"train", "--no-progress", "--layers", "32", "--batch", "16", "--optimizer", "adam", "--lr", "0.01",
            "--chart", dir.resolve("c.png").toString()};
        Path straight = dir.resolve("straight.safetensors");
        runCli(concat(common, "--model", straight.toString(), "--epochs", "4"));
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        Path first = dir.resolve("first.safetensors");
        String interrupted = runCli(concat(common, "--model", first.toString(), "--checkpoint", checkpoint.toString(),
                "--epochs", "2"));
        assertTrue(interrupted.contains("epoch   2/2"), interrupted);
        Path resumed = dir.resolve("resumed.safetensors");
        String rest = runCli(concat(common, "--model", resumed.toString(), "--resume", checkpoint.toString(), "--epochs", "4"));
        assertTrue(rest.contains("resumed from " + checkpoint + " after epoch 2"), rest);
        assertTrue(rest.contains("epoch   3/4") && !rest.contains("epoch   1/4"), rest);
        assertTrue(Arrays.equals(Files.readAllBytes(straight), Files.readAllBytes(resumed)),
                "the resumed model's file differs from the straight run's");
        assertTrue(!Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(resumed)));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void serveStartsFromTheCommandLineAndRefusesAnOpenBindWithoutASecret() throws Exception {
        assertEquals(0, trainSmall(smallCsv("s.csv", 0, 1)).status());
        Path model = dir.resolve("m.safetensors");
        CliRun open = CliRun.of("serve", "--model", model.toString(), "--bind", "0.0.0.0", "--port", "0");
        assertEquals(1, open.status());
        assertTrue(open.err().contains("binding 0.0.0.0 exposes /learn beyond this machine"), open.err());

        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Process serve = new ProcessBuilder(javaCommand, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "io.lanewise.samples.Main", "serve", "--model", model.toString(),
                "--port", "0", "--threads", "2").redirectErrorStream(true).start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            Matcher url = null;
            while ((line = lines.readLine()) != null) {
                url = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+) with 2 predictor").matcher(line);
                if (url.find()) {
                    break;
                }
            }
            assertTrue(url != null && line != null, "the service did not say where it serves");
            java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.group(1) + "/health"))
                            .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok", health.body());
        } finally {
            serve.destroy(); // SIGTERM: the shutdown hook stops the service
            assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        }
    }

    @Test
    void aNegativeWarmUpIsRefused() {
        CliRun train = CliRun.of("train", "--no-progress", "--warm-up", "-1", "--epochs", "1");
        assertEquals(1, train.status());
        assertTrue(train.err().contains("--warm-up must be 0 or a positive number of seconds, got -1.0"), train.err());
    }
}
