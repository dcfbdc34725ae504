package io.lanewise.spec;

/**
 * How a dense layer's weights are drawn (biases start at zero). {@code fanIn} is the layer's input
 * width, {@code fanOut} its output width.
 */
public enum Initializer {
    /** Uniform in ±√(6 / fanIn) (Kaiming, for ReLU-like activations). */
    HE_UNIFORM,
    /** Normal with standard deviation √(2 / fanIn). */
    HE_NORMAL,
    /** Uniform in ±√(6 / (fanIn + fanOut)) (Glorot). */
    XAVIER_UNIFORM,
    /** Normal with standard deviation √(2 / (fanIn + fanOut)). */
    XAVIER_NORMAL;

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
            case HE_UNIFORM, HE_NORMAL -> fanIn;
            case XAVIER_UNIFORM, XAVIER_NORMAL -> fanIn + fanOut;
        };
        boolean uniform = this == HE_UNIFORM || this == XAVIER_UNIFORM;
        double scale = uniform ? Math.sqrt(6.0 / fans) : Math.sqrt(2.0 / fans);
        for (int i = 0; i < count; i++) {
            double draw = uniform ? 2.0 * random.nextDouble() - 1.0 : random.nextGaussian();
            weights[i] = (float) (scale * draw);
        }
    }
}
