package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceMlp;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Trainer#computeGradients}, {@link Trainer#gradient} and {@link Trainer#applyGradients}: the gradients
 * agree with the reference (itself checked against finite differences), computing them changes no parameter,
 * and computing then applying is the fused step to the bit.
 */
class TrainerGradientsTest {
    private static final int WIDTH = 11;
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;

    static Stream<Arguments> lossesAndActivations() {
        return Stream.of(Arguments.of(Loss.SOFTMAX_CROSS_ENTROPY, Activation.RELU),
                Arguments.of(Loss.SOFTMAX_CROSS_ENTROPY, Activation.GELU),
                Arguments.of(Loss.SIGMOID_BINARY_CROSS_ENTROPY, Activation.TANH),
                Arguments.of(Loss.MEAN_SQUARED_ERROR, Activation.SIGMOID));
    }

    private static MlpSpec spec(Loss loss, Activation hidden) {
        Activation last = loss == Loss.MEAN_SQUARED_ERROR ? Activation.TANH : Activation.IDENTITY;
        return MlpSpec.builder(WIDTH).dense(17, hidden).dense(9, hidden).dense(loss == Loss.SOFTMAX_CROSS_ENTROPY ? 5 : 3, last)
                .loss(loss).seed(3).build();
    }

    private static float[] gaussian(SeededRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static int[] labels(SeededRandom random, int rows, int classes) {
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = random.nextInt(classes);
        }
        return y;
    }

    private static float[] parameters(Network n) {
        float[][] parts = new float[2 * n.depth()][];
        int total = 0;
        for (int l = 0; l < n.depth(); l++) {
            parts[2 * l] = n.weights(l).toArray();
            parts[2 * l + 1] = n.biases(l).toArray();
            total += parts[2 * l].length + parts[2 * l + 1].length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("lossesAndActivations")
    void gradientsAgreeWithTheReferenceAndLeaveParametersAlone(Loss loss, Activation hidden) {
        MlpSpec spec = spec(loss, hidden);
        int rows = 7;
        SeededRandom random = new SeededRandom(5);
        float[] x = gaussian(random, rows * WIDTH);
        ReferenceMlp reference = new ReferenceMlp(spec);
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.adam(0.01)).batchSize(8).build()) {
            float[] before = parameters(network);
            double fast;
            double slow;
            if (loss.takesClassLabels()) {
                int[] y = labels(random, rows, spec.outputWidth());
                fast = trainer.computeGradients(x, y);
                slow = reference.computeGradients(DoubleMatrix.of(rows, WIDTH, x), y);
            } else {
                float[] t = new float[rows * spec.outputWidth()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) random.nextDouble();
                }
                fast = trainer.computeGradients(x, t);
                slow = reference.computeGradients(DoubleMatrix.of(rows, WIDTH, x), DoubleMatrix.of(rows, spec.outputWidth(), t));
            }
            assertEquals(slow, fast, ATOL + RTOL * Math.abs(slow), "loss");
            double[][] expected = reference.gradients();
            for (int i = 0; i < expected.length; i++) {
                float[] actual = trainer.gradient(i).toArray();
                assertEquals(expected[i].length, actual.length, "size of gradient " + i);
                for (int j = 0; j < actual.length; j++) {
                    double tolerance = ATOL + RTOL * Math.abs(expected[i][j]);
                    assertTrue(Math.abs(expected[i][j] - actual[j]) <= tolerance, "gradient " + i + "[" + j + "]: reference "
                            + expected[i][j] + ", trainer " + actual[j] + ", tolerance " + tolerance);
                }
            }
            assertArrayEquals(before, parameters(network), "computing gradients must not change a parameter");
            assertEquals(0, trainer.steps(), "computing gradients is not a step");
        }
    }

    static Stream<Optimizer> optimizers() {
        return Stream.of(Optimizer.sgd(0.05, 0.9, true).withWeightDecay(1e-3), Optimizer.adam(0.003),
                Optimizer.adamW(0.003, 0.01).withClipNorm(0.5));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void computingThenApplyingIsTheFusedStepToTheBit(Optimizer optimizer) {
        MlpSpec spec = spec(Loss.SOFTMAX_CROSS_ENTROPY, Activation.RELU);
        SeededRandom random = new SeededRandom(9);
        try (Network fused = Network.create(spec);
             Network split = Network.create(spec);
             Trainer stepping = Trainer.builder(fused, optimizer).batchSize(16).build();
             Trainer applying = Trainer.builder(split, optimizer).batchSize(16).build()) {
            for (int s = 0; s < 12; s++) {
                int rows = s % 3 == 2 ? 5 : 16;
                float[] x = gaussian(random, rows * WIDTH);
                int[] y = labels(random, rows, spec.outputWidth());
                double fusedLoss = stepping.step(x, y);
                double splitLoss = applying.computeGradients(x, y);
                applying.applyGradients();
                assertEquals(fusedLoss, splitLoss, 0.0, "loss at step " + s);
            }
            assertEquals(stepping.steps(), applying.steps());
            assertArrayEquals(parameters(fused), parameters(split), "parameters after 12 steps");
        }
    }

    @Test
    void appliesGradientsACallerWroteWithTheSameOptimizer() {
        // Half a batch's gradient each from two trainers, summed by the caller and applied: the data-parallel
        // pattern. With halves of equal size the sum is the whole batch's gradient up to float rounding.
        MlpSpec spec = spec(Loss.SOFTMAX_CROSS_ENTROPY, Activation.TANH);
        SeededRandom random = new SeededRandom(2);
        float[] x = gaussian(random, 16 * WIDTH);
        int[] y = labels(random, 16, spec.outputWidth());
        float[] firstX = java.util.Arrays.copyOfRange(x, 0, 8 * WIDTH);
        float[] secondX = java.util.Arrays.copyOfRange(x, 8 * WIDTH, 16 * WIDTH);
        try (Network whole = Network.create(spec);
             Network driver = Network.create(spec);
             Network worker = Network.create(spec);
             Trainer wholeTrainer = Trainer.builder(whole, Optimizer.sgd(0.1)).batchSize(16).build();
             Trainer driverTrainer = Trainer.builder(driver, Optimizer.sgd(0.1)).batchSize(16).build();
             Trainer workerTrainer = Trainer.builder(worker, Optimizer.sgd(0.1)).batchSize(8).build()) {
            wholeTrainer.step(x, y);
            double first = workerTrainer.computeGradients(firstX, java.util.Arrays.copyOfRange(y, 0, 8));
            float[][] firstHalf = new float[2 * spec.depth()][];
            for (int i = 0; i < firstHalf.length; i++) {
                firstHalf[i] = workerTrainer.gradient(i).toArray();
            }
            double second = workerTrainer.computeGradients(secondX, java.util.Arrays.copyOfRange(y, 8, 16));
            for (int i = 0; i < firstHalf.length; i++) {
                float[] sum = workerTrainer.gradient(i).toArray();
                for (int j = 0; j < sum.length; j++) {
                    sum[j] = 0.5f * firstHalf[i][j] + 0.5f * sum[j];
                }
                driverTrainer.gradient(i).copyFrom(sum);
            }
            driverTrainer.applyGradients();
            assertTrue(Double.isFinite(first + second));
            float[] expected = parameters(whole);
            float[] actual = parameters(driver);
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], 1e-6 + 1e-5 * Math.abs(expected[j]), "parameter " + j);
            }
        }
    }

    @Test
    void rejectsBadCallsNamingTheProblem() {
        MlpSpec spec = spec(Loss.SOFTMAX_CROSS_ENTROPY, Activation.RELU);
        Trainer closed;
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(4).build()) {
            IllegalArgumentException index = assertThrows(IllegalArgumentException.class, () -> trainer.gradient(6));
            assertEquals("no parameter tensor 6: expected 0..5", index.getMessage());
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> trainer.computeGradients(new float[WIDTH + 1], new int[] {0}));
            assertTrue(width.getMessage().contains("expected " + WIDTH + " input floats"), width.getMessage());
            IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                    () -> trainer.computeGradients(new float[WIDTH], new float[5]));
            assertTrue(targets.getMessage().contains("takes integer class labels"), targets.getMessage());
            float[] nan = new float[WIDTH];
            nan[3] = Float.NaN;
            IllegalStateException loss = assertThrows(IllegalStateException.class, () -> trainer.computeGradients(nan, new int[] {1}));
            assertTrue(loss.getMessage().startsWith("loss is NaN"), loss.getMessage());
            closed = trainer;
        }
        assertThrows(IllegalStateException.class, closed::applyGradients);
        assertThrows(IllegalStateException.class, () -> closed.gradient(0));
    }
}
