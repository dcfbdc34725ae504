package io.lanewise.samples.cli;

import io.lanewise.io.FileErrors;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.samples.data.CsvRows;
import io.lanewise.samples.data.Numbers;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lanewise predict}: the predicted class and outputs of each row of a CSV file of features. Cells follow
 * the training reader's grammar (finite decimal numbers, RFC 4180 quoting); a file without rows is an error.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict each row of a CSV file of features (no label column) with a saved model: prints "
                + "'row,class,output0,output1,...' per row. Features are finite decimal numbers, as in training data.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "FILE.csv", description = "Rows of comma-separated features.")
    Path input;

    @Option(names = "--header", description = "The first line names the columns.")
    boolean header;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        Reader text;
        try {
            if (Files.isDirectory(input)) {
                throw new IOException("Is a directory");
            }
            text = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.unreadable(input, "a CSV file", e);
        }
        try (CsvRows rows = new CsvRows(text, input.toString()); Network network = model.load();
             SharedModel shared = SharedModel.of(network); Predictor predictor = shared.newPredictor(1)) {
            float[] row = new float[predictor.inputWidth()];
            float[] outputs = new float[predictor.outputWidth()];
            int count = 0;
            boolean skipHeader = header;
            for (String[] cells = rows.next(); cells != null; cells = rows.next()) {
                if (skipHeader) {
                    skipHeader = false;
                    continue;
                }
                parse(cells, rows.line(), row);
                predictor.predict(row, outputs);
                int best = Predictor.bestClass(outputs, 0, outputs.length);
                StringBuilder line = new StringBuilder().append(count++).append(',').append(best);
                for (float output : outputs) {
                    line.append(',').append(String.format(Locale.ROOT, "%.9g", output));
                }
                out.println(line);
            }
            if (count == 0) {
                throw new IOException(input + ": no rows to predict" + (header ? " after the header" : ""));
            }
        }
        return 0;
    }

    private void parse(String[] cells, long line, float[] row) throws IOException {
        if (cells.length != row.length) {
            throw new IOException(input + ":" + line + ": expected " + row.length
                    + " features (the model's input width), got " + cells.length);
        }
        for (int i = 0; i < cells.length; i++) {
            try {
                row[i] = Numbers.finiteFloat(cells[i]);
            } catch (IllegalArgumentException e) {
                throw new IOException(input + ":" + line + ": column " + (i + 1) + " " + e.getMessage());
            }
        }
    }
}
