package io.lanewise.kernels.vector;

import io.lanewise.kernels.ActivationKernels;
import io.lanewise.kernels.KernelChecks;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
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
        int bound = VectorSupport.FULL ? F.loopBound(cols) : 0;
        for (int r = 0; r < z.rows(); r++) {
            long zo = (long) r * z.stride() * Float.BYTES;
            long ao = (long) r * a.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector v = FloatVector.fromMemorySegment(F, zs, zo + (long) c * Float.BYTES, ORDER);
                VectorActivations.apply(kind, alpha, v).intoMemorySegment(as, ao + (long) c * Float.BYTES, ORDER);
            }
            for (; c < cols; c++) {
                long b = (long) c * Float.BYTES;
                as.set(FLOAT, ao + b, VectorActivations.applyLane(kind, alpha, zs.get(FLOAT, zo + b)));
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
        int bound = VectorSupport.FULL ? F.loopBound(cols) : 0;
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
            for (; c < cols; c++) {
                long b = (long) c * Float.BYTES;
                float d = VectorActivations.derivativeLane(kind, alpha, zs.get(FLOAT, zo + b));
                dzs.set(FLOAT, dzo + b, d * das.get(FLOAT, dao + b));
            }
        }
    }
}
