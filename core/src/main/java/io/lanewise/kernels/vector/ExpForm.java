package io.lanewise.kernels.vector;

import io.lanewise.spec.Activation;

/**
 * The coefficients of one function of the exp family, as {@link VectorMath#row} evaluates it on an element
 * {@code z} (and a multiplier {@code m}, the upstream gradient of a derivative):
 * <pre>
 *   w = w1·z + w3·z³ + shift             e = exp(w)
 *   g = 1 / (1 + e)                      h = g·e  (= 1 − g, without its cancellation)
 *   forward:    out = P·g + r·e + b,     P = z if timesZ, else p0
 *   derivative: out = m·(p0·g + (q0 + q1·z + q3·z³)·g·h)
 * </pre>
 * and for a forward form, where {@code |z| < tanhBelow}, tanh's odd polynomial in z instead (2g − 1
 * cancels near 0).
 *
 * <p>With w = −k·x, g is the logistic function σ(k·x) and h is σ(−k·x), so every activation that needs exp
 * and every derivative of one is such a form (below, S = √(2/π), C = 0.044715, u = S·(z + C·z³)):
 * σ(z) = g; tanh z = 2σ(2z) − 1; GELU = ½z(1 + tanh u) = z·σ(2u); SiLU = z·σ(z); σ' = g·h;
 * tanh' = 4·g·h; GELU' = g + 2z·u'·g·h; SiLU' = g + z·g·h. Softmax's numerator e^(z − max) is r = 1.
 * One form per function, one loop for all of them: no function of vectors is called per element, so no
 * vector ever crosses a call that C2 might not inline (and would then box on the heap).
 *
 * @param timesZ    whether the g term is multiplied by z (P = z) rather than by p0
 * @param derivative whether this is a derivative, scaled by m, or a forward form
 * @param tanhBelow the |z| below which tanh's polynomial replaces the form (0: never)
 */
record ExpForm(float w1, float w3, float p0, boolean timesZ, float q0, float q1, float q3, float r, float b,
               boolean derivative, float tanhBelow) {
    private static final float S = (float) Activation.GELU_SCALE;
    private static final float C = (float) Activation.GELU_CUBIC;

    /** e^(z + shift): softmax's numerators, with shift = −max. */
    static final ExpForm EXP = new ExpForm(1f, 0f, 0f, false, 0f, 0f, 0f, 1f, 0f, false, 0f);

    private static final ExpForm SIGMOID = forwardForm(-1f, 0f, 1f, false, 0f, 0f);
    private static final ExpForm TANH = forwardForm(-2f, 0f, 2f, false, -1f, 0.625f);
    private static final ExpForm GELU = forwardForm(-2f * S, -2f * S * C, 0f, true, 0f, 0f);
    private static final ExpForm SILU = forwardForm(-1f, 0f, 0f, true, 0f, 0f);
    private static final ExpForm SIGMOID_DERIVATIVE = derivativeForm(-1f, 0f, 0f, 1f, 0f, 0f);
    private static final ExpForm TANH_DERIVATIVE = derivativeForm(-2f, 0f, 0f, 4f, 0f, 0f);
    private static final ExpForm GELU_DERIVATIVE = derivativeForm(-2f * S, -2f * S * C, 1f, 0f, 2f * S, 6f * S * C);
    private static final ExpForm SILU_DERIVATIVE = derivativeForm(-1f, 0f, 1f, 0f, 1f, 0f);

    private static ExpForm forwardForm(float w1, float w3, float p0, boolean timesZ, float b, float tanhBelow) {
        return new ExpForm(w1, w3, p0, timesZ, 0f, 0f, 0f, 0f, b, false, tanhBelow);
    }

    private static ExpForm derivativeForm(float w1, float w3, float p0, float q0, float q1, float q3) {
        return new ExpForm(w1, w3, p0, false, q0, q1, q3, 0f, 0f, true, 0f);
    }

    /** The form of f, or null for the activations without exp (identity, ReLU, LeakyReLU). */
    static ExpForm of(Activation.Kind kind) {
        return switch (kind) {
            case SIGMOID -> SIGMOID;
            case TANH -> TANH;
            case GELU -> GELU;
            case SILU -> SILU;
            case IDENTITY, RELU, LEAKY_RELU -> null;
        };
    }

    /** The form of f', or null for the activations without exp. */
    static ExpForm derivativeOf(Activation.Kind kind) {
        return switch (kind) {
            case SIGMOID -> SIGMOID_DERIVATIVE;
            case TANH -> TANH_DERIVATIVE;
            case GELU -> GELU_DERIVATIVE;
            case SILU -> SILU_DERIVATIVE;
            case IDENTITY, RELU, LEAKY_RELU -> null;
        };
    }
}
