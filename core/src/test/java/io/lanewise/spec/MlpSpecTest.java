package io.lanewise.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MlpSpecTest {

    private static void assertRejected(String expectedInMessage, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expectedInMessage), "message: " + e.getMessage());
    }

    @Test
    void describesShapesAndCountsParameters() {
        MlpSpec spec = MlpSpec.builder(784).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.IDENTITY).build();
        assertEquals(3, spec.depth());
        assertEquals(256, spec.fanIn(1));
        assertEquals(128, spec.fanIn(2));
        assertEquals(10, spec.outputWidth());
        assertEquals(784, spec.maxWidth());
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, spec.parameterCount());
    }

    @Test
    void rejectsNonPositiveWidthsAndEmptyNetworks() {
        assertRejected("input width must be positive, got 0", () -> MlpSpec.builder(0).dense(2, Activation.IDENTITY).build());
        assertRejected("layer width must be positive, got -3", () -> MlpSpec.builder(2).dense(-3, Activation.RELU));
        assertRejected("at least one dense layer", () -> MlpSpec.builder(2).build());
    }

    @Test
    void rejectsLayersWithMoreWeightsThanAFloatArrayHolds() {
        assertRejected("layer 0 has 2147483647 x 32 = 68719476704 weights, more than the 2147483639",
                () -> MlpSpec.builder(Integer.MAX_VALUE).dense(32, Activation.RELU).dense(2, Activation.IDENTITY).build());
        assertRejected("layer 1 has 65536 x 65536",
                () -> MlpSpec.builder(4).dense(65536, Activation.RELU).dense(65536, Activation.RELU).build());
    }

    @Test
    void rejectsLossesThatDoNotFitTheLastLayer() {
        assertRejected("last layer's activation must be identity, got relu",
                () -> MlpSpec.builder(2).dense(3, Activation.RELU).loss(Loss.SOFTMAX_CROSS_ENTROPY).build());
        assertRejected("at least 2 classes",
                () -> MlpSpec.builder(2).dense(1, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build());
        MlpSpec.builder(2).dense(1, Activation.SIGMOID).loss(Loss.MEAN_SQUARED_ERROR).build();
    }

    @Test
    void initialWeightsAreSeededAndScaled() {
        MlpSpec a = MlpSpec.builder(400).dense(300, Activation.RELU).dense(2, Activation.IDENTITY).seed(5).build();
        MlpSpec b = MlpSpec.builder(400).dense(300, Activation.RELU).dense(2, Activation.IDENTITY).seed(5).build();
        assertArrayEquals(a.initialParameters().weights()[0], b.initialParameters().weights()[0]);
        assertArrayEquals(new float[300], a.initialParameters().biases()[0], "He uniform starts biases at zero");
        float[] w = a.initialParameters().weights()[0];
        double limit = Math.sqrt(6.0 / 400);
        double sumSquares = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= limit, "He uniform draw " + v + " outside ±" + limit);
            sumSquares += v * v;
        }
        // the variance of U(-l, l) is l²/3 = 2/fanIn
        assertEquals(2.0 / 400, sumSquares / w.length, 0.05 * 2.0 / 400);
    }

    @Test
    void everyInitializerHasItsVariance() {
        SeededRandom random = new SeededRandom(1);
        int fanIn = 200;
        int fanOut = 300;
        float[] w = new float[fanIn * fanOut];
        for (Initializer init : Initializer.values()) {
            init.fill(w, fanIn, fanOut, random);
            double variance = 0;
            for (float v : w) {
                variance += v * v;
            }
            variance /= w.length;
            double expected = switch (init) {
                case HE_UNIFORM, HE_NORMAL -> 2.0 / fanIn;
                case XAVIER_UNIFORM, XAVIER_NORMAL -> 2.0 / (fanIn + fanOut);
                case PYTORCH_LINEAR -> 1.0 / (3.0 * fanIn);
            };
            assertEquals(expected, variance, 0.03 * expected, init.name());
        }
    }

    @Test
    void pytorchLinearDrawsBiasesWithinOneOverRootFanIn() {
        MlpSpec spec = MlpSpec.builder(400).dense(3000, Activation.RELU).dense(2, Activation.IDENTITY)
                .initializer(Initializer.PYTORCH_LINEAR).seed(9).build();
        MlpSpec.InitialParameters initial = spec.initialParameters();
        assertArrayEquals(initial.biases()[1], spec.initialParameters().biases()[1], "seeded");
        float[] b = initial.biases()[0];
        double bound = 1 / Math.sqrt(400);
        double sumSquares = 0;
        for (float v : b) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
            sumSquares += v * v;
        }
        // U(-l, l) has variance l²/3
        assertEquals(bound * bound / 3, sumSquares / b.length, 0.1 * bound * bound / 3);
        for (float v : initial.biases()[1]) {
            assertTrue(v != 0 && Math.abs(v) <= 1 / Math.sqrt(3000), "last layer bias " + v);
        }
    }

    @Test
    void activationsRoundTripThroughText() {
        for (Activation f : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.2f),
                Activation.SIGMOID, Activation.TANH, Activation.GELU, Activation.SILU}) {
            assertEquals(f, Activation.parse(f.id()));
        }
        assertEquals(Activation.leakyRelu(0.01f), Activation.parse("leaky_relu"));
        assertRejected("unknown activation 'softplus'", () -> Activation.parse("softplus"));
        assertRejected("alpha applies to LEAKY_RELU only", () -> new Activation(Activation.Kind.RELU, 0.5f));
    }

    @Test
    void optimizersRejectOutOfRangeHyperparameters() {
        assertRejected("learning rate must be positive and finite, got 0.0", () -> Optimizer.sgd(0));
        assertRejected("learning rate must be positive and finite, got -1.0", () -> Optimizer.adam(-1));
        assertRejected("learning rate must be positive and finite, got NaN", () -> Optimizer.adam(Double.NaN));
        assertRejected("momentum must be in [0, 1), got 1.0", () -> Optimizer.sgd(0.1, 1, false));
        assertRejected("Nesterov momentum needs momentum > 0", () -> Optimizer.sgd(0.1, 0, true));
        assertRejected("weight decay must be >= 0", () -> Optimizer.adamW(0.1, -0.1));
        assertRejected("clip norm must be >= 0", () -> Optimizer.adam(0.1).withClipNorm(-1));
        assertRejected("beta2 must be in [0, 1), got 1.5", () -> Optimizer.adam(0.1).withAdamParameters(0.9, 1.5, 1e-8));
        assertRejected("cosine minimum", () -> LearningRateSchedule.cosine(0.1, 10, 0.2));
        assertRejected("warm-up steps must be positive", () -> LearningRateSchedule.warmup(0, LearningRateSchedule.constant(1)));
        assertEquals(0, Optimizer.sgd(0.1).stateSlots());
        assertEquals(1, Optimizer.sgd(0.1, 0.9, false).stateSlots());
        assertEquals(2, Optimizer.adamW(0.1, 0.01).stateSlots());
    }

    @Test
    void seededRandomIsReproducibleAndRestorable() {
        SeededRandom a = new SeededRandom(123);
        SeededRandom b = new SeededRandom(123);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        long state = a.state();
        double next = a.nextDouble();
        a.setState(state);
        assertEquals(next, a.nextDouble());
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[a.nextInt(7)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400);
        }
        int[] perm = {0, 1, 2, 3, 4, 5, 6, 7};
        a.shuffle(perm, perm.length);
        int[] sorted = perm.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted);
        assertRejected("bound must be positive", () -> a.nextInt(0));
    }
}
