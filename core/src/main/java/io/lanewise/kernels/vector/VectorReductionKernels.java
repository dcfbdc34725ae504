package io.lanewise.kernels.vector;

import static io.lanewise.kernels.vector.VectorSupport.FMA;
import static io.lanewise.kernels.vector.VectorSupport.fma;

import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.kernels.ReductionKernels;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReductionKernels} on the Vector API; elements past a row's last whole vector go one at a time
 * (no masked operation: see {@link VectorSupport}). Lanes are summed in the fixed order of
 * {@link VectorSupport}, the same bits compiled or interpreted.
 */
public final class VectorReductionKernels implements ReductionKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int V = F.length();
    private static final VectorShuffle<Float> R8 = VectorSupport.ROTATE_8;
    private static final VectorShuffle<Float> R4 = VectorSupport.ROTATE_4;
    private static final VectorShuffle<Float> R2 = VectorSupport.ROTATE_2;
    private static final VectorShuffle<Float> R1 = VectorSupport.ROTATE_1;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

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
        // The last columns one at a time, each summed down the rows in the same order as a lane above.
        for (; c < cols; c++) {
            long b = (long) c * Float.BYTES;
            float acc = 0f;
            for (int r = 0; r < m.rows(); r++) {
                acc += ms.get(FLOAT, r * rowBytes + b);
            }
            ss.set(FLOAT, b, acc);
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
                acc = FMA ? v.fma(v, acc) : v.mul(v).add(acc);
            }
            // The lane sum of VectorSupport, not reduceLanes(ADD): its order depends on the JIT.
            if (V > 8) {
                acc = acc.add(acc.rearrange(R8));
            }
            if (V > 4) {
                acc = acc.add(acc.rearrange(R4));
            }
            acc = acc.add(acc.rearrange(R2));
            float sum = acc.add(acc.rearrange(R1)).lane(0);
            for (; c < cols; c++) {
                float v = ms.get(FLOAT, o + (long) c * Float.BYTES);
                sum = fma(v, v, sum);
            }
            total += sum;
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
        for (; c < cols; c++) {
            long b = o + (long) c * Float.BYTES;
            s.set(FLOAT, b, s.get(FLOAT, b) * factor);
        }
    }
}
