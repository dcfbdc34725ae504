package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same seed, data order and thread count give bit-identical parameters, run after run. */
class DeterminismTest {

    private static float[][] train(int threads) {
        MlpSpec spec = MlpSpec.builder(2).dense(96, Activation.RELU).dense(80, Activation.GELU)
                .dense(2, Activation.IDENTITY).seed(6).build();
        ClassificationData data = TwoSpirals.generate(700, 0.05, 4);
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.adam(0.01)).batchSize(128).threads(threads).build()) {
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

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void twoRunsGiveBitIdenticalParameters(int threads) {
        float[][] first = train(threads);
        float[][] second = train(threads);
        for (int t = 0; t < first.length; t++) {
            assertArrayEquals(first[t], second[t], "tensor " + t);
        }
    }
}
