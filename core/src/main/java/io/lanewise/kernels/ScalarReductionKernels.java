package io.lanewise.kernels;

import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@link ReductionKernels} one float at a time: the fallback path. */
public final class ScalarReductionKernels implements ReductionKernels {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    @Override
    public void columnSums(Matrix m, Matrix sums) {
        KernelChecks.columnSumsShape(m, sums);
        MemorySegment ms = m.segment();
        MemorySegment ss = sums.segment();
        // Row by row, in memory order; each column is still summed from row 0 down.
        for (int c = 0; c < m.cols(); c++) {
            ss.setAtIndex(FLOAT, c, ms.getAtIndex(FLOAT, c));
        }
        for (int r = 1; r < m.rows(); r++) {
            long i = (long) r * m.stride();
            for (int c = 0; c < m.cols(); c++) {
                ss.setAtIndex(FLOAT, c, ss.getAtIndex(FLOAT, c) + ms.getAtIndex(FLOAT, i + c));
            }
        }
    }

    @Override
    public double sumOfSquares(Matrix m) {
        m.checkAlive();
        MemorySegment ms = m.segment();
        double total = 0;
        for (int r = 0; r < m.rows(); r++) {
            long i = (long) r * m.stride();
            float sum = 0f;
            for (int c = 0; c < m.cols(); c++) {
                float v = ms.getAtIndex(FLOAT, i + c);
                sum += v * v;
            }
            total += sum;
        }
        return total;
    }

    @Override
    public void scale(Matrix m, float factor) {
        m.checkAlive();
        MemorySegment ms = m.segment();
        for (int r = 0; r < m.rows(); r++) {
            scaleRow(ms, (long) r * m.stride(), m.cols(), factor);
        }
    }

    /** Multiplies {@code cols} floats from index {@code i} by {@code factor}. */
    static void scaleRow(MemorySegment s, long i, int cols, float factor) {
        for (int c = 0; c < cols; c++) {
            s.setAtIndex(FLOAT, i + c, s.getAtIndex(FLOAT, i + c) * factor);
        }
    }
}
