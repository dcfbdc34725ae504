package io.lanewise.kernels.vector;

import io.lanewise.kernels.ActivationKernels;
import io.lanewise.kernels.KernelChecks;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationKernels} on the Vector API with {@link VectorActivations}, one vector of a row at a
 * time; the elements past a row's last whole vector go one at a time through the scalar twins
 * ({@link VectorActivations#applyLane}), which give the same bits, so the padding is never touched and no
 * masked operation is needed (see {@link VectorSupport}). Where the vector forms are not compiled
 * ({@link VectorSupport#FULL} false) every element takes the scalar twins.
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
     * which stores a tile's rows of Z and then calls this on them.
     */
    public static void forwardRow(Activation.Kind kind, float alpha, MemorySegment zs, long zo, MemorySegment as,
                                  long ao, int cols) {
        long bytes = (long) (VectorSupport.FULL ? F.loopBound(cols) : 0) * Float.BYTES;
        // One loop per kind, called with no vector crossing the call: a switch inside one vector loop
        // merged the vectors of the kinds a network uses, and C2 then boxed them on the heap.
        switch (kind) {
            case IDENTITY -> forwardIdentity(alpha, zs, zo, as, ao, bytes);
            case RELU -> forwardRelu(alpha, zs, zo, as, ao, bytes);
            case LEAKY_RELU -> forwardLeakyRelu(alpha, zs, zo, as, ao, bytes);
            case SIGMOID -> forwardSigmoid(alpha, zs, zo, as, ao, bytes);
            case TANH -> forwardTanh(alpha, zs, zo, as, ao, bytes);
            case GELU -> forwardGelu(alpha, zs, zo, as, ao, bytes);
            case SILU -> forwardSilu(alpha, zs, zo, as, ao, bytes);
        }
        for (long b = bytes; b < (long) cols * Float.BYTES; b += Float.BYTES) {
            as.set(FLOAT, ao + b, VectorActivations.applyLane(kind, alpha, zs.get(FLOAT, zo + b)));
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
     * {@code dzo} ({@code dA} and {@code dZ} may be the same place): for the activation kernel and for the
     * GEMM's backward epilogue, which stores a tile's rows of dA and then calls this on them.
     */
    public static void backwardRow(Activation.Kind kind, float alpha, MemorySegment zs, long zo, MemorySegment das,
                                   long dao, MemorySegment dzs, long dzo, int cols) {
        long bytes = (long) (VectorSupport.FULL ? F.loopBound(cols) : 0) * Float.BYTES;
        switch (kind) {
            case IDENTITY -> backwardIdentity(alpha, zs, zo, das, dao, dzs, dzo, bytes);
            case RELU -> backwardRelu(alpha, zs, zo, das, dao, dzs, dzo, bytes);
            case LEAKY_RELU -> backwardLeakyRelu(alpha, zs, zo, das, dao, dzs, dzo, bytes);
            case SIGMOID -> backwardSigmoid(alpha, zs, zo, das, dao, dzs, dzo, bytes);
            case TANH -> backwardTanh(alpha, zs, zo, das, dao, dzs, dzo, bytes);
            case GELU -> backwardGelu(alpha, zs, zo, das, dao, dzs, dzo, bytes);
            case SILU -> backwardSilu(alpha, zs, zo, das, dao, dzs, dzo, bytes);
        }
        for (long b = bytes; b < (long) cols * Float.BYTES; b += Float.BYTES) {
            float d = VectorActivations.derivativeLane(kind, alpha, zs.get(FLOAT, zo + b));
            dzs.set(FLOAT, dzo + b, d * das.get(FLOAT, dao + b));
        }
    }

    private static void forwardIdentity(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            v.intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void forwardRelu(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            v.max(0f).intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void forwardLeakyRelu(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            VectorActivations.leakyRelu(alpha, v).intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void forwardSigmoid(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            VectorActivations.sigmoid(v).intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void forwardTanh(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            VectorMath.tanh(v).intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void forwardGelu(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            VectorActivations.gelu(v).intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void forwardSilu(float alpha, MemorySegment zs, long zo, MemorySegment as, long ao, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            VectorActivations.sigmoid(v).mul(v).intoMemorySegment(as, ao + b, ORDER);
        }
    }

    private static void backwardIdentity(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector.fromMemorySegment(F, das, dao + b, ORDER).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }

    private static void backwardRelu(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = FloatVector.broadcast(F, 0f).blend(1f, v.compare(VectorOperators.GT, 0f));
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }

    private static void backwardLeakyRelu(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = FloatVector.broadcast(F, alpha).blend(1f, v.compare(VectorOperators.GT, 0f));
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }

    private static void backwardSigmoid(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = VectorActivations.sigmoidDerivative(v);
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }

    private static void backwardTanh(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = VectorActivations.tanhDerivative(v);
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }

    private static void backwardGelu(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = VectorActivations.geluDerivative(v);
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }

    private static void backwardSilu(float alpha, MemorySegment zs, long zo, MemorySegment das, long dao,
                                         MemorySegment dzs, long dzo, long bytes) {
        for (long b = 0; b < bytes; b += F.vectorByteSize()) {
            FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + b, ORDER);
            FloatVector d = VectorActivations.siluDerivative(v);
            d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
        }
    }
}
