package io.lanewise.reference;

import io.lanewise.memory.GemmOp;

/**
 * {@code C = alpha·op(A)·op(B) + beta·C} by the textbook triple loop, summing in double. With
 * {@code beta = 0}, C is not read (so NaN in C does not leak through), as BLAS specifies.
 */
public final class ReferenceGemm {
    private ReferenceGemm() {
    }

    /**
     * Computes C in place.
     *
     * @throws IllegalArgumentException if the shapes do not fit {@code op}
     */
    public static void gemm(GemmOp op, double alpha, DoubleMatrix a, DoubleMatrix b, double beta, DoubleMatrix c) {
        op.checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
        int m = c.rows();
        int n = c.cols();
        int k = op.k(a.rows(), a.cols());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = op.transposeA() ? a.get(p, i) : a.get(i, p);
                    double bv = op.transposeB() ? b.get(j, p) : b.get(p, j);
                    sum += av * bv;
                }
                double prior = beta == 0 ? 0 : beta * c.get(i, j);
                c.set(i, j, alpha * sum + prior);
            }
        }
    }
}
