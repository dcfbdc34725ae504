package io.lanewise.kernels.gemm;

import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;

/**
 * The right operand of a GEMM, op(B) of K×N, packed ahead of time into the panel layout the kernels
 * stream: {@code ceil(N / NR)} panels of K rows × NR floats, columns past N zeroed. Serving packs its
 * weights once and then multiplies without touching B's original layout (see
 * {@link Gemm#multiply(float, Matrix, PackedMatrix, float, Matrix)}).
 *
 * <p>The memory is the caller's: size it with {@link #bytesFor}, {@link #wrap} it, and {@link #pack}
 * into it as often as the weights change (packing allocates nothing). NR depends on the kernels this JVM
 * chose, so the layout is not a file format. Not synchronised: do not pack while a multiplication reads.
 */
public final class PackedMatrix {
    private static final GemmKernel KERNEL = GemmKernel.Holder.INSTANCE;

    private final MemorySegment segment;
    private final int k;
    private final int n;

    private PackedMatrix(MemorySegment segment, int k, int n) {
        this.segment = segment;
        this.k = k;
        this.n = n;
    }

    /** Bytes a packed K×N operand takes: whole panels of NR columns. */
    public static long bytesFor(int k, int n) {
        if (k <= 0 || n <= 0) {
            throw new IllegalArgumentException("packed matrix shape must be positive, got " + k + "x" + n);
        }
        return panels(n) * (long) k * KERNEL.nr * Float.BYTES;
    }

    /**
     * A packed K×N operand over caller-owned native memory, 64-byte aligned and at least
     * {@link #bytesFor(int, int)} bytes; its contents are undefined until {@link #pack}.
     *
     * @throws IllegalArgumentException if the shape is not positive, or the segment is not native,
     *                                  not 64-byte aligned or too small
     */
    public static PackedMatrix wrap(MemorySegment segment, int k, int n) {
        long needed = bytesFor(k, n);
        if (!segment.isNative() || segment.address() % Matrix.ALIGNMENT_BYTES != 0) {
            throw new IllegalArgumentException("a packed matrix needs native memory aligned to "
                    + Matrix.ALIGNMENT_BYTES + " bytes, got " + segment);
        }
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment too small for a packed " + k + "x" + n
                    + " matrix: expected at least " + needed + " bytes, got " + segment.byteSize());
        }
        return new PackedMatrix(segment.asSlice(0, needed), k, n);
    }

    /**
     * Packs op(B) into this operand: B itself (K×N) when {@code transposed} is false, else Bᵀ of a B stored
     * N×K (as {@link io.lanewise.memory.GemmOp#NT} reads it). Allocates nothing.
     *
     * @throws IllegalArgumentException if op(B) is not K×N
     */
    public void pack(Matrix b, boolean transposed) {
        int bk = transposed ? b.cols() : b.rows();
        int bn = transposed ? b.rows() : b.cols();
        if (bk != k || bn != n) {
            throw new IllegalArgumentException("packed matrix is " + k + "x" + n + " but op(B) is " + bk + "x" + bn
                    + " (B stored " + b.shape() + (transposed ? ", transposed)" : ")"));
        }
        b.checkAlive();
        int nr = KERNEL.nr;
        for (int q = 0; q < panels(n); q++) {
            int cols = Math.min(nr, n - q * nr);
            long dst = (long) q * k * nr;
            if (transposed) {
                KERNEL.packColumns(b.segment(), (long) q * nr * b.stride(), b.stride(), k, cols, segment, dst);
            } else {
                KERNEL.packRows(b.segment(), (long) q * nr, b.stride(), k, cols, segment, dst);
            }
        }
    }

    /** K: rows of op(B). */
    public int k() {
        return k;
    }

    /** N: columns of op(B). */
    public int n() {
        return n;
    }

    MemorySegment segment() {
        return segment;
    }

    static int panels(int n) {
        return (n + KERNEL.nr - 1) / KERNEL.nr;
    }
}
