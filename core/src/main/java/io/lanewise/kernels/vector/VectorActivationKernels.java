package io.lanewise.kernels.vector;

import io.lanewise.kernels.ActivationKernels;
import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationKernels} on the Vector API, row by row. The activations with exp (sigmoid, tanh, GELU,
 * SiLU) and their derivatives are {@link ExpForm}s, evaluated by {@link VectorMath#row}; identity, ReLU and
 * LeakyReLU have their own small loops here. Each loop runs a row's whole vectors, then the elements past
 * the last one through a scalar twin that gives the same bits, so the padding is never touched and no
 * masked operation is needed (see {@link VectorSupport}). Calls pass rows in memory, never vectors.
 */
public final class VectorActivationKernels implements ActivationKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    public void forward(Activation f, Matrix z, Matrix a) {
        KernelChecks.sameShape(z, "activation output", a);
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        MemorySegment zs = z.segment();
        MemorySegment as = a.segment();
        int cols = z.cols();
        for (int r = 0; r < z.rows(); r++) {
            forwardRow(kind, alpha, zs, (long) r * z.stride() * Float.BYTES, as, (long) r * a.stride() * Float.BYTES, cols);
        }
    }

    /**
     * {@code a = f(z)} over one row of {@code cols} floats at byte offsets {@code zo} of {@code zs} and {@code ao}
     * of {@code as} (the same place is fine): for the activation kernel and for the GEMM's forward epilogue,
     * which stores a tile's rows and then calls this on them.
     */
    public static void forwardRow(Activation.Kind kind, float alpha, MemorySegment zs, long zo, MemorySegment as,
                                  long ao, int cols) {
        switch (kind) {
            case IDENTITY -> leakyRow(1f, zs, zo, as, ao, cols);
            case LEAKY_RELU -> leakyRow(alpha, zs, zo, as, ao, cols);
            case RELU -> reluRow(zs, zo, as, ao, cols);
            case SIGMOID, TANH, GELU, SILU -> VectorMath.row(ExpForm.of(kind), 0f, zs, zo, zs, zo, as, ao, cols);
        }
    }

    @Override
    public void backward(Activation f, Matrix z, Matrix dA, Matrix dZ) {
        KernelChecks.sameShape(z, "upstream gradient", dA);
        KernelChecks.sameShape(z, "activation gradient", dZ);
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        MemorySegment zs = z.segment();
        MemorySegment das = dA.segment();
        MemorySegment dzs = dZ.segment();
        int cols = z.cols();
        for (int r = 0; r < z.rows(); r++) {
            backwardRow(kind, alpha, zs, (long) r * z.stride() * Float.BYTES, das, (long) r * dA.stride() * Float.BYTES,
                    dzs, (long) r * dZ.stride() * Float.BYTES, cols);
        }
    }

    /**
     * {@code dZ = f'(z) ⊙ dA} over one row of {@code cols} floats at byte offsets {@code zo}, {@code dao} and
     * {@code dzo} ({@code dZ} may be {@code dA} or {@code z}): for the activation kernel and for the GEMM's
     * backward epilogue, which stores a tile's rows of dA and then calls this on them.
     */
    public static void backwardRow(Activation.Kind kind, float alpha, MemorySegment zs, long zo, MemorySegment das,
                                   long dao, MemorySegment dzs, long dzo, int cols) {
        switch (kind) {
            case IDENTITY -> slopeRow(1f, zs, zo, das, dao, dzs, dzo, cols);
            case RELU -> slopeRow(0f, zs, zo, das, dao, dzs, dzo, cols);
            case LEAKY_RELU -> slopeRow(alpha, zs, zo, das, dao, dzs, dzo, cols);
            case SIGMOID, TANH, GELU, SILU ->
                    VectorMath.row(ExpForm.derivativeOf(kind), 0f, zs, zo, das, dao, dzs, dzo, cols);
        }
    }

    /** {@code a = z > 0 ? z : alpha·z}: LeakyReLU, and the identity at alpha = 1. */
    private static void leakyRow(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, int cols) {
        long bytes = (long) (VectorSupport.FULL ? F.loopBound(cols) : 0) * Float.BYTES;
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            z.blend(z.mul(alpha), z.compare(VectorOperators.LE, 0f)).intoMemorySegment(as, ao + b, ORDER);
        }
        for (long b = bytes; b < (long) cols * Float.BYTES; b += Float.BYTES) {
            float z = zs.get(FLOAT, zo + b);
            as.set(FLOAT, ao + b, z <= 0f ? z * alpha : z);
        }
    }

    /** {@code a = max(z, 0)}: NaN stays NaN and -∞ gives 0, as in PyTorch. */
    private static void reluRow(MemorySegment zs, long zo, MemorySegment as, long ao, int cols) {
        long bytes = (long) (VectorSupport.FULL ? F.loopBound(cols) : 0) * Float.BYTES;
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector.fromMemorySegment(F, zs, zo + b, ORDER).max(0f).intoMemorySegment(as, ao + b, ORDER);
        }
        for (long b = bytes; b < (long) cols * Float.BYTES; b += Float.BYTES) {
            as.set(FLOAT, ao + b, Math.max(zs.get(FLOAT, zo + b), 0f));
        }
    }

    /** {@code dZ = (z > 0 ? 1 : slope)·dA}: the derivative of ReLU (slope 0), LeakyReLU and the identity (1). */
    private static void slopeRow(float slope, MemorySegment zs, long zo, MemorySegment das, long dao,
                                 MemorySegment dzs, long dzo, int cols) {
        long bytes = (long) (VectorSupport.FULL ? F.loopBound(cols) : 0) * Float.BYTES;
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = FloatVector.broadcast(F, slope).blend(1f, z.compare(VectorOperators.GT, 0f));
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
        for (long b = bytes; b < (long) cols * Float.BYTES; b += Float.BYTES) {
            float d = zs.get(FLOAT, zo + b) > 0f ? 1f : slope;
            dzs.set(FLOAT, dzo + b, d * das.get(FLOAT, dao + b));
        }
    }
}
