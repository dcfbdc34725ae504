package io.lanewise.spark.cli;

import io.lanewise.data.ClassificationData;
import io.lanewise.nn.EpochRunner;
import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import io.lanewise.nn.TrainingListener;
import io.lanewise.samples.data.MnistFiles;
import io.lanewise.spark.LabelledFrames;
import io.lanewise.spark.LanewiseClassifier;
import io.lanewise.spark.LanewiseModel;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanewise spark measure}: the numbers of the README's Spark section, in one run on this machine. Scoring
 * throughput on local[1] and local[2], Lanewise beside Spark MLlib's multilayer perceptron with the same weights
 * (784-256-128-10, sigmoid hidden layers as MLlib has them); then time per epoch of the single-machine trainer and of
 * both Spark modes on local[2]. Fashion-MNIST from --data-dir.
 */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = "Measure scoring throughput (local[1], local[2], Lanewise and MLlib) and time per training epoch "
                + "(one machine, Spark synchronous, Spark averaging) on Fashion-MNIST.")
final class MeasureCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
            description = "Fashion-MNIST's IDX files.")
    Path dataDir;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", description = "Timed scoring passes per case (default 5).")
    int repeats;

    @Option(names = "--copies", defaultValue = "4", paramLabel = "N",
            description = "Copies of the 60,000 training rows scored per pass (default 4: 240,000 rows).")
    int copies;

    @Option(names = "--sync-epochs", defaultValue = "2", paramLabel = "N", description = "Synchronous epochs timed (default 2).")
    int syncEpochs;

    @Option(names = "--skip-scoring", description = "Only the training measurements.")
    boolean skipScoring;

    @Override
    public Integer call() throws Exception {
        ClassificationData train = MnistFiles.load(dataDir, MnistFiles.Part.TRAIN);
        if (!skipScoring) {
            measureScoring(train);
        }
        measureTraining(train);
        return 0;
    }

    private void measureScoring(ClassificationData train) {
        MlpSpec spec = MlpSpec.builder(784).dense(256, Activation.SIGMOID).dense(128, Activation.SIGMOID)
                .dense(10, Activation.IDENTITY).seed(42).build();
        LanewiseModel lanewise;
        try (Network network = Network.create(spec)) {
            lanewise = LanewiseModel.of(network).setProbabilityCol("");
        }
        System.out.printf("scoring %,d rows (%d copies of Fashion-MNIST's training set) per pass, median of %d passes after 2 "
                + "warm-up passes; output written to Spark's noop sink%n", copies * train.rows(), copies, repeats);
        System.out.println("| master | Lanewise rows/s | MLlib MLP rows/s | Lanewise / MLlib | predictions that agree |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String master : List.of("local[1]", "local[2]")) {
            SparkSession spark = SparkSession.builder().master(master).appName("lanewise measure")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            try {
                Dataset<Row> one = LabelledFrames.of(spark, train, 4);
                Dataset<Row> rows = one;
                for (int c = 1; c < copies; c++) {
                    rows = rows.union(one);
                }
                rows = rows.repartition(4).persist(StorageLevel.MEMORY_ONLY());
                rows.count();
                MultilayerPerceptronClassificationModel mllib = mllib(lanewise);
                double ours = rowsPerSecond(rows, lanewise::transform);
                double theirs = rowsPerSecond(rows, mllib::transform);
                long agree = lanewise.transform(one).select("prediction").javaRDD()
                        .zip(mllib.transform(one).select("prediction").javaRDD())
                        .filter(pair -> pair._1().getDouble(0) == pair._2().getDouble(0)).count();
                System.out.printf("| %s | %,.0f | %,.0f | %.2f× | %d / %d |%n", master, ours, theirs, ours / theirs, agree,
                        train.rows());
                rows.unpersist();
            } finally {
                spark.stop();
            }
        }
    }

    /** MLlib's perceptron with the same weights: its layout is ours ({@link LanewiseModel#parameters()}). */
    private static MultilayerPerceptronClassificationModel mllib(LanewiseModel lanewise) {
        float[] ours = lanewise.parameters();
        double[] weights = new double[ours.length];
        for (int i = 0; i < ours.length; i++) {
            weights[i] = ours[i];
        }
        MultilayerPerceptronClassificationModel model =
                new MultilayerPerceptronClassificationModel("mllib-mlp", Vectors.dense(weights));
        model.set(model.layers(), new int[] {784, 256, 128, 10});
        return model;
    }

    private double rowsPerSecond(Dataset<Row> rows, Function<Dataset<Row>, Dataset<Row>> scorer) {
        long count = rows.count();
        double[] seconds = new double[repeats];
        for (int pass = -2; pass < repeats; pass++) {
            long start = System.nanoTime();
            scorer.apply(rows).write().format("noop").mode("overwrite").save();
            if (pass >= 0) {
                seconds[pass] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(seconds);
        return count / seconds[repeats / 2];
    }

    private void measureTraining(ClassificationData train) throws java.io.IOException {
        MlpSpec spec = MlpSpec.builder(784).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.IDENTITY).seed(42).build();
        Optimizer adam = Optimizer.adam(1e-3);
        System.out.println();
        System.out.println("training 784-256-128-10 ReLU, Adam 1e-3, batches of 128 (per partition when averaging), "
                + "Fashion-MNIST's 60,000 rows; seconds per epoch");
        System.out.println("| how | epoch 1 s (Spark: with building the shards) | later epochs s, each |");
        System.out.println("|---|---:|---|");
        for (int threads : new int[] {1, 2}) {
            List<Double> times = new ArrayList<>();
            try (Network network = Network.create(spec);
                 Trainer trainer = Trainer.builder(network, adam).batchSize(128).threads(threads).build()) {
                EpochRunner runner = new EpochRunner(trainer, train, 42);
                for (int e = 0; e < 3; e++) {
                    long start = System.nanoTime();
                    runner.runEpoch(TrainingListener.NONE);
                    times.add((System.nanoTime() - start) / 1e9);
                }
            }
            print("one machine, " + threads + " thread" + (threads > 1 ? "s" : ""), times);
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("lanewise measure")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> frame = LabelledFrames.of(spark, train, 2);
            print("Spark local[2], 2 partitions, synchronous", epochTimes(new LanewiseClassifier(spec, adam)
                    .setEpochs(syncEpochs), frame).epochs());
            LanewiseClassifier averaging = new LanewiseClassifier(spec, adam).setEpochs(10)
                    .setTrainingMode(LanewiseClassifier.AVERAGING);
            Timed averaged = epochTimes(averaging, frame);
            print("Spark local[2], 2 partitions, parameter averaging", averaged.epochs());
            Dataset<Row> test = LabelledFrames.of(spark, MnistFiles.load(dataDir, MnistFiles.Part.TEST), 2);
            long right = averaged.model().transform(test).filter("prediction = label").count();
            System.out.printf("parameter averaging, 10 epochs: test accuracy %.2f%%%n", right / 100.0);
        } finally {
            spark.stop();
        }
    }

    private record Timed(LanewiseModel model, List<Double> epochs) {
    }

    private static Timed epochTimes(LanewiseClassifier classifier, Dataset<Row> frame) {
        List<Double> times = new ArrayList<>();
        long[] last = {0};
        classifier.setListener(new TrainingListener() {
            @Override
            public void onEpoch(int epoch, double meanLoss) {
                long now = System.nanoTime();
                times.add((now - last[0]) / 1e9);
                last[0] = now;
            }
        });
        last[0] = System.nanoTime();
        return new Timed(classifier.fit(frame), times);
    }

    private static void print(String how, List<Double> times) {
        StringBuilder later = new StringBuilder();
        for (int i = 1; i < times.size(); i++) {
            later.append(i > 1 ? ", " : "").append(String.format("%.2f", times.get(i)));
        }
        System.out.printf("| %s | %.2f | %s |%n", how, times.getFirst(), later);
    }
}
