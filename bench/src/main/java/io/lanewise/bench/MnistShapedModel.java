package io.lanewise.bench;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;

/**
 * The model the engine benchmarks and bench/compare/ share with PyTorch: 784-256-128-10, ReLU, softmax
 * cross-entropy (about 1.007 MFLOP per sample for a training step), and its two optimizers.
 */
final class MnistShapedModel {
    static final int INPUTS = 784;
    static final int CLASSES = 10;

    private MnistShapedModel() {
    }

    static MlpSpec spec() {
        return MlpSpec.builder(INPUTS).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(CLASSES, Activation.IDENTITY).seed(1).build();
    }

    /** "sgd" (momentum 0.9, lr 0.01) or "adam" (lr 1e-3), as in bench/compare/. */
    static Optimizer optimizer(String name) {
        return switch (name) {
            case "sgd" -> Optimizer.sgd(0.01, 0.9, false);
            case "adam" -> Optimizer.adam(1e-3);
            default -> throw new IllegalArgumentException("optimizer must be sgd or adam, got " + name);
        };
    }

    /** {@code rows} rows of pixel-like inputs in [0, 1). */
    static float[] inputs(int rows, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] x = new float[rows * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        return x;
    }

    /** {@code rows} labels in [0, 10). */
    static int[] labels(int rows, long seed) {
        SeededRandom random = new SeededRandom(seed);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = random.nextInt(CLASSES);
        }
        return y;
    }
}
