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

    /**
     * Weight decay and gradient clipping, each strong enough to matter over 20 steps: the engine agrees with the
     * reference with the feature on, and the reference with it off is far outside the tolerance, so an engine
     * that ignored the feature would fail here.
     */
    static Stream<Arguments> featureCases() {
        return Stream.of(
                Arguments.of("AdamW decay", Optimizer.adamW(0.01, 0.5), Optimizer.adamW(0.01, 0)),
                Arguments.of("SGD decay", Optimizer.sgd(0.05, 0.9, false).withWeightDecay(0.5),
                        Optimizer.sgd(0.05, 0.9, false)),
                Arguments.of("Adam decay", Optimizer.adam(0.01).withWeightDecay(0.5), Optimizer.adam(0.01)),
                Arguments.of("SGD clipping", Optimizer.sgd(0.05, 0.9, true).withClipNorm(0.05),
                        Optimizer.sgd(0.05, 0.9, true)),
                Arguments.of("Adam clipping", Optimizer.adam(0.01).withClipNorm(0.05), Optimizer.adam(0.01)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("featureCases")
    void decayAndClippingAgreeAndWouldFailIfIgnored(String name, Optimizer with, Optimizer without) {
        MlpSpec spec = MlpSpec.builder(19).dense(33, Activation.TANH).dense(17, Activation.RELU)
                .dense(5, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(4).build();
        float[][] fast = new float[2 * spec.depth()][];
        double[][] reference = trainBoth(spec, with, fast);
        double[][] referenceWithout = trainBoth(spec, without, new float[2 * spec.depth()][]);
        double worst = 0;
        for (int t = 0; t < fast.length; t++) {
            assertClose(reference[t], fast[t], name + " tensor " + t);
            for (int i = 0; i < reference[t].length; i++) {
                double tolerance = ATOL + RTOL * Math.abs(reference[t][i]);
                worst = Math.max(worst, Math.abs(reference[t][i] - referenceWithout[t][i]) / tolerance);
            }
        }
        assertTrue(worst > 10, name + " changes the parameters by only " + worst + " tolerances: an engine ignoring it "
                + "would pass");
    }

    /** 20 steps of the engine and of the reference on the same batches; returns the reference's tensors. */
    private static double[][] trainBoth(MlpSpec spec, Optimizer optimizer, float[][] fastOut) {
        ReferenceTrainer reference = new ReferenceTrainer(new ReferenceMlp(spec), optimizer);
        SeededRandom random = new SeededRandom(8);
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(BATCH).build()) {
            for (int s = 0; s < STEPS; s++) {
                float[] x = new float[BATCH * 19];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (3 * random.nextGaussian());
                }
                int[] labels = new int[BATCH];
                for (int r = 0; r < BATCH; r++) {
                    labels[r] = random.nextInt(spec.outputWidth());
                }
                trainer.step(x, labels);
                reference.step(DoubleMatrix.of(BATCH, 19, x), labels);
            }
            double[][] tensors = new double[2 * spec.depth()][];
            for (int l = 0; l < spec.depth(); l++) {
                tensors[2 * l] = reference.network().weights(l).data();
                tensors[2 * l + 1] = reference.network().biases(l);
                fastOut[2 * l] = network.weights(l).toArray();
                fastOut[2 * l + 1] = network.biases(l).toArray();
            }
            return tensors;
        }
    }
}
