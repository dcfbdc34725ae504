package io.lanewise.kernels.gemm;

import io.lanewise.kernels.KernelSelection;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The architecture-specific part of the GEMM (as in BLIS): an {@link #mr}×{@link #nr} register-tiled
 * micro-kernel, a one-row kernel for the GEMV-shaped path, the epilogue that finishes a tile into C, and
 * the copy of B into zero-padded panels. The loops around them ({@link Gemm}) are generic.
 *
 * <p>Operands are addressed in floats, never bytes. A is read through two strides, element (i, p) at
 * {@code aOff + i·aRs + p·aKs}: the same kernel reads a row-major A ({@code aRs = lda, aKs = 1}), a
 * transposed one ({@code aRs = 1, aKs = lda}) and a packed panel ({@code aRs = 1, aKs = mr}).
 * B is read by rows of {@link #nr} contiguous floats, (p, j) at {@code bOff + p·bKs + j}: a packed
 * panel ({@code bKs = nr}) or a row-major B in place ({@code bKs = ldb}). {@link #tilePacked} reads both
 * operands packed, at strides it knows.
 */
abstract class GemmKernel {
    /**
     * The implementation of this JVM, chosen once so that the JIT inlines through it: the vector kernels
     * wherever the provider chose vectors, at every width and ISA level (they use only the ops C2 compiles
     * there: see {@link VectorGemmKernel}), else the scalar kernels. In a holder class: a superclass whose
     * static initializer builds its subclasses can deadlock two threads initializing them at once.
     */
    static final class Holder {
        static final GemmKernel INSTANCE = KernelSelection.isVectorized() ? new VectorGemmKernel() : new ScalarGemmKernel();

        private Holder() {
        }
    }

    /** Epilogue: {@code C = alpha·S + beta·C}. */
    static final int PLAIN = 0;
    /** Epilogue: {@code Z = alpha·S + beta·C + bias}, optionally stored, then {@code C = f(Z)}. */
    static final int FORWARD = 1;
    /** Epilogue: {@code C = (alpha·S + beta·C) ⊙ f'(Z)}. */
    static final int BACKWARD = 2;

    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Panels of {@link #rowPanels}; the dense tile (at least 4 rows of nr) holds their row. */
    static final int ROW_PANELS = 4;
    /** Columns of B per pass of {@link #tileColumns}: N = 10 in two passes, with no column of padding. */
    static final int COLUMN_GROUP = 5;

    /** Rows of the register tile. */
    final int mr;
    /** Columns of the register tile, and width of a packed B panel. */
    final int nr;
    /** Panels of at most this many columns of a row-major A take {@link #tileNarrow}. */
    final int narrow;

    /**
     * With a transposed A, a block's last panel of at most this many columns takes {@link #tileColumns}: whole passes
     * of {@link #COLUMN_GROUP} columns within the panel's nr (N = 10 at every width of vectors).
     */
    final int columns;

    GemmKernel(int mr, int nr, int narrow) {
        this.mr = mr;
        this.nr = nr;
        this.narrow = narrow;
        this.columns = nr / COLUMN_GROUP * COLUMN_GROUP;
    }

    /** A full mr×nr tile over {@code k} steps: {@code S = A·B} into the dense tile S (row stride nr) at {@code sOff}. */
    abstract void tile(MemorySegment a, long aOff, long aRs, long aKs, MemorySegment b, long bOff, long bKs, int k,
                       MemorySegment s, long sOff);

    /**
     * A narrow panel's tile for a row-major A: as {@link #tile}, computing only the first {@link #narrow} columns of
     * S, from a packed B panel ({@code bKs = nr}).
     */
    abstract void tileNarrow(MemorySegment a, long aOff, long aRs, long aKs, MemorySegment b, long bOff, int k,
                             MemorySegment s, long sOff);

    /**
     * A narrow panel's tile for a transposed A: {@code S = A·B} for {@link #nr} rows of A and the first
     * {@code cols ≤ columns} columns of a B panel whose row p starts at {@code bOff + p·bKs} (packed, {@code bKs = nr},
     * or a row-major B in place), into the dense tile S (row stride nr, nr rows) at {@code sOff}, with the
     * {@code nr·COLUMN_GROUP} floats after S as scratch. Vectors run along the rows of C, not its columns, so that
     * N = 10 fills every lane: step p's nr rows of A are contiguous at {@code aOff + p·aKs}, a transposed A in place
     * ({@code aKs = lda}) or its last rows copied by {@link #packRows} ({@code aKs = nr}).
     */
    abstract void tileColumns(MemorySegment a, long aOff, long aKs, MemorySegment b, long bOff, long bKs, int k, int cols,
                              MemorySegment s, long sOff);

    /**
     * As {@link #tile}, from an A panel packed by {@link #packA} at {@code aOff} and a packed B panel
     * ({@code bKs = nr}) at {@code bOff}: strides fixed at compile time, so C2 can check the bounds once
     * outside the k loop instead of at every load.
     */
    abstract void tilePacked(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s, long sOff);

    /**
     * One row of nr columns: {@code S = a·B} into nr floats at {@code sOff}; a's element p at {@code aOff + p·aKs}.
     * Each column is one chain of multiply-adds over p in order, as in the tiles, so a row of C has the same bits
     * whether it came through the row path or a tile.
     */
    abstract void row(MemorySegment a, long aOff, long aKs, MemorySegment b, long bOff, long bKs, int k,
                      MemorySegment s, long sOff);

    /**
     * As {@link #row}, for a contiguous row of A ({@code aKs = 1}) and a packed B panel ({@code bKs = nr}), with
     * the same sums in the same order: strides fixed at compile time, so C2 can check the bounds once outside
     * the k loop.
     */
    abstract void rowPacked(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s, long sOff);

    /**
     * {@link #rowPacked} over {@value #ROW_PANELS} packed panels at once, panel q at {@code bOff + q·panelStep}, into
     * {@code ROW_PANELS·nr} floats at {@code sOff}, with the same sums: the serving path's calls at batch 1.
     */
    void rowPanels(MemorySegment a, long aOff, MemorySegment b, long bOff, long panelStep, int k, MemorySegment s,
                   long sOff) {
        for (int q = 0; q < ROW_PANELS; q++) {
            rowPacked(a, aOff, b, bOff + q * panelStep, k, s, sOff + (long) q * nr);
        }
    }

    /**
     * Four dot products of length {@code k}, of the contiguous row at {@code aOff} with the contiguous rows
     * at {@code b0..b3}, into four floats at {@code sOff}: op(A)·op(B) for a row of A and columns of a B read
     * transposed ({@link io.lanewise.memory.GemmOp#NT}), without packing B.
     */
    abstract void dot4(MemorySegment a, long aOff, MemorySegment b, long b0, long b1, long b2, long b3, int k,
                       MemorySegment s, long sOff);

    /**
     * Finishes the top-left {@code rows × cols} of a dense tile S (at {@code sOff}, row stride nr) into C:
     * {@code C = alpha·S + beta·C}, C not read when {@code beta == 0}.
     */
    abstract void store(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                        float alpha, float beta);

    /**
     * As {@link #store}, then the forward epilogue: {@code Z = alpha·S + beta·C + bias} (bias row at
     * {@code biasOff + j}, none if null), stored into {@code z} unless it is null, and {@code C = f(Z)}.
     */
    abstract void storeForward(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                               float alpha, float beta, Activation f, MemorySegment bias, long biasOff,
                               MemorySegment z, long zOff, long ldz);

    /** As {@link #store}, then the backward epilogue: {@code C = (alpha·S + beta·C) ⊙ f'(Z)}. */
    abstract void storeBackward(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                                float alpha, float beta, Activation f, MemorySegment z, long zOff, long ldz);

    /**
     * Copies {@code k} rows of {@code cols ≤ nr} contiguous floats (row p at {@code srcOff + p·ld}) into a
     * panel of nr-float rows at {@code dstOff}, zero-padding columns {@code cols..nr}.
     */
    void packRows(MemorySegment src, long srcOff, long ld, int k, int cols, MemorySegment dst, long dstOff) {
        // Two loops, not one with a conditional read: C2 hoists the read's bounds check out of the loop for
        // all nr columns, which fails on the last panel of a segment, and it recompiled that trap in a loop.
        for (int p = 0; p < k; p++) {
            long s = srcOff + p * ld;
            long d = dstOff + (long) p * nr;
            for (int j = 0; j < cols; j++) {
                dst.setAtIndex(FLOAT, d + j, src.getAtIndex(FLOAT, s + j));
            }
            for (int j = cols; j < nr; j++) {
                dst.setAtIndex(FLOAT, d + j, 0f);
            }
        }
    }

    /**
     * Copies a transposed block into a panel: panel row p, column j takes {@code src[srcOff + j·ld + p]},
     * for {@code p < k, j < cols ≤ nr}; columns {@code cols..nr} are zeroed.
     */
    void packColumns(MemorySegment src, long srcOff, long ld, int k, int cols, MemorySegment dst, long dstOff) {
        copyColumns(src, srcOff, ld, k, cols, dst, dstOff);
        if (cols < nr) {
            clearColumns(dst, dstOff, k, cols);
        }
    }

    /** {@link #packColumns} without the zero padding: columns {@code 0..cols} of the panel's {@code k} rows. */
    void copyColumns(MemorySegment src, long srcOff, long ld, int k, int cols, MemorySegment dst, long dstOff) {
        int j = 0;
        // Four source rows at a time: four sequential read streams, and each panel row gets four adjacent floats.
        for (; j + 4 <= cols; j += 4) {
            long s = srcOff + j * ld;
            long d = dstOff + j;
            for (int p = 0; p < k; p++) {
                long dp = d + (long) p * nr;
                dst.setAtIndex(FLOAT, dp, src.getAtIndex(FLOAT, s + p));
                dst.setAtIndex(FLOAT, dp + 1, src.getAtIndex(FLOAT, s + ld + p));
                dst.setAtIndex(FLOAT, dp + 2, src.getAtIndex(FLOAT, s + 2 * ld + p));
                dst.setAtIndex(FLOAT, dp + 3, src.getAtIndex(FLOAT, s + 3 * ld + p));
            }
        }
        for (; j < cols; j++) {
            long s = srcOff + j * ld;
            long d = dstOff + j;
            for (int p = 0; p < k; p++) {
                dst.setAtIndex(FLOAT, d + (long) p * nr, src.getAtIndex(FLOAT, s + p));
            }
        }
    }

    /** Zeroes columns {@code cols..nr} of the {@code k} rows of the panel at {@code dstOff}. */
    void clearColumns(MemorySegment dst, long dstOff, int k, int cols) {
        for (int p = 0; p < k; p++) {
            for (int j = cols; j < nr; j++) {
                dst.setAtIndex(FLOAT, dstOff + (long) p * nr + j, 0f);
            }
        }
    }

    /**
     * Copies rows {@code 0..rows} of op(A), {@code k} steps, into {@code ceil(rows / mr)} consecutive
     * mr-row panels of {@code k·mr} floats (row i, step p at {@code dstOff + (i / mr)·k·mr + p·mr + i % mr}),
     * zero-padding the last panel: the A operand of {@link #tilePacked}, and the edge of M for {@link #tile}.
     */
    void packA(MemorySegment a, long aOff, long aRs, long aKs, int rows, int k, MemorySegment dst, long dstOff) {
        int end = (rows + mr - 1) / mr * mr;
        for (int i = 0; i < end; i++) {
            long d = dstOff + (long) (i / mr) * k * mr + i % mr;
            if (i < rows) {
                long s = aOff + i * aRs;
                for (int p = 0; p < k; p++) {
                    dst.setAtIndex(FLOAT, d + (long) p * mr, a.getAtIndex(FLOAT, s + p * aKs));
                }
            } else {
                for (int p = 0; p < k; p++) {
                    dst.setAtIndex(FLOAT, d + (long) p * mr, 0f);
                }
            }
        }
    }
}
