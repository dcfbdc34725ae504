package io.lanewise.reference;

import io.lanewise.spec.Activation;

/** Every activation and its derivative with respect to the pre-activation z, in double. */
public final class ReferenceActivations {
    private ReferenceActivations() {
    }

    /** f(z). */
    public static double apply(Activation f, double z) {
        return switch (f.kind()) {
            case IDENTITY -> z;
            case RELU -> Math.max(z, 0); // propagates NaN
            case LEAKY_RELU -> z > 0 ? z : f.alpha() * z;
            case SIGMOID -> sigmoid(z);
            case TANH -> Math.tanh(z);
            case GELU -> 0.5 * z * (1 + Math.tanh(Activation.GELU_SCALE * (z + Activation.GELU_CUBIC * z * z * z)));
            case SILU -> z * sigmoid(z);
        };
    }

    /** f'(z); at ReLU's kink, 0 (LeakyReLU: alpha), as PyTorch does. */
    public static double derivative(Activation f, double z) {
        return switch (f.kind()) {
            case IDENTITY -> 1;
            case RELU -> z > 0 ? 1 : 0;
            case LEAKY_RELU -> z > 0 ? 1 : f.alpha();
            case SIGMOID -> {
                double s = sigmoid(z);
                yield s * (1 - s);
            }
            case TANH -> {
                double t = Math.tanh(z);
                yield 1 - t * t;
            }
            case GELU -> {
                double t = Math.tanh(Activation.GELU_SCALE * (z + Activation.GELU_CUBIC * z * z * z));
                yield 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * Activation.GELU_SCALE * (1 + 3 * Activation.GELU_CUBIC * z * z);
            }
            case SILU -> {
                double s = sigmoid(z);
                yield s * (1 + z * (1 - s));
            }
        };
    }

    /** 1 / (1 + e^-z), without overflow for large |z|. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /** A new matrix of f applied element-wise. */
    public static DoubleMatrix apply(Activation f, DoubleMatrix z) {
        DoubleMatrix out = DoubleMatrix.zeros(z.rows(), z.cols());
        for (int i = 0; i < z.data().length; i++) {
            out.data()[i] = apply(f, z.data()[i]);
        }
        return out;
    }
}
