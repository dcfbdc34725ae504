package io.lanewise.spark.cli;

import io.lanewise.data.ClassificationData;
import io.lanewise.nn.TrainingListener;
import io.lanewise.samples.data.Digits;
import io.lanewise.samples.data.MnistFiles;
import io.lanewise.samples.data.TrainTestSplit;
import io.lanewise.spark.LabelledFrames;
import io.lanewise.spark.LanewiseClassifier;
import io.lanewise.spark.LanewiseModel;
import io.lanewise.spark.ScoringParams;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanewise spark train}: data-parallel training of an MLP classifier on Spark, saved as safetensors. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an MLP classifier on Spark, data-parallel over the input's partitions: synchronous mini-batch "
                + "steps (default) or per-epoch parameter averaging. Saves the model as safetensors, which every lanewise "
                + "command reads.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(names = "--input", defaultValue = "digits", paramLabel = "digits|fashion-mnist|PATH",
            description = "The embedded 8x8 digits (default; 80/20 split), Fashion-MNIST from --data-dir, or a table "
                    + "(Parquet, CSV with a header, JSON) with a features column and a label column of class indices.")
    String input;

    @Option(names = "--data-dir", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
            description = "Fashion-MNIST's IDX files (default: where Debian's dataset-fashion-mnist puts them).")
    Path dataDir;

    @Option(names = "--test", paramLabel = "PATH", description = "A table to report the accuracy on (built-in data sets have theirs).")
    String test;

    @Option(names = "--features-col", defaultValue = "features", paramLabel = "NAME", description = "Features column (default features).")
    String featuresCol;

    @Option(names = "--label-col", defaultValue = "label", paramLabel = "NAME", description = "Label column (default label).")
    String labelCol;

    @Option(names = "--classes", paramLabel = "K", description = "Classes of a table (default: the largest label + 1).")
    Integer classes;

    @Option(names = "--layers", defaultValue = "256,128", split = ",", paramLabel = "WIDTH,...",
            description = "Hidden layer widths (default 256,128).")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME", description = "Hidden activation (default relu).")
    String activation;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|adamw|sgd", description = "Optimizer (default adam).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE", description = "Learning rate (default 0.001).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M", description = "SGD momentum (default 0.9).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "WD", description = "Weight decay (default 0).")
    double weightDecay;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "ROWS",
            description = "Rows per batch (default 128): global when synchronous, per partition when averaging.")
    int batch;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Epochs (default 10).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of the initial weights and the shuffles (default 42).")
    long seed;

    @Option(names = "--mode", defaultValue = LanewiseClassifier.SYNCHRONOUS, paramLabel = "synchronous|averaging",
            description = "Synchronous steps (default) or per-epoch parameter averaging.")
    String mode;

    @Option(names = "--partitions", paramLabel = "N", description = "Shards to train on (default: Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--handle-invalid", defaultValue = ScoringParams.ERROR, paramLabel = "error|skip",
            description = "Rows with null or non-finite features or a null label: fail naming the row (default), or skip them.")
    String handleInvalid;

    @Option(names = "--model", defaultValue = "lanewise-model.safetensors", paramLabel = "FILE",
            description = "Where to save the model (default lanewise-model.safetensors; a Hadoop URI works too).")
    String model;

    @Override
    public Integer call() throws Exception {
        try (SparkOptions.Session started = spark.start("lanewise train")) {
            SparkSession session = started.spark();
            int shards = partitions != null ? partitions : session.sparkContext().defaultParallelism();
            Dataset<Row> train;
            Dataset<Row> held;
            int width;
            int k;
            switch (input) {
                case "digits", "fashion-mnist" -> {
                    TrainTestSplit split = input.equals("digits") ? TrainTestSplit.shuffled(Digits.load(), 0.2, 1)
                            : new TrainTestSplit(MnistFiles.load(dataDir, MnistFiles.Part.TRAIN), MnistFiles.load(dataDir, MnistFiles.Part.TEST));
                    ClassificationData data = split.train();
                    train = LabelledFrames.of(session, data, shards);
                    held = LabelledFrames.of(session, split.test(), shards);
                    width = data.width();
                    k = data.classes();
                }
                default -> {
                    train = Tables.read(session, input).repartition(shards);
                    held = test == null ? null : Tables.read(session, test);
                    Row first = train.select(featuresCol).head();
                    width = first.get(0) instanceof org.apache.spark.ml.linalg.Vector v ? v.size() : first.getList(0).size();
                    k = classes != null ? classes
                            : (int) Math.round(((Number) train.agg(functions.max(labelCol)).head().get(0)).doubleValue()) + 1;
                }
            }
            MlpSpec.Builder builder = MlpSpec.builder(width).seed(seed);
            for (int h : hidden) {
                builder.dense(h, Activation.parse(activation));
            }
            MlpSpec spec = builder.dense(k, Activation.IDENTITY).build();
            StringBuilder shape = new StringBuilder().append(width);
            spec.layers().forEach(l -> shape.append('-').append(l.width()));
            System.out.printf("training %s (%s) on %d partitions, %s, %d epochs of batches of %d%n", shape, activation, shards,
                    mode, epochs, batch);
            long start = System.nanoTime();
            LanewiseClassifier classifier = new LanewiseClassifier(spec, optimizer()).setFeaturesCol(featuresCol)
                    .setLabelCol(labelCol).setBatchSize(batch).setEpochs(epochs).setSeed(seed).setTrainingMode(mode)
                    .setHandleInvalid(handleInvalid).setListener(new TrainingListener() {
                        private long epochStart = System.nanoTime();

                        @Override
                        public void onEpoch(int epoch, double meanLoss) {
                            long now = System.nanoTime();
                            System.out.printf("epoch %d: loss %.4f (%.1f s)%n", epoch, meanLoss, (now - epochStart) / 1e9);
                            epochStart = now;
                        }
                    });
            LanewiseModel trained = classifier.fit(train);
            System.out.printf("trained in %.1f s%n", (System.nanoTime() - start) / 1e9);
            if (held != null) {
                long right = trained.transform(held).filter(functions.col("prediction").equalTo(functions.col(labelCol))).count();
                System.out.printf("accuracy: %.4f%n", (double) right / held.count());
            }
            trained.saveSafetensors(model);
            System.out.println("saved " + model);
        }
        return 0;
    }

    private Optimizer optimizer() {
        return switch (optimizer) {
            case "adam" -> Optimizer.adam(learningRate).withWeightDecay(weightDecay);
            case "adamw" -> Optimizer.adamW(learningRate, weightDecay);
            case "sgd" -> Optimizer.sgd(learningRate, momentum, false).withWeightDecay(weightDecay);
            default -> throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got '" + optimizer + "'");
        };
    }
}
