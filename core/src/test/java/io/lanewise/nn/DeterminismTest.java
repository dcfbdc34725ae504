package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.lang.reflect.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same seed, data order and thread count give bit-identical parameters, run after run: with Adam, with
 * SGD and every step clipped by the global gradient norm, and in batches of 4 (whose {@code dX} takes the
 * GEMM's dot-product path). In one JVM, the second run meets kernels the first left compiled. And one thread
 * gives the same bits as two, as the README claims: the hidden layers are wide enough that the middle layer's
 * GEMMs reach the GEMM's threshold for sharing work with a worker (checked below), so two threads really split.
 */
class DeterminismTest {
    /** Hidden widths per batch size: batch × width1 × width2 reaches the parallel threshold. */
    private static int[] widths(int batch) {
        return batch == 4 ? new int[] {512, 512} : new int[] {128, 96};
    }

    private static float[][] train(int batch, boolean clip, int threads) {
        int[] widths = widths(batch);
        MlpSpec spec = MlpSpec.builder(2).dense(widths[0], Activation.RELU).dense(widths[1], Activation.GELU)
                .dense(2, Activation.IDENTITY).seed(6).build();
        ClassificationData data = TwoSpirals.generate(700, 0.05, 4);
        Optimizer optimizer = clip ? Optimizer.sgd(0.05, 0.9, false).withClipNorm(0.01) : Optimizer.adam(0.01);
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(batch).threads(threads).build()) {
            EpochRunner runner = new EpochRunner(trainer, data, 9);
            for (int e = 0; e < 3; e++) {
                runner.runEpoch(TrainingListener.NONE);
            }
            float[][] params = new float[2 * spec.depth()][];
            for (int l = 0; l < spec.depth(); l++) {
                params[2 * l] = network.weights(l).toArray();
                params[2 * l + 1] = network.biases(l).toArray();
            }
            return params;
        }
    }

    @ParameterizedTest(name = "batch {0}, clipped {1}")
    @CsvSource({"128, false", "128, true", "4, false"})
    void oneAndTwoThreadsGiveBitIdenticalParameters(int batch, boolean clip) throws ReflectiveOperationException {
        Field threshold = Gemm.class.getDeclaredField("PARALLEL_MIN_MACS");
        threshold.setAccessible(true);
        int[] widths = widths(batch);
        long macs = (long) batch * widths[0] * widths[1];
        assertTrue(macs >= threshold.getLong(null), "the middle layer's GEMMs (" + macs + " multiply-adds) stay below "
                + "the parallel threshold " + threshold.getLong(null) + ": two threads would not split");
        float[][] one = train(batch, clip, 1);
        float[][] two = train(batch, clip, 2);
        for (int t = 0; t < one.length; t++) {
            assertArrayEquals(one[t], two[t], "tensor " + t);
        }
    }

    @ParameterizedTest(name = "batch {0}, clipped {1}, {2} thread(s)")
    @CsvSource({"128, false, 1", "128, false, 2", "128, true, 1", "128, true, 2", "4, false, 1", "4, false, 2"})
    void twoRunsGiveBitIdenticalParameters(int batch, boolean clip, int threads) {
        float[][] first = train(batch, clip, threads);
        float[][] second = train(batch, clip, threads);
        for (int t = 0; t < first.length; t++) {
            assertArrayEquals(first[t], second[t], "tensor " + t);
        }
    }
}
