package io.lanewise.kernels;

import io.lanewise.spec.Activation;

/**
 * Every activation and its derivative (with respect to z) on one float: the scalar path when the Vector
 * API is not used, and the tails of vector loops. Same formulas as the reference, in float.
 */
public final class ScalarActivations {
    /** {@link Activation#GELU_SCALE} in float. */
    public static final float GELU_SCALE = (float) Activation.GELU_SCALE;
    /** {@link Activation#GELU_CUBIC} in float. */
    public static final float GELU_CUBIC = (float) Activation.GELU_CUBIC;

    private ScalarActivations() {
    }

    /** f(z). */
    public static float apply(Activation.Kind kind, float alpha, float z) {
        return switch (kind) {
            case IDENTITY -> z;
            case RELU -> Math.max(z, 0f); // propagates NaN, as the vector max and PyTorch do
            case LEAKY_RELU -> z > 0 ? z : alpha * z;
            case SIGMOID -> sigmoid(z);
            case TANH -> (float) Math.tanh(z);
            case GELU -> 0.5f * z * (1f + (float) Math.tanh(GELU_SCALE * (z + GELU_CUBIC * z * z * z)));
            case SILU -> z * sigmoid(z);
        };
    }

    /** f'(z); 0 at ReLU's kink (alpha for LeakyReLU). */
    public static float derivative(Activation.Kind kind, float alpha, float z) {
        return switch (kind) {
            case IDENTITY -> 1f;
            case RELU -> z > 0 ? 1f : 0f;
            case LEAKY_RELU -> z > 0 ? 1f : alpha;
            case SIGMOID -> {
                float s = sigmoid(z);
                yield s * (1f - s);
            }
            case TANH -> {
                float t = (float) Math.tanh(z);
                yield 1f - t * t;
            }
            case GELU -> {
                float t = (float) Math.tanh(GELU_SCALE * (z + GELU_CUBIC * z * z * z));
                yield 0.5f * (1f + t) + 0.5f * z * (1f - t * t) * GELU_SCALE * (1f + 3f * GELU_CUBIC * z * z);
            }
            case SILU -> {
                float s = sigmoid(z);
                yield s * (1f + z * (1f - s));
            }
        };
    }

    /** 1 / (1 + e^-z); exp overflowing to infinity gives 0, as it should. */
    public static float sigmoid(float z) {
        return 1f / (1f + (float) Math.exp(-z));
    }
}
