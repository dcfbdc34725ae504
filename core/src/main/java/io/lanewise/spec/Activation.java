package io.lanewise.spec;

/**
 * The activation a dense layer applies to its pre-activation {@code Z}.
 *
 * @param kind  which function
 * @param alpha the negative slope, for {@link Kind#LEAKY_RELU} only (0 for the others)
 */
public record Activation(Kind kind, float alpha) {
    /** The functions available. */
    public enum Kind {
        /** f(z) = z. */
        IDENTITY,
        /** f(z) = max(z, 0); f'(0) = 0. */
        RELU,
        /** f(z) = z for z &gt; 0, alpha·z otherwise. */
        LEAKY_RELU,
        /** f(z) = 1 / (1 + e^-z). */
        SIGMOID,
        /** f(z) = tanh z. */
        TANH,
        /** The tanh form: f(z) = z/2 · (1 + tanh(√(2/π)·(z + 0.044715·z³))). */
        GELU,
        /** f(z) = z · sigmoid(z) (also called swish). */
        SILU
    }

    /** f(z) = z. */
    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0f);
    /** max(z, 0). */
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    /** The logistic sigmoid. */
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    /** The hyperbolic tangent. */
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    /** GELU, tanh approximation (PyTorch's {@code approximate='tanh'}): {@code ½z(1 + tanh(GELU_SCALE·(z + GELU_CUBIC·z³)))}. */
    public static final Activation GELU = new Activation(Kind.GELU, 0f);
    /** √(2/π), the scale of GELU's tanh form: the one definition, which every implementation rounds to its precision. */
    public static final double GELU_SCALE = Math.sqrt(2.0 / Math.PI);
    /** GELU's cubic coefficient. */
    public static final double GELU_CUBIC = 0.044715;
    /** SiLU, z·sigmoid(z). */
    public static final Activation SILU = new Activation(Kind.SILU, 0f);

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException if alpha is not finite, or non-zero for a kind other than LEAKY_RELU
     */
    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("activation kind must not be null");
        }
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("activation alpha must be finite, got " + alpha);
        }
        if (kind != Kind.LEAKY_RELU && alpha != 0f) {
            throw new IllegalArgumentException("alpha applies to LEAKY_RELU only, got alpha=" + alpha + " for " + kind);
        }
    }

    /** LeakyReLU with negative slope {@code alpha} (PyTorch's default is 0.01). */
    public static Activation leakyRelu(float alpha) {
        return new Activation(Kind.LEAKY_RELU, alpha);
    }

    /** A stable text form: {@code relu}, {@code leaky_relu(0.01)}, ...; {@link #parse} reads it back. */
    public String id() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Kind.LEAKY_RELU ? name + "(" + alpha + ")" : name;
    }

    /**
     * Reads the form {@link #id()} writes; {@code leaky_relu} alone means alpha 0.01.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Activation parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("leaky_relu")) {
            String rest = t.substring("leaky_relu".length());
            if (rest.isEmpty()) {
                return leakyRelu(0.01f);
            }
            if (rest.startsWith("(") && rest.endsWith(")")) {
                try {
                    return leakyRelu(Float.parseFloat(rest.substring(1, rest.length() - 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad leaky_relu slope in '" + text + "'", e);
                }
            }
        } else {
            for (Kind k : Kind.values()) {
                if (k != Kind.LEAKY_RELU && k.name().toLowerCase(java.util.Locale.ROOT).equals(t)) {
                    return new Activation(k, 0f);
                }
            }
        }
        throw new IllegalArgumentException("unknown activation '" + text
                + "': expected identity, relu, leaky_relu, leaky_relu(ALPHA), sigmoid, tanh, gelu or silu");
    }
}
