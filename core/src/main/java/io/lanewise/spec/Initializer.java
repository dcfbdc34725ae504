package io.lanewise.spec;

import java.util.Arrays;

/**
 * How a dense layer's parameters are drawn. {@code fanIn} is the layer's input width, {@code fanOut} its
 * output width. Only {@link #PYTORCH_LINEAR} draws biases; the others start them at zero.
 */
public enum Initializer {
    /** Uniform in ±√(6 / fanIn) (Kaiming, for ReLU-like activations). */
    HE_UNIFORM,
    /** Normal with standard deviation √(2 / fanIn). */
    HE_NORMAL,
    /** Uniform in ±√(6 / (fanIn + fanOut)) (Glorot). */
    XAVIER_UNIFORM,
    /** Normal with standard deviation √(2 / (fanIn + fanOut)). */
    XAVIER_NORMAL,
    /**
     * PyTorch's {@code nn.Linear} default: weights and biases uniform in ±1/√fanIn (Kaiming uniform with
     * a = √5), so a recipe tuned in PyTorch starts from the same distribution here.
     */
    PYTORCH_LINEAR;

    /**
     * Fills {@code weights[0 .. fanIn·fanOut)} with draws from {@code random}, in row-major order of the
     * fanIn × fanOut matrix.
     */
    public void fill(float[] weights, int fanIn, int fanOut, SeededRandom random) {
        int count = Math.multiplyExact(fanIn, fanOut);
        if (weights.length < count) {
            throw new IllegalArgumentException("weights array too small: expected " + count + ", got " + weights.length);
        }
        double fans = switch (this) {
            case HE_UNIFORM, HE_NORMAL, PYTORCH_LINEAR -> fanIn;
            case XAVIER_UNIFORM, XAVIER_NORMAL -> fanIn + fanOut;
        };
        boolean uniform = this != HE_NORMAL && this != XAVIER_NORMAL;
        double scale = switch (this) {
            case PYTORCH_LINEAR -> 1.0 / Math.sqrt(fans);
            case HE_UNIFORM, XAVIER_UNIFORM -> Math.sqrt(6.0 / fans);
            case HE_NORMAL, XAVIER_NORMAL -> Math.sqrt(2.0 / fans);
        };
        for (int i = 0; i < count; i++) {
            double draw = uniform ? 2.0 * random.nextDouble() - 1.0 : random.nextGaussian();
            weights[i] = (float) (scale * draw);
        }
    }

    /**
     * Fills {@code biases[0 .. fanOut)}: uniform in ±1/√fanIn for {@link #PYTORCH_LINEAR}, zero for the
     * others (which then draw nothing from {@code random}).
     */
    public void fillBiases(float[] biases, int fanIn, int fanOut, SeededRandom random) {
        if (biases.length < fanOut) {
            throw new IllegalArgumentException("biases array too small: expected " + fanOut + ", got " + biases.length);
        }
        if (this != PYTORCH_LINEAR) {
            Arrays.fill(biases, 0, fanOut, 0f);
            return;
        }
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < fanOut; i++) {
            biases[i] = (float) (bound * (2.0 * random.nextDouble() - 1.0));
        }
    }
}
