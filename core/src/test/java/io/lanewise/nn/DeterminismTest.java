package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same seed, data order and thread count give bit-identical parameters, run after run: with Adam, with
 * SGD and every step clipped by the global gradient norm, and in batches of 4 (whose {@code dX} takes the
 * GEMM's dot-product path). In one JVM, the second run meets kernels the first left compiled.
 */
class DeterminismTest {

    private static float[][] train(int batch, boolean clip, int threads) {
        MlpSpec spec = MlpSpec.builder(2).dense(96, Activation.RELU).dense(80, Activation.GELU)
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
