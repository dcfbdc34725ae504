package io.lanewise.kernels.vector;

import io.lanewise.kernels.ActivationKernels;
import io.lanewise.kernels.KernelChecks;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationKernels} on the Vector API with {@link VectorActivations}, one vector of a row at a
 * time; the last partial vector of each row is loaded and stored under a mask, so the padding is never
 * touched and every element goes through the same vector formula.
 */
public final class VectorActivationKernels implements ActivationKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void forward(Activation f, Matrix z, Matrix a) {
        KernelChecks.sameShape(z, "activation output", a);
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        MemorySegment zs = z.segment();
        MemorySegment as = a.segment();
        int cols = z.cols();
        int bound = F.loopBound(cols);
        for (int r = 0; r < z.rows(); r++) {
            long zo = (long) r * z.stride() * Float.BYTES;
            long ao = (long) r * a.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + (long) c * Float.BYTES, ORDER);
                VectorActivations.apply(kind, alpha, v).intoMemorySegment(as, ao + (long) c * Float.BYTES, ORDER);
            }
            if (c < cols) {
                VectorMask<Float> m = F.indexInRange(c, cols);
                FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + (long) c * Float.BYTES, ORDER, m);
                VectorActivations.apply(kind, alpha, v).intoMemorySegment(as, ao + (long) c * Float.BYTES, ORDER, m);
            }
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
        int bound = F.loopBound(cols);
        for (int r = 0; r < z.rows(); r++) {
            long zo = (long) r * z.stride() * Float.BYTES;
            long dao = (long) r * dA.stride() * Float.BYTES;
            long dzo = (long) r * dZ.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector d = VectorActivations.derivative(kind, alpha, FloatVector.fromMemorySegment(F, zs, zo + b, ORDER));
                d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER)).intoMemorySegment(dzs, dzo + b, ORDER);
            }
            if (c < cols) {
                long b = (long) c * Float.BYTES;
                VectorMask<Float> m = F.indexInRange(c, cols);
                FloatVector d = VectorActivations.derivative(kind, alpha, FloatVector.fromMemorySegment(F, zs, zo + b, ORDER, m));
                d.mul(FloatVector.fromMemorySegment(F, das, dao + b, ORDER, m)).intoMemorySegment(dzs, dzo + b, ORDER, m);
            }
        }
    }
}
