package io.lanewise.memory;

/**
 * Which operands of {@code C = alpha·op(A)·op(B) + beta·C} are read transposed: the three products
 * that backpropagation needs. op(A) is M×K and op(B) is K×N in every case.
 */
public enum GemmOp {
    /** A is M×K, B is K×N (forward: {@code Z = X·W}). */
    NN(false, false),
    /** A is M×K, B is stored N×K and read transposed (backward: {@code dX = dZ·Wᵀ}). */
    NT(false, true),
    /** A is stored K×M and read transposed, B is K×N (backward: {@code dW = Xᵀ·dZ}). */
    TN(true, false);

    private final boolean transposeA;
    private final boolean transposeB;

    GemmOp(boolean transposeA, boolean transposeB) {
        this.transposeA = transposeA;
        this.transposeB = transposeB;
    }

    /** True if A is stored K×M. */
    public boolean transposeA() {
        return transposeA;
    }

    /** True if B is stored N×K. */
    public boolean transposeB() {
        return transposeB;
    }

    /** M: rows of op(A), given A's stored shape. */
    public int m(int aRows, int aCols) {
        return transposeA ? aCols : aRows;
    }

    /** K: columns of op(A), given A's stored shape. */
    public int k(int aRows, int aCols) {
        return transposeA ? aRows : aCols;
    }

    /** K as rows of op(B), given B's stored shape. */
    public int kOfB(int bRows, int bCols) {
        return transposeB ? bCols : bRows;
    }

    /** N: columns of op(B), given B's stored shape. */
    public int n(int bRows, int bCols) {
        return transposeB ? bRows : bCols;
    }

    /**
     * Checks that stored shapes A (aRows×aCols), B and C (cRows×cCols) fit this op.
     *
     * @throws IllegalArgumentException naming the expected and the actual shapes
     */
    public void checkShapes(int aRows, int aCols, int bRows, int bCols, int cRows, int cCols) {
        int m = m(aRows, aCols);
        int k = k(aRows, aCols);
        int kb = kOfB(bRows, bCols);
        int n = n(bRows, bCols);
        if (k != kb) {
            throw new IllegalArgumentException("GEMM " + this + ": op(A) is " + m + "x" + k + " but op(B) is " + kb + "x" + n
                    + " (inner dimensions must match; A stored " + aRows + "x" + aCols + ", B stored " + bRows + "x" + bCols + ")");
        }
        if (cRows != m || cCols != n) {
            throw new IllegalArgumentException("GEMM " + this + ": C must be " + m + "x" + n + ", got " + cRows + "x" + cCols);
        }
    }
}
