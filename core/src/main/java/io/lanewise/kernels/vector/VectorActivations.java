package io.lanewise.kernels.vector;

import static io.lanewise.kernels.vector.VectorSupport.fma;

import io.lanewise.spec.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Every activation and its derivative on one vector of pre-activations, the vector twins of
 * {@link io.lanewise.kernels.ScalarActivations}, for the per-kind loops of {@link VectorActivationKernels}
 * (which the GEMM epilogues call on rows in memory: no vector crosses a call). exp and tanh come from {@link VectorMath}, which gives the same bits in
 * every JIT state (see {@link io.lanewise.kernels.ActivationKernels} for every activation's error bound).
 *
 * <p>{@link #applyLane} and {@link #derivativeLane} are their scalar twins: the same IEEE operations in the
 * same order on one float, so an element gives the same bits through either (the kernels use them past a
 * row's last whole vector, and for whole rows where the vector forms are not compiled; see
 * {@link VectorSupport#FULL}).
 */
public final class VectorActivations {
    static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final float GELU_SCALE = io.lanewise.kernels.ScalarActivations.GELU_SCALE;
    private static final float GELU_CUBIC = io.lanewise.kernels.ScalarActivations.GELU_CUBIC;

    private VectorActivations() {
    }

    /** 1 / (1 + e^-z) lane-wise. */
    public static FloatVector sigmoid(FloatVector z) {
        FloatVector e = VectorMath.exp(z.neg());
        return FloatVector.broadcast(F, 1f).div(e.add(1f));
    }

    static FloatVector leakyRelu(float alpha, FloatVector z) {
        return z.blend(z.mul(alpha), z.compare(VectorOperators.LE, 0f));
    }

    static FloatVector gelu(FloatVector z) {
        return geluTanh(z).add(1f).mul(z).mul(0.5f);
    }

    static FloatVector sigmoidDerivative(FloatVector z) {
        FloatVector s = sigmoid(z);
        return s.mul(s.neg().add(1f));
    }

    static FloatVector tanhDerivative(FloatVector z) {
        FloatVector t = VectorMath.tanh(z);
        return t.neg().fma(t, FloatVector.broadcast(F, 1f));
    }

    static FloatVector geluDerivative(FloatVector z) {
        FloatVector t = geluTanh(z);
        FloatVector inner = z.mul(z).mul(3f * GELU_CUBIC).add(1f).mul(GELU_SCALE);
        FloatVector oneMinusT2 = t.neg().fma(t, FloatVector.broadcast(F, 1f));
        return z.mul(0.5f).mul(oneMinusT2).fma(inner, t.add(1f).mul(0.5f));
    }

    static FloatVector siluDerivative(FloatVector z) {
        FloatVector s = sigmoid(z);
        return z.mul(s.neg().add(1f)).add(1f).mul(s);
    }

    private static FloatVector geluTanh(FloatVector z) {
        FloatVector z3 = z.mul(z).mul(z);
        return VectorMath.tanh(z3.fma(FloatVector.broadcast(F, GELU_CUBIC), z).mul(GELU_SCALE));
    }

    /** The scalar twin of {@link #apply}: the same bits as a lane of it. */
    public static float applyLane(Activation.Kind kind, float alpha, float z) {
        return switch (kind) {
            case IDENTITY -> z;
            case RELU -> Math.max(z, 0f);
            case LEAKY_RELU -> z <= 0f ? z * alpha : z;
            case SIGMOID -> sigmoidLane(z);
            case TANH -> VectorMath.tanhLane(z);
            case GELU -> (geluTanhLane(z) + 1f) * z * 0.5f;
            case SILU -> sigmoidLane(z) * z;
        };
    }

    /** The scalar twin of {@link #derivative}: the same bits as a lane of it. */
    public static float derivativeLane(Activation.Kind kind, float alpha, float z) {
        return switch (kind) {
            case IDENTITY -> 1f;
            case RELU -> z > 0f ? 1f : 0f;
            case LEAKY_RELU -> z > 0f ? 1f : alpha;
            case SIGMOID -> {
                float s = sigmoidLane(z);
                yield s * (-s + 1f);
            }
            case TANH -> {
                float t = VectorMath.tanhLane(z);
                yield fma(-t, t, 1f);
            }
            case GELU -> {
                float t = geluTanhLane(z);
                float inner = (z * z * (3f * GELU_CUBIC) + 1f) * GELU_SCALE;
                float oneMinusT2 = fma(-t, t, 1f);
                yield fma(z * 0.5f * oneMinusT2, inner, (t + 1f) * 0.5f);
            }
            case SILU -> {
                float s = sigmoidLane(z);
                yield (z * (-s + 1f) + 1f) * s;
            }
        };
    }

    /** The scalar twin of {@link #sigmoid}. */
    public static float sigmoidLane(float z) {
        return 1f / (VectorMath.expLane(-z) + 1f);
    }

    private static float geluTanhLane(float z) {
        float z3 = z * z * z;
        return VectorMath.tanhLane(fma(z3, GELU_CUBIC, z) * GELU_SCALE);
    }
}
