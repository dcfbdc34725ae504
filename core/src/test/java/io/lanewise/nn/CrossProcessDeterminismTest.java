package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two separate JVMs train the same 10-class network from the same seed and data and end with
 * bit-identical parameters and losses: nothing may depend on when the JIT compiled what (the interpreted
 * and compiled forms of a kernel must agree to the bit).
 *
 * <p>The second JVM runs with the Vector API's intrinsics off ({@code -XX:-EnableVectorSupport}): every
 * vector operation then takes its Java fallback, which is what the interpreter and C1 run, while the first
 * JVM switches to C2's intrinsics whenever C2 gets to each kernel. Agreement is then required of every
 * step after that switch, not only of the steps where two plain JVMs happen to be in different JIT states.
 * Each case failed this way on the code that summed lanes with {@code reduceLanes(ADD)} (except the
 * first, which no longer used it), in every run tried.
 *
 * <p>With 2 threads the trainer starts a GEMM worker, but only {@link Case#BATCH_4_WIDE} has GEMMs large
 * enough to share with it.
 */
class CrossProcessDeterminismTest {
    /** Turns the Vector API's intrinsics off, in HotSpot: its Java fallback runs everywhere. */
    private static final List<String> FALLBACK =
            List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-EnableVectorSupport");

    /** What a child trains. */
    enum Case {
        /** Batches of 64 with Adam: the GEMMs' register tiles, softmax cross-entropy. */
        BATCH_64(64, 300, 64, 32, Optimizer.adam(1e-3)),
        /**
         * Every step clipped by the global gradient norm (sums of squares); SGD, since Adam is nearly blind to a
         * uniform scaling of the gradients. Long, because a last-bit change in the norm reaches the parameters
         * only when it survives the rounding of the clip factor to float: 600 steps showed the old lane sums
         * in one run of three, 1,500 in every run.
         */
        CLIPPED(16, 1500, 64, 32, Optimizer.sgd(0.05, 0.9, false).withClipNorm(0.01)),
        /**
         * Batches of 4: {@code dX = dZ·Wᵀ} takes the GEMM's dot-product path (NT, at most 4 rows). C2 gets to
         * it late: after 300 steps the old code still agreed with the fallback in one run of three.
         */
        BATCH_4(4, 1000, 64, 32, Optimizer.adam(1e-3)),
        /**
         * Batches of 4 through two layers of 512, wide enough (4·512·512 = 2^20 multiply-adds) that a second
         * thread takes half of the middle layer's GEMMs, the dot-product path among them; in the cases above
         * every GEMM is below {@code Gemm.PARALLEL_MIN_MACS} and runs on the caller alone.
         */
        BATCH_4_WIDE(4, 40, 512, 512, Optimizer.adam(1e-3));

        final int batch;
        final int steps;
        final int width1;
        final int width2;
        final Optimizer optimizer;

        Case(int batch, int steps, int width1, int width2, Optimizer optimizer) {
            this.batch = batch;
            this.steps = steps;
            this.width1 = width1;
            this.width2 = width2;
            this.optimizer = optimizer;
        }
    }

    /** The child: trains and prints a hash of every parameter's bits and one of every step's loss. */
    public static void main(String[] args) {
        Case c = Case.valueOf(args[0]);
        int threads = Integer.parseInt(args[1]);
        MlpSpec spec = MlpSpec.builder(40).dense(c.width1, Activation.GELU).dense(c.width2, Activation.RELU)
                .dense(10, Activation.IDENTITY).seed(3).build();
        SeededRandom random = new SeededRandom(5);
        float[] x = new float[c.batch * 40];
        int[] y = new int[c.batch];
        long losses = 17;
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, c.optimizer).batchSize(c.batch).threads(threads).build()) {
            for (int step = 0; step < c.steps; step++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                for (int r = 0; r < y.length; r++) {
                    y[r] = random.nextInt(10);
                }
                losses = 31 * losses + Double.doubleToRawLongBits(trainer.step(x, y));
            }
            long hash = 17;
            for (int l = 0; l < spec.depth(); l++) {
                for (float v : network.weights(l).toArray()) {
                    hash = 31 * hash + Float.floatToRawIntBits(v);
                }
                for (float v : network.biases(l).toArray()) {
                    hash = 31 * hash + Float.floatToRawIntBits(v);
                }
            }
            System.out.println("parameters " + Long.toHexString(hash) + " losses " + Long.toHexString(losses));
        }
    }

    /** Runs a child on {@code c} with {@code jvmOptions} and returns its line of hashes. */
    private static String runChild(Case c, int threads, List<String> jvmOptions)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                CrossProcessDeterminismTest.class.getName(), c.name(), Integer.toString(threads)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        assumeFalse(output.contains("Unrecognized VM option") && output.contains("EnableVectorSupport"),
                "this JVM has no -XX:-EnableVectorSupport: " + output);
        assertEquals(0, process.exitValue(), output);
        return output.lines().filter(l -> l.startsWith("parameters ")).findFirst().orElseThrow(() -> new AssertionError(output));
    }

    @ParameterizedTest(name = "{0}, {1} thread(s)")
    @CsvSource({"BATCH_64, 1", "BATCH_64, 2", "CLIPPED, 1", "CLIPPED, 2", "BATCH_4, 1", "BATCH_4, 2",
            "BATCH_4_WIDE, 2"})
    void compiledAndFallbackProcessesGiveBitIdenticalParametersAndLosses(Case c, int threads) throws Exception {
        String compiled = runChild(c, threads, List.of());
        assertEquals(compiled, runChild(c, threads, FALLBACK), c + ", " + threads + " thread(s)");
    }
}
