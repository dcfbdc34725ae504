package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceMlp;
import io.lanewise.reference.ReferenceTrainer;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast engine against the reference: for every hidden activation × loss × optimizer, 20 training
 * steps from the same initial parameters give the same losses and parameters, within
 * {@code ATOL + RTOL·|reference|} (float32 against double, 20 steps compounding), and the same predictions.
 */
class TrainerAgreesWithReferenceTest {
    private static final int STEPS = 20;
    private static final int BATCH = 13;
    private static final double ATOL = 2e-4;
    private static final double RTOL = 2e-3;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        Activation[] hidden = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.05f), Activation.SIGMOID,
                Activation.TANH, Activation.GELU, Activation.SILU};
        Optimizer[] optimizers = {Optimizer.sgd(0.05, 0.9, false), Optimizer.sgd(0.05, 0.9, true).withWeightDecay(1e-3),
                Optimizer.adam(0.003), Optimizer.adamW(0.003, 0.01).withClipNorm(0.5)};
        for (Activation f : hidden) {
            for (Loss loss : Loss.values()) {
                for (Optimizer o : optimizers) {
                    // alternate initializers: PYTORCH_LINEAR also starts biases away from zero
                    Initializer init = cases.size() % 2 == 0 ? Initializer.XAVIER_UNIFORM : Initializer.PYTORCH_LINEAR;
                    cases.add(Arguments.of(f, loss, o, init));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} / {1} / {2} / {3}")
    @MethodSource("cases")
    void twentyStepsAgree(Activation hidden, Loss loss, Optimizer optimizer, Initializer init) {
        int outputs = loss == Loss.SOFTMAX_CROSS_ENTROPY ? 5 : 3;
        Activation last = loss == Loss.MEAN_SQUARED_ERROR ? Activation.TANH : Activation.IDENTITY;
        MlpSpec spec = MlpSpec.builder(19).dense(33, hidden).dense(17, hidden).dense(outputs, last)
                .loss(loss).initializer(init).seed(4).build();
        ReferenceTrainer reference = new ReferenceTrainer(new ReferenceMlp(spec), optimizer);
        SeededRandom random = new SeededRandom(8);
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(BATCH).build()) {
            for (int s = 0; s < STEPS; s++) {
                int rows = s % 4 == 3 ? BATCH - 5 : BATCH; // some smaller batches too
                float[] x = new float[rows * 19];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                double fast;
                double slow;
                if (loss.takesClassLabels()) {
                    int[] labels = new int[rows];
                    for (int r = 0; r < rows; r++) {
                        labels[r] = random.nextInt(outputs);
                    }
                    fast = trainer.step(x, labels);
                    slow = reference.step(DoubleMatrix.of(rows, 19, x), labels);
                } else {
                    float[] t = new float[rows * outputs];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = (float) random.nextDouble();
                    }
                    fast = trainer.step(x, t);
                    slow = reference.step(DoubleMatrix.of(rows, 19, x), DoubleMatrix.of(rows, outputs, t));
                }
                assertEquals(slow, fast, ATOL + RTOL * Math.abs(slow), "loss at step " + s);
            }
            for (int l = 0; l < spec.depth(); l++) {
                assertClose(reference.network().weights(l).data(), network.weights(l).toArray(), "W" + l);
                assertClose(reference.network().biases(l), network.biases(l).toArray(), "b" + l);
            }
            float[] probe = new float[4 * 19];
            for (int i = 0; i < probe.length; i++) {
                probe[i] = (float) random.nextGaussian();
            }
            float[] out = new float[4 * outputs];
            try (SharedModel model = SharedModel.of(network); Predictor predictor = model.newPredictor(4)) {
                predictor.predict(probe, out);
            }
            assertClose(reference.network().predict(DoubleMatrix.of(4, 19, probe)).data(), out, "predictions");
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = ATOL + RTOL * Math.abs(expected[i]);
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance,
                    what + "[" + i + "]: reference " + expected[i] + ", fast " + actual[i] + ", tolerance " + tolerance);
        }
    }
}
