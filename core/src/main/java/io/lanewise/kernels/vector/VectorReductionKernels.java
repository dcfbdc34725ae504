package io.lanewise.kernels.vector;

import io.lanewise.kernels.KernelChecks;
import io.lanewise.kernels.ReductionKernels;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReductionKernels} on the Vector API; partial vectors at row ends go under a mask. Lanes are summed
 * in the fixed order of {@link VectorSupport}, the same bits compiled or interpreted.
 */
public final class VectorReductionKernels implements ReductionKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int V = F.length();
    private static final VectorShuffle<Float> R8 = VectorSupport.ROTATE_8;
    private static final VectorShuffle<Float> R4 = VectorSupport.ROTATE_4;
    private static final VectorShuffle<Float> R2 = VectorSupport.ROTATE_2;
    private static final VectorShuffle<Float> R1 = VectorSupport.ROTATE_1;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void columnSums(Matrix m, Matrix sums) {
        KernelChecks.columnSumsShape(m, sums);
        MemorySegment ms = m.segment();
        MemorySegment ss = sums.segment();
        long rowBytes = (long) m.stride() * Float.BYTES;
        int cols = m.cols();
        int bound = F.loopBound(cols);
        // One column strip at a time, down all rows: each sum is written once, from a register.
        int c = 0;
        for (; c < bound; c += F.length()) {
            long b = (long) c * Float.BYTES;
            FloatVector acc = FloatVector.zero(F);
            for (int r = 0; r < m.rows(); r++) {
                acc = acc.add(FloatVector.fromMemorySegment(F, ms, r * rowBytes + b, ORDER));
            }
            acc.intoMemorySegment(ss, b, ORDER);
        }
        if (c < cols) {
            long b = (long) c * Float.BYTES;
            VectorMask<Float> mask = F.indexInRange(c, cols);
            FloatVector acc = FloatVector.zero(F);
            for (int r = 0; r < m.rows(); r++) {
                acc = acc.add(FloatVector.fromMemorySegment(F, ms, r * rowBytes + b, ORDER, mask));
            }
            acc.intoMemorySegment(ss, b, ORDER, mask);
        }
    }

    @Override
    public double sumOfSquares(Matrix m) {
        m.checkAlive();
        MemorySegment ms = m.segment();
        int cols = m.cols();
        int bound = F.loopBound(cols);
        double total = 0;
        for (int r = 0; r < m.rows(); r++) {
            long o = (long) r * m.stride() * Float.BYTES;
            FloatVector acc = FloatVector.zero(F);
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector v = FloatVector.fromMemorySegment(F, ms, o + (long) c * Float.BYTES, ORDER);
                acc = v.fma(v, acc);
            }
            if (c < cols) {
                FloatVector v = FloatVector.fromMemorySegment(F, ms, o + (long) c * Float.BYTES, ORDER,
                        F.indexInRange(c, cols));
                acc = v.fma(v, acc);
            }
            // The lane sum of VectorSupport, not reduceLanes(ADD): its order depends on the JIT.
            if (V > 8) {
                acc = acc.add(acc.rearrange(R8));
            }
            acc = acc.add(acc.rearrange(R4));
            acc = acc.add(acc.rearrange(R2));
            total += acc.add(acc.rearrange(R1)).lane(0);
        }
        return total;
    }

    @Override
    public void scale(Matrix m, float factor) {
        m.checkAlive();
        for (int r = 0; r < m.rows(); r++) {
            scaleRow(m.segment(), (long) r * m.stride() * Float.BYTES, m.cols(), factor);
        }
    }

    /** Multiplies {@code cols} floats from byte offset {@code o} by {@code factor}. */
    static void scaleRow(MemorySegment s, long o, int cols, float factor) {
        int bound = F.loopBound(cols);
        int c = 0;
        for (; c < bound; c += F.length()) {
            long b = o + (long) c * Float.BYTES;
            FloatVector.fromMemorySegment(F, s, b, ORDER).mul(factor).intoMemorySegment(s, b, ORDER);
        }
        if (c < cols) {
            long b = o + (long) c * Float.BYTES;
            VectorMask<Float> m = F.indexInRange(c, cols);
            FloatVector.fromMemorySegment(F, s, b, ORDER, m).mul(factor).intoMemorySegment(s, b, ORDER, m);
        }
    }
}
