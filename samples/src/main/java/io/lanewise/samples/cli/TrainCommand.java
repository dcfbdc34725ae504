package io.lanewise.samples.cli;

import io.lanewise.data.ClassificationData;
import io.lanewise.io.AtomicWrite;
import io.lanewise.io.Checkpoints;
import io.lanewise.io.ModelFiles;
import io.lanewise.nn.EpochRunner;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import io.lanewise.samples.data.TrainTestSplit;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lanewise train}: trains an MLP, shows progress, evaluates it, saves it and charts the run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an MLP on a data set (default: the embedded 8x8 digits), evaluate it on held-out rows, "
                + "save it as safetensors and chart the loss and accuracy per epoch.")
final class TrainCommand implements Callable<Integer> {
    /** The most training threads accepted: more only adds waiting and switching. */
    static final int MAX_THREADS = 256;

    @Mixin
    DataOptions data;

    @Option(names = "--layers", defaultValue = "256,128", split = ",", paramLabel = "WIDTH,...",
            description = "Hidden layer widths (default 256,128); the output layer has one unit per class.")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME",
            description = "Hidden activation: identity, relu, leaky_relu(ALPHA), sigmoid, tanh, gelu or silu (default relu).")
    String activation;

    @Option(names = "--init", defaultValue = "HE_UNIFORM", paramLabel = "NAME",
            description = "Weight initializer: ${COMPLETION-CANDIDATES} (default HE_UNIFORM).")
    Initializer init;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|adamw|sgd",
            description = "The optimizer (default adam).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE", description = "Learning rate (default 0.001).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M", description = "SGD momentum (default 0.9).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "WD", description = "Weight decay (default 0).")
    double weightDecay;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "ROWS", description = "Mini-batch size (default 32).")
    int batch;

    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Epochs (default 20).")
    int epochs;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Training threads (default 1; at most " + MAX_THREADS + ", a warning above the processors available).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the initial weights and the batch order (default 42).")
    long seed;

    @Option(names = "--model", defaultValue = "lanewise-model.safetensors", paramLabel = "FILE",
            description = "Where to save the trained model (default lanewise-model.safetensors).")
    Path model;

    @Option(names = "--chart", defaultValue = "lanewise-training.png", paramLabel = "FILE.png",
            description = "Where to write the chart of loss and accuracy per epoch (default lanewise-training.png).")
    Path chart;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Save a checkpoint (model, optimizer state, epoch and shuffle position) to FILE after every epoch.")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue from a checkpoint up to --epochs in all; give the same data and options as the run "
                    + "that saved it, and the result is bit-identical to a run never interrupted.")
    Path resume;
    @Option(names = "--warm-up", defaultValue = "5", paramLabel = "SECONDS",
            description = "Before the first epoch, warm the evaluation and then the training step up (SharedModel.warmUp, "
                    + "Trainer.warmUp, on scratch copies: the results do not change) until their speed settles, each "
                    + "for at most this long (default 5; 0: none, the shortest total time on small data).")
    double warmUpSeconds;

    @Option(names = "--no-progress", description = "No progress bar (one line per epoch only); "
            + "the bar is shown only on a terminal anyway.")
    boolean noProgress;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        if (!(warmUpSeconds >= 0) || Double.isInfinite(warmUpSeconds)) {
            throw new IllegalArgumentException("--warm-up must be 0 or a positive number of seconds, got " + warmUpSeconds);
        }
        var out = command.commandLine().getOut();
        var err = command.commandLine().getErr();
        checkOptions(err);
        TrainTestSplit split = data.load();
        if (split.train().rows() == 0) {
            throw new IllegalArgumentException(data.name() + ": no training rows");
        }
        warnOfAbsentClasses(split.train(), err);
        MlpSpec.Builder builder = MlpSpec.builder(split.train().width()).loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .initializer(init).seed(seed);
        Activation f = Activation.parse(activation);
        for (int width : hidden) {
            builder.dense(width, f);
        }
        MlpSpec spec = builder.dense(split.train().classes(), Activation.IDENTITY).build();
        Optimizer opt = switch (optimizer) {
            case "adam" -> Optimizer.adam(learningRate).withWeightDecay(weightDecay);
            case "adamw" -> Optimizer.adamW(learningRate, weightDecay);
            case "sgd" -> Optimizer.sgd(learningRate, momentum, momentum > 0).withWeightDecay(weightDecay);
            default -> throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got '" + optimizer + "'");
        };
        out.printf("data: %s, %,d training rows, %,d test rows, %d features, %d classes%n", data.name(),
                split.train().rows(), split.test().rows(), spec.inputWidth(), spec.outputWidth());
        out.printf("model: %s, %s, %,d parameters; %s lr %s, batch %d, %d thread(s)%n", widths(spec), f.id(),
                spec.parameterCount(), optimizer, learningRate, batch, threads);
        List<double[]> curve = new ArrayList<>();
        double accuracy = 0;
        double trainingSeconds = 0;
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, opt).batchSize(batch).threads(threads).build();
             SharedModel shared = SharedModel.of(network);
             Predictor predictor = shared.newPredictor(Evaluation.BATCH)) {
            if (warmUpSeconds > 0) {
                // Prediction first: the training step's warm-up then compiles the GEMM code both share with both
                // paths seen (code compiled for one path alone is thrown away when the other first runs).
                Duration budget = Duration.ofNanos((long) (warmUpSeconds * 1e9));
                out.printf("warm-up of the evaluation: %s%n", shared.warmUp(budget));
                out.printf("warm-up of the training step: %s%n", trainer.warmUp(budget));
            }
            EpochRunner runner = new EpochRunner(trainer, split.train(), seed);
            if (resume != null) {
                Checkpoints.restore(resume, trainer, runner);
                if (runner.epochs() >= epochs) {
                    throw new IllegalArgumentException(resume + " holds " + runner.epochs() + " epochs already; --epochs "
                            + epochs + " asks for no more");
                }
                out.printf("resumed from %s after epoch %d%n", resume, runner.epochs());
            }
            java.io.Console console = System.console();
            boolean terminal = console != null && console.isTerminal();
            EpochProgress progress = new EpochProgress(epochs, split.train().rows(), terminal && !noProgress);
            for (int e = runner.epochs() + 1; e <= epochs; e++) {
                long start = System.nanoTime();
                double loss = runner.runEpoch(progress);
                trainingSeconds += (System.nanoTime() - start) / 1e9;
                double rate = progress.samplesPerSecond();
                if (checkpoint != null) {
                    Checkpoints.save(checkpoint, trainer, runner);
                }
                shared.publish(network);
                accuracy = Evaluation.of(predictor, split.test()).accuracy();
                curve.add(new double[] {e, loss, accuracy});
                out.printf("epoch %3d/%d  loss %.4f  test accuracy %.4f  %,.0f samples/s%n", e, epochs, loss, accuracy, rate);
            }
            out.printf("test accuracy: %.4f%n", accuracy);
            out.printf("training took %.2f s (warm-up and evaluation after each epoch not included)%n", trainingSeconds);
            ModelFiles.save(network, model);
            out.printf("model saved to %s%n", model);
        }
        TrainingChart.write(chart, "Lanewise on " + data.name() + ": " + widths(spec), curve);
        out.printf("chart written to %s%n", chart);
        return 0;
    }

    /** Refuses what cannot work before any data is read or any training done: counts, and files that cannot be written. */
    private void checkOptions(java.io.PrintWriter err) throws java.io.IOException {
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        }
        if (threads <= 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("--threads must be 1.." + MAX_THREADS + ", got " + threads);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads > processors) {
            err.printf("warning: --threads %d is more than the %d processors available; the extra threads only wait%n",
                    threads, processors);
        }
        AtomicWrite.checkWritable(model);
        AtomicWrite.checkWritable(chart);
        if (checkpoint != null) {
            AtomicWrite.checkWritable(checkpoint);
        }
    }

    /** Labels 0..K-1 make K outputs; a class no row has is most likely a labelling mistake, so say so. */
    private static void warnOfAbsentClasses(ClassificationData train, java.io.PrintWriter err) {
        boolean[] present = new boolean[train.classes()];
        for (int label : train.labels()) {
            present[label] = true;
        }
        StringBuilder absent = new StringBuilder();
        int count = 0;
        for (int c = 0; c < present.length; c++) {
            if (!present[c]) {
                count++;
                if (count <= 20) {
                    absent.append(absent.isEmpty() ? "" : ", ").append(c);
                }
            }
        }
        if (count > 0) {
            err.printf("warning: %d of the %d classes (labels 0..%d) never occur in the training rows: %s%s; the model "
                    + "still gets an output for each%n", count, present.length, present.length - 1, absent,
                    count > 20 ? ", ..." : "");
        }
    }

    private static String widths(MlpSpec spec) {
        StringBuilder s = new StringBuilder().append(spec.inputWidth());
        spec.layers().forEach(l -> s.append('-').append(l.width()));
        return s.toString();
    }
}
