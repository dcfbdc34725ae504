package io.lanewise.samples.cli;

import io.lanewise.data.ClassificationData;
import io.lanewise.samples.data.CsvData;
import io.lanewise.samples.data.CsvFormat;
import io.lanewise.samples.data.Digits;
import io.lanewise.samples.data.MnistFiles;
import io.lanewise.samples.data.TrainTestSplit;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which data set a command reads, shared by train and evaluate. */
final class DataOptions {
    @Option(names = "--data", defaultValue = "digits", paramLabel = "digits|fashion-mnist|FILE.csv",
            description = "The data set: the embedded 8x8 digits (default), Fashion-MNIST IDX files from --data-dir, "
                    + "or a CSV file of numbers.")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Where Fashion-MNIST's IDX files are (default: where Debian's dataset-fashion-mnist installs them).")
    Path dataDir;

    @Option(names = "--label-column", paramLabel = "INDEX|NAME", defaultValue = "-1",
            description = "CSV: the label column, by index from 0 (negative counts from the end; default -1, the last) "
                    + "or by its name in the header.")
    String labelColumn;

    @Option(names = "--header", description = "CSV: the first line names the columns.")
    boolean header;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Digits and CSV: the share of rows held out for testing (default 0.2).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "1", paramLabel = "N",
            description = "Digits and CSV: the seed of the train/test split (default 1).")
    long splitSeed;

    /** A short name for messages and charts. */
    String name() {
        return data.equals("digits") || data.equals("fashion-mnist") ? data : Path.of(data).getFileName().toString();
    }

    /** The train and test parts. */
    TrainTestSplit load() throws IOException {
        return switch (data) {
            case "digits" -> TrainTestSplit.shuffled(Digits.load(), testFraction, splitSeed);
            case "fashion-mnist" -> mnist();
            default -> TrainTestSplit.shuffled(csv(), testFraction, splitSeed);
        };
    }

    /** Every row, for evaluation: the test part of Fashion-MNIST, the whole of digits or a CSV file. */
    ClassificationData loadForEvaluation() throws IOException {
        return switch (data) {
            case "digits" -> Digits.load();
            case "fashion-mnist" -> MnistFiles.load(dataDir, MnistFiles.Part.TEST);
            default -> csv();
        };
    }

    /** Both parts, which must hold images of one size: the model is shaped by the training part. */
    private TrainTestSplit mnist() throws IOException {
        ClassificationData train = MnistFiles.load(dataDir, MnistFiles.Part.TRAIN);
        ClassificationData test = MnistFiles.load(dataDir, MnistFiles.Part.TEST);
        if (train.width() != test.width()) {
            throw new IOException(dataDir + ": the training images have " + train.width() + " pixels each but the test "
                    + "images " + test.width() + " (train-images and t10k-images must be of one size)");
        }
        return new TrainTestSplit(train, test);
    }

    private ClassificationData csv() throws IOException {
        if (!data.endsWith(".csv") && !data.endsWith(".csv.gz")) {
            throw new IllegalArgumentException("--data must be digits, fashion-mnist or a .csv file, got '" + data + "'");
        }
        CsvFormat format;
        try {
            format = CsvFormat.labelColumn(Integer.parseInt(labelColumn));
        } catch (NumberFormatException e) {
            if (!header) {
                throw new IllegalArgumentException("--label-column '" + labelColumn + "' names a column, which needs "
                        + "--header (the first line naming the columns); without a header give its index from 0");
            }
            format = CsvFormat.labelColumn(labelColumn);
        }
        return CsvData.read(Path.of(data), header ? format.withHeader() : format);
    }
}
