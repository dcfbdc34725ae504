package io.lanewise.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.lanewise.data.ClassificationData;
import io.lanewise.nn.EpochRunner;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import io.lanewise.nn.TrainingListener;
import io.lanewise.nn.WarmUp;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured run of the cold-start harness, in a JVM of its own ({@link ColdStart} starts it): what a fresh JVM
 * does, from {@code main}, with the 784-256-128-10 ReLU model. Prints one line, {@code RESULT key=value ...}.
 * <ul>
 *   <li>{@code lanewise}, {@code lanewise-warm}: builds the network, the shared model and a batch-1 predictor
 *       (timed), for {@code -warm} calls {@link SharedModel#warmUp} (timed, with what it reports), then times the
 *       first {@value CallLatencies#FIRST_CALLS} batch-1 predictions one by one, runs on untimed for
 *       {@code settle} seconds, and times a steady stretch of {@value #STEADY_CALLS} calls.</li>
 *   <li>{@code onnx}: the same with ONNX Runtime, set up as {@link OnnxRuntimeBenchmark} does (one thread, all
 *       graph optimizations, batch fixed, pinned input and output); set-up time is the environment (which loads the
 *       native library) and the session (which reads and optimizes the model file).</li>
 *   <li>{@code train}, {@code train-warm}: builds the network and an Adam trainer at batch 32 (timed), for
 *       {@code -warm} calls {@link Trainer#warmUp}, then trains {@value #EPOCHS} epochs over {@value #TRAIN_ROWS}
 *       made-up rows, timing every step: the first step, the median of steps 2–10 and 11–100 (as samples/s), and
 *       each epoch's samples/s.</li>
 * </ul>
 * Arguments: {@code SUBJECT [settleSeconds] [warmUpBudgetSeconds]}.
 */
public final class ColdStartRun {
    static final int STEADY_CALLS = 20_000;
    static final int TRAIN_BATCH = 32;
    static final int TRAIN_ROWS = 8_192;
    static final int EPOCHS = 10;

    private ColdStartRun() {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        long mainMillis = System.currentTimeMillis();
        String subject = args[0];
        double settle = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        Duration budget = Duration.ofMillis((long) (1000 * (args.length > 2 ? Double.parseDouble(args[2]) : 10)));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("subject", subject);
        switch (subject) {
            case "lanewise", "lanewise-warm" -> lanewise(subject.endsWith("-warm") ? budget : null, settle, out);
            case "onnx" -> onnx(settle, out);
            case "train", "train-warm" -> train(subject.endsWith("-warm") ? budget : null, out);
            default -> throw new IllegalArgumentException("subject must be lanewise, lanewise-warm, onnx, train or "
                    + "train-warm, got " + subject);
        }
        out.put("main_total_ms", millis(System.nanoTime() - mainNanos));
        // Read last: the management classes would count in the times above.
        out.put("jvm_start_to_main_ms",
                Long.toString(mainMillis - ManagementFactory.getRuntimeMXBean().getStartTime()));
        StringBuilder line = new StringBuilder("RESULT");
        out.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }

    private static void lanewise(Duration warmUpBudget, double settle, Map<String, String> out) {
        long t0 = System.nanoTime();
        try (Network network = Network.create(MnistShapedModel.spec());
             SharedModel model = SharedModel.of(network);
             Predictor predictor = model.newPredictor(1)) {
            out.put("setup_ms", millis(System.nanoTime() - t0));
            if (warmUpBudget != null) {
                warmUp(model.warmUp(warmUpBudget), out);
            }
            float[] row = MnistShapedModel.inputs(1, 1);
            float[] scores = new float[MnistShapedModel.CLASSES];
            CallLatencies latencies = new CallLatencies();
            for (int i = 0; i < CallLatencies.FIRST_CALLS; i++) {
                long s = System.nanoTime();
                predictor.predict(row, scores);
                latencies.first(i, System.nanoTime() - s);
            }
            long until = System.nanoTime() + (long) (settle * 1e9);
            while (System.nanoTime() < until) {
                predictor.predict(row, scores);
            }
            for (int i = 0; i < STEADY_CALLS; i++) {
                long s = System.nanoTime();
                predictor.predict(row, scores);
                latencies.steady(System.nanoTime() - s);
            }
            latencies.report(out);
            out.put("score0", Float.toString(scores[0]));
        }
    }

    private static void onnx(double settle, Map<String, String> out) throws OrtException {
        long t0 = System.nanoTime();
        OrtEnvironment environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "cold");
        out.put("environment_ms", millis(System.nanoTime() - t0));
        try (OrtSession.SessionOptions options = OnnxRuntimeBenchmark.options(1);
             OrtSession session = environment.createSession(
                     OnnxRuntimeBenchmark.locate(OnnxRuntimeBenchmark.DEFAULT_MODEL).toString(), options)) {
            String in = session.getInputNames().iterator().next();
            String outName = session.getOutputNames().iterator().next();
            FloatBuffer inBuffer = OnnxRuntimeBenchmark.directFloats(MnistShapedModel.INPUTS);
            inBuffer.put(MnistShapedModel.inputs(1, 1)).rewind();
            FloatBuffer outBuffer = OnnxRuntimeBenchmark.directFloats(MnistShapedModel.CLASSES);
            try (OnnxTensor input = OnnxTensor.createTensor(environment, inBuffer, new long[] {1, MnistShapedModel.INPUTS});
                 OnnxTensor output = OnnxTensor.createTensor(environment, outBuffer,
                         new long[] {1, MnistShapedModel.CLASSES})) {
                out.put("setup_ms", millis(System.nanoTime() - t0));
                Map<String, OnnxTensor> inputs = Map.of(in, input);
                Map<String, OnnxTensor> outputs = Map.of(outName, output);
                CallLatencies latencies = new CallLatencies();
                for (int i = 0; i < CallLatencies.FIRST_CALLS; i++) {
                    long s = System.nanoTime();
                    session.run(inputs, outputs).close();
                    latencies.first(i, System.nanoTime() - s);
                }
                long until = System.nanoTime() + (long) (settle * 1e9);
                while (System.nanoTime() < until) {
                    session.run(inputs, outputs).close();
                }
                for (int i = 0; i < STEADY_CALLS; i++) {
                    long s = System.nanoTime();
                    session.run(inputs, outputs).close();
                    latencies.steady(System.nanoTime() - s);
                }
                latencies.report(out);
                out.put("score0", Float.toString(outBuffer.get(0)));
            }
        }
    }

    private static void train(Duration warmUpBudget, Map<String, String> out) {
        ClassificationData data = new ClassificationData(MnistShapedModel.inputs(TRAIN_ROWS, 3), MnistShapedModel.INPUTS,
                MnistShapedModel.labels(TRAIN_ROWS, 4), MnistShapedModel.CLASSES);
        long t0 = System.nanoTime();
        try (Network network = Network.create(MnistShapedModel.spec());
             Trainer trainer = Trainer.builder(network, MnistShapedModel.optimizer("adam")).batchSize(TRAIN_BATCH)
                     .threads(1).build()) {
            out.put("setup_ms", millis(System.nanoTime() - t0));
            if (warmUpBudget != null) {
                warmUp(trainer.warmUp(warmUpBudget), out);
            }
            EpochRunner runner = new EpochRunner(trainer, data, 5);
            StepTimes steps = new StepTimes();
            double loss = 0;
            for (int e = 1; e <= EPOCHS; e++) {
                long start = System.nanoTime();
                steps.mark();
                loss = runner.runEpoch(steps);
                out.put("epoch" + e + "_samples_per_s", rate(TRAIN_ROWS, System.nanoTime() - start));
            }
            out.put("step1_ms", millis(steps.times[0]));
            out.put("steps_2_10_samples_per_s", rate(TRAIN_BATCH, median(steps.times, 1, 10)));
            out.put("steps_11_100_samples_per_s", rate(TRAIN_BATCH, median(steps.times, 10, 100)));
            out.put("loss", String.format(Locale.ROOT, "%.5f", loss));
        }
    }

    /** The time of each of the first steps: between the end of one batch and the next (or the epoch's start). */
    private static final class StepTimes implements TrainingListener {
        final long[] times = new long[100];
        private int count;
        private long last;

        void mark() {
            last = System.nanoTime();
        }

        @Override
        public void onBatch(int epoch, int batch, int rows, double loss) {
            long now = System.nanoTime();
            if (count < times.length) {
                times[count++] = now - last;
            }
            last = now;
        }
    }

    private static void warmUp(WarmUp w, Map<String, String> out) {
        out.put("warmup_calls", Long.toString(w.calls()));
        out.put("warmup_ms", millis(w.elapsed().toNanos()));
        out.put("warmup_final_us", CallLatencies.micros(w.finalLatency().toNanos()));
        out.put("warmup_converged", Boolean.toString(w.converged()));
    }

    private static long median(long[] values, int from, int to) {
        long[] part = java.util.Arrays.copyOfRange(values, from, to);
        java.util.Arrays.sort(part);
        return part[part.length / 2];
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String rate(int rows, long nanos) {
        return String.format(Locale.ROOT, "%.0f", rows / (nanos / 1e9));
    }
}
