package io.lanewise.samples.cli;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lanewise predict}: the predicted class and outputs of each row of a CSV file of features. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict each row of a CSV file of features (no label column) with a saved model: prints "
                + "'row,class,output0,output1,...' per row.")
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
        try (Network network = model.load(); SharedModel shared = SharedModel.of(network);
             Predictor predictor = shared.newPredictor(1);
             BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            float[] row = new float[predictor.inputWidth()];
            float[] outputs = new float[predictor.outputWidth()];
            String line;
            int number = 0;
            int rows = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || header && number == 1) {
                    continue;
                }
                parse(line, number, row);
                predictor.predict(row, outputs);
                int best = 0;
                StringBuilder text = new StringBuilder();
                for (int c = 0; c < outputs.length; c++) {
                    best = outputs[c] > outputs[best] ? c : best;
                    text.append(',').append(String.format(Locale.ROOT, "%.9g", outputs[c]));
                }
                out.println(rows++ + "," + best + text);
            }
        }
        return 0;
    }

    private void parse(String line, int number, float[] row) {
        String[] cells = line.split(",", -1);
        if (cells.length != row.length) {
            throw new IllegalArgumentException(input + " line " + number + ": expected " + row.length
                    + " features (the model's input width), got " + cells.length);
        }
        for (int i = 0; i < cells.length; i++) {
            try {
                row[i] = Float.parseFloat(cells[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(input + " line " + number + ", column " + (i + 1) + ": not a number: '"
                        + cells[i].trim() + "'");
            }
        }
    }
}
