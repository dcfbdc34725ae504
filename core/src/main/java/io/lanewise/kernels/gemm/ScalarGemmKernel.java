package io.lanewise.kernels.gemm;

import io.lanewise.kernels.ScalarActivations;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;

/** The scalar kernels, used when the Vector API is not: correct and simple rather than fast. */
final class ScalarGemmKernel extends GemmKernel {
    ScalarGemmKernel() {
        this(4, 8);
    }

    /** At another tile shape: the reference for a vector kernel's packing ({@code PackingTest}). */
    ScalarGemmKernel(int mr, int nr) {
        super(mr, nr, nr);
    }

    @Override
    void tile(MemorySegment a, long aOff, long aRs, long aKs, MemorySegment b, long bOff, long bKs, int k,
              MemorySegment s, long sOff) {
        for (int i = 0; i < mr; i++) {
            row(a, aOff + i * aRs, aKs, b, bOff, bKs, k, s, sOff + (long) i * nr);
        }
    }

    @Override
    void tileNarrow(MemorySegment a, long aOff, long aRs, long aKs, MemorySegment b, long bOff, int k,
                    MemorySegment s, long sOff) {
        tile(a, aOff, aRs, aKs, b, bOff, nr, k, s, sOff);
    }

    @Override
    void tileColumns(MemorySegment a, long aOff, long aKs, MemorySegment b, long bOff, long bKs, int k, int cols,
                     MemorySegment s, long sOff) {
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < cols; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a.getAtIndex(FLOAT, aOff + p * aKs + i) * b.getAtIndex(FLOAT, bOff + p * bKs + j);
                }
                s.setAtIndex(FLOAT, sOff + (long) i * nr + j, sum);
            }
        }
    }

    @Override
    void tilePacked(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s, long sOff) {
        tile(a, aOff, 1, mr, b, bOff, nr, k, s, sOff);
    }

    @Override
    void rowPacked(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s, long sOff) {
        row(a, aOff, 1, b, bOff, nr, k, s, sOff);
    }

    @Override
    void row(MemorySegment a, long aOff, long aKs, MemorySegment b, long bOff, long bKs, int k,
             MemorySegment s, long sOff) {
        for (int j = 0; j < nr; j++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) {
                sum += a.getAtIndex(FLOAT, aOff + p * aKs) * b.getAtIndex(FLOAT, bOff + p * bKs + j);
            }
            s.setAtIndex(FLOAT, sOff + j, sum);
        }
    }

    @Override
    void dot4(MemorySegment a, long aOff, MemorySegment b, long b0, long b1, long b2, long b3, int k,
              MemorySegment s, long sOff) {
        s.setAtIndex(FLOAT, sOff, dot(a, aOff, b, b0, k));
        s.setAtIndex(FLOAT, sOff + 1, dot(a, aOff, b, b1, k));
        s.setAtIndex(FLOAT, sOff + 2, dot(a, aOff, b, b2, k));
        s.setAtIndex(FLOAT, sOff + 3, dot(a, aOff, b, b3, k));
    }

    private static float dot(MemorySegment a, long aOff, MemorySegment b, long bOff, int k) {
        float sum = 0f;
        for (int p = 0; p < k; p++) {
            sum += a.getAtIndex(FLOAT, aOff + p) * b.getAtIndex(FLOAT, bOff + p);
        }
        return sum;
    }

    @Override
    void store(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc, float alpha, float beta) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long ci = cOff + i * ldc + j;
                c.setAtIndex(FLOAT, ci, scaled(s, sOff + (long) i * nr + j, c, ci, alpha, beta));
            }
        }
    }

    @Override
    void storeForward(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                      float alpha, float beta, Activation f, MemorySegment bias, long biasOff,
                      MemorySegment z, long zOff, long ldz) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long ci = cOff + i * ldc + j;
                float v = scaled(s, sOff + (long) i * nr + j, c, ci, alpha, beta);
                if (bias != null) {
                    v += bias.getAtIndex(FLOAT, biasOff + j);
                }
                if (z != null) {
                    z.setAtIndex(FLOAT, zOff + i * ldz + j, v);
                }
                c.setAtIndex(FLOAT, ci, ScalarActivations.apply(f.kind(), f.alpha(), v));
            }
        }
    }

    @Override
    void storeBackward(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                       float alpha, float beta, Activation f, MemorySegment z, long zOff, long ldz) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long ci = cOff + i * ldc + j;
                float d = ScalarActivations.derivative(f.kind(), f.alpha(), z.getAtIndex(FLOAT, zOff + i * ldz + j));
                c.setAtIndex(FLOAT, ci, scaled(s, sOff + (long) i * nr + j, c, ci, alpha, beta) * d);
            }
        }
    }

    /** alpha·S + beta·C for one element; C is not read when beta is 0. */
    private static float scaled(MemorySegment s, long si, MemorySegment c, long ci, float alpha, float beta) {
        float v = alpha * s.getAtIndex(FLOAT, si);
        return beta == 0f ? v : v + beta * c.getAtIndex(FLOAT, ci);
    }
}
