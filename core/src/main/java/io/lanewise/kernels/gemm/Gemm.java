package io.lanewise.kernels.gemm;

import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.Arena;

/**
 * A GEMM context: {@code C = alpha·op(A)·op(B) + beta·C} on float32 row-major matrices of any shape and
 * row stride, with optional epilogues (bias and activation forward, activation derivative backward)
 * applied to each tile as the micro-kernel finishes it, so C is written once.
 *
 * <p>Structure as in BLIS ({@link GemmLoops}, over the call's {@link GemmJob}): loops over blocks of {@value #NC} columns and {@value #KC} steps of K around
 * a register-tiled micro-kernel ({@link GemmKernel}); B is packed into zero-padded panels unless it is
 * used in place (row-major B for at most {@value #ROW_PATH_MAX_M} rows, or B {@link PackedMatrix packed
 * ahead of time}); A is read in place when row-major, and packed into MR-row panels when transposed
 * and reused by several panels of B (blocks of at least {@value #PACK_A_MIN_K} steps of K), so that the
 * tile reads it at strides known at compile time and C2 checks bounds outside the k loop; the last rows
 * of M that do not fill a tile are packed, zero-padded. At most {@value #ROW_PATH_MAX_M} rows take a
 * GEMV-shaped path: one row at a time against B streamed by panels, or, for B read transposed, dot products of contiguous rows (nothing packed).
 * Narrow panels (N = 10) take a narrow tile: with a row-major A, one vector per row of C for panels of at most one
 * vector of columns; with a transposed A, vectors along the rows of C, read from A in place, for a last panel of
 * whole passes of 5 columns within NR.
 *
 * <p>A context owns its packing buffers (off-heap, 64-byte aligned, allocated once, sized to the calls it
 * was created for: {@link #create(int)} any shape, {@link #create(int, int, int, int)} shapes up to a size,
 * {@link #forPackedB(int)} the serving path alone) and,
 * with {@code threads > 1}, worker threads started at construction, which spin briefly after each call and
 * then park until the next ({@link GemmWorkers}). The columns of C are split in whole panels over the
 * threads in a fixed way, and each element is computed the same way whichever thread computes it, so
 * results are bit-identical run after run (and for any thread count). With threads, the matrices must be
 * readable from other threads (a shared or global arena, as {@link io.lanewise.memory.Storage}'s).
 *
 * <p>One caller at a time: a context is not thread safe. Calls allocate nothing. C must not overlap A,
 * B, the bias or Z. {@link #close()} stops the workers and frees the buffers; later calls throw
 * {@link IllegalStateException}.
 */
public final class Gemm implements AutoCloseable {
    /** Rows of the micro-kernel's register tile. */
    private static final int MR = GemmKernel.Holder.INSTANCE.mr;
    /** Columns of the register tile and of a packed B panel; rows of a narrow panel's A panel. */
    private static final int NR = GemmKernel.Holder.INSTANCE.nr;
    /**
     * Most steps of K per block (K is cut into blocks of equal length). Long, so that K = 784 is one block: each
     * block costs a pass of the tiles' sums into C and a tile call per panel, and fewer, longer k loops amortize
     * both. A KC×NR panel of B (128 KB at 512 bits) then streams from L2 rather than staying in L1, which the L2
     * keeps up with: 128×784×256 NN with B packed ahead ran 3,913 / 3,923 against 3,340 / 3,410 calls/s at 256 and
     * a batch-128 prediction 2,825 / 2,865 against 2,492 / 2,675 (AVX-512, AMD EPYC Zen 5); under -XX:UseAVX=2
     * 1,918 against 1,642 / 1,694 and 1,466 against 1,079 / 1,365.
     */
    static final int KC = 1024;
    /** Columns per block of packed B (KC×NC floats, 4 MB), a multiple of every NR. */
    static final int NC = 1024;
    /** Rows of A per block, a whole number of tiles: MC×KC floats of packed A (512 KB) stay in L2 while the panels of B go by. */
    static final int MC = (128 + MR - 1) / MR * MR;
    /** Up to this many rows, C is computed a row at a time (GEMV-shaped): padding to a tile would waste more. */
    static final int ROW_PATH_MAX_M = 4;
    /**
     * Blocks of K shorter than this read A in place with the generic tile: packing it would cost about what
     * the packed tile saves.
     */
    static final int PACK_A_MIN_K = 32;
    /**
     * Below this many multiply-adds (about 10 µs of work) a call runs on the caller alone: waking the
     * workers would cost more than it saves. Fixed, so the split still depends only on the shape.
     */
    static final long PARALLEL_MIN_MACS = 1L << 20;

    private final int threads;
    /** The most rows of C, columns of C and steps of K a call may have; {@link Integer#MAX_VALUE} for any. */
    private final int maxM;
    private final int maxN;
    private final int maxK;
    /** False for a context that multiplies only by B packed ahead of time, and so has no space to pack B. */
    private final boolean packsB;
    private final Arena arena;
    private final GemmJob job = new GemmJob();
    private final GemmLoops loops;
    /** Null with one thread. */
    private final GemmWorkers workers;
    private volatile boolean open = true;

    @SuppressWarnings("MustBeClosedChecker") // the arena is this context's, closed by close()
    private Gemm(int threads, int maxM, int maxN, int maxK, boolean packsB, long packBFloats, long packAFloats) {
        this.threads = threads;
        this.maxM = maxM;
        this.maxN = maxN;
        this.maxK = maxK;
        this.packsB = packsB;
        this.arena = Arena.ofShared();
        this.loops = new GemmLoops(arena, threads, packBFloats, packAFloats, GemmLoops.tileFloats(maxM));
        this.workers = threads == 1 ? null : new GemmWorkers(threads - 1, loops, job);
    }

    /** A single-threaded context for any shape: every call runs on the caller's thread. */
    public static Gemm create() {
        return create(1);
    }

    /**
     * A context for any shape, computing on {@code threads} threads: the caller's and {@code threads - 1}
     * workers started now, which spin briefly after each call, then park until the next. Each thread has
     * whole blocks of packing space (about 4.5 MB).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Gemm create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return create(threads, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * A context for calls whose C has at most {@code maxM} rows and {@code maxN} columns, over at most {@code maxK}
     * steps of K, on {@code threads} threads as {@link #create(int)}: each thread's packing space is what such
     * calls use (B panels of {@code min(KC, maxK)} × {@code min(NC, maxN)} floats, A panels of
     * {@code min(MC, maxM)} × {@code min(KC, maxK)}), not whole blocks. A trainer of a small model holds kilobytes
     * instead of {@link #create(int)}'s 4.5 MB per thread. Larger calls throw {@link IllegalArgumentException}.
     *
     * @throws IllegalArgumentException if {@code threads}, {@code maxM}, {@code maxN} or {@code maxK} is below 1
     */
    public static Gemm create(int threads, int maxM, int maxN, int maxK) {
        if (threads < 1 || maxM < 1 || maxN < 1 || maxK < 1) {
            throw new IllegalArgumentException("threads, maxM, maxN and maxK must be at least 1, got " + threads + ", "
                    + maxM + ", " + maxN + ", " + maxK);
        }
        long kc = Math.min(KC, maxK);
        long packBFloats = alignedFloats(kc * Math.min(NC, ceilTo(maxN, NR)));
        return new Gemm(threads, maxM, maxN, maxK, true, packBFloats, packAFloats(maxM, kc));
    }

    /**
     * Floats of A panels for calls of at most {@code maxM} rows and blocks of {@code kc} steps: none on the row path;
     * at least one NR-row panel, a narrow panel's (see GemmLoops.narrowPanel).
     */
    private static long packAFloats(int maxM, long kc) {
        return maxM > ROW_PATH_MAX_M ? alignedFloats(Math.max(Math.min(MC, ceilTo(maxM, MR)), NR) * kc) : 0;
    }

    /** {@code n} rounded up to a multiple of {@code step}. */
    private static long ceilTo(long n, int step) {
        return (n + step - 1) / step * step;
    }

    /** Floats rounded up to whole 64-byte lines, so every region of the packing space starts aligned. */
    private static long alignedFloats(long floats) {
        return ceilTo(floats, Matrix.ALIGNMENT_BYTES / Float.BYTES);
    }

    /**
     * A single-threaded context for the serving path alone: the calls with B {@link PackedMatrix packed ahead of
     * time}, on at most {@code maxM} rows. It packs no B, and up to {@value #ROW_PATH_MAX_M} rows nothing at
     * all, so its packing space is one dense tile (plus the panels of A of {@code maxM} rows above
     * {@value #ROW_PATH_MAX_M} rows): about a kilobyte at batch 1 instead of {@link #create()}'s 4.5 MB.
     *
     * @throws IllegalArgumentException if {@code maxM < 1}
     */
    public static Gemm forPackedB(int maxM) {
        if (maxM < 1) {
            throw new IllegalArgumentException("maxM must be at least 1, got " + maxM);
        }
        return new Gemm(1, maxM, Integer.MAX_VALUE, Integer.MAX_VALUE, false, 0, packAFloats(maxM, KC));
    }

    /** The number of threads computing each call, the caller's included. */
    public int threads() {
        return threads;
    }

    /** Bytes of off-heap packing space this context holds, all threads together. */
    public long bytes() {
        return loops.bytes();
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}. With {@code beta == 0}, C is not read (NaN there does not leak).
     *
     * @throws IllegalArgumentException if the shapes do not fit {@code op}
     * @throws IllegalStateException    if this context or a matrix's memory was closed
     */
    public void multiply(GemmOp op, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        checkOperands(op, a, b, c);
        run(op, a, b, null, alpha, beta, c, GemmKernel.PLAIN, null, null, null);
    }

    /**
     * The forward step of a dense layer: {@code Z = op(A)·op(B) + bias}, {@code C = f(Z)}; Z is also stored
     * into {@code preActivationOut} when it is not null. C is not read.
     *
     * @param biasRow          1×N, added to every row; null for none
     * @param preActivationOut M×N, receives Z; null to keep only C
     * @throws IllegalArgumentException if a shape does not fit or f is null
     */
    public void multiply(GemmOp op, Matrix a, Matrix b, Matrix c, Matrix biasRow, Activation f, Matrix preActivationOut) {
        checkOperands(op, a, b, c);
        checkForward(c, biasRow, f, preActivationOut);
        run(op, a, b, null, 1f, 0f, c, GemmKernel.FORWARD, f, biasRow, preActivationOut);
    }

    /**
     * The backward step through the previous layer's activation: {@code C = (op(A)·op(B)) ⊙ f'(Z)}, as in
     * {@code dZ₋₁ = (dZ·Wᵀ) ⊙ f'(Z₋₁)} with {@link GemmOp#NT}. C is not read.
     *
     * @param z M×N pre-activations at which f' is taken
     * @throws IllegalArgumentException if a shape does not fit or f is null
     */
    public void multiplyTimesDerivative(GemmOp op, Matrix a, Matrix b, Matrix c, Activation f, Matrix z) {
        checkOperands(op, a, b, c);
        if (f == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        checkSameShape("z", c, z);
        run(op, a, b, null, 1f, 0f, c, GemmKernel.BACKWARD, f, null, z);
    }

    /**
     * {@code C = alpha·A·B + beta·C} with B packed ahead of time (A is M×K, not transposed): the serving path,
     * which streams B's panels and packs nothing. With {@code beta == 0}, C is not read.
     *
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public void multiply(float alpha, Matrix a, PackedMatrix b, float beta, Matrix c) {
        checkPacked(a, b, c);
        run(GemmOp.NN, a, null, b, alpha, beta, c, GemmKernel.PLAIN, null, null, null);
    }

    /**
     * The forward step with B packed ahead of time: {@code Z = A·B + bias}, {@code C = f(Z)}, Z also stored
     * into {@code preActivationOut} when it is not null. C is not read.
     *
     * @throws IllegalArgumentException if a shape does not fit or f is null
     */
    public void multiply(Matrix a, PackedMatrix b, Matrix c, Matrix biasRow, Activation f, Matrix preActivationOut) {
        checkPacked(a, b, c);
        checkForward(c, biasRow, f, preActivationOut);
        run(GemmOp.NN, a, null, b, 1f, 0f, c, GemmKernel.FORWARD, f, biasRow, preActivationOut);
    }

    /** Stops the workers and frees the packing buffers; idempotent. Not to be called during a multiplication. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (workers != null) {
            workers.close();
        }
        arena.close();
    }

    private void checkOperands(GemmOp op, Matrix a, Matrix b, Matrix c) {
        checkOpen();
        if (!packsB) {
            throw new IllegalStateException("this context multiplies only by a PackedMatrix (Gemm.forPackedB) and has "
                    + "no space to pack B; use Gemm.create for B as stored");
        }
        op.checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
        checkSize(c, op.transposeA() ? a.rows() : a.cols());
    }

    private void checkPacked(Matrix a, PackedMatrix b, Matrix c) {
        checkOpen();
        if (a.cols() != b.k() || c.rows() != a.rows() || c.cols() != b.n()) {
            throw new IllegalArgumentException("GEMM with packed B: A is " + a.shape() + ", B is " + b.k() + "x" + b.n()
                    + ", C is " + c.shape() + "; expected A M×K, B K×N and C M×N");
        }
        checkSize(c, a.cols());
    }

    private static void checkForward(Matrix c, Matrix biasRow, Activation f, Matrix preActivationOut) {
        if (f == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        if (biasRow != null && (biasRow.rows() != 1 || biasRow.cols() != c.cols())) {
            throw new IllegalArgumentException("bias must be 1x" + c.cols() + ", got " + biasRow.shape());
        }
        if (preActivationOut != null) {
            checkSameShape("preActivationOut", c, preActivationOut);
        }
    }

    private static void checkSameShape(String what, Matrix c, Matrix other) {
        if (other == null || other.rows() != c.rows() || other.cols() != c.cols()) {
            throw new IllegalArgumentException(what + " must be " + c.shape() + ", got "
                    + (other == null ? "null" : other.shape()));
        }
    }

    private void checkSize(Matrix c, int k) {
        if (c.rows() > maxM) {
            throw new IllegalArgumentException("this context was created for at most " + maxM + " rows of C, got "
                    + c.shape());
        }
        if (c.cols() > maxN || k > maxK) {
            throw new IllegalArgumentException("this context was created for at most " + maxN + " columns of C and "
                    + maxK + " steps of K, got C " + c.shape() + " and K = " + k);
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("Gemm used after close()");
        }
    }

    private void run(GemmOp op, Matrix am, Matrix bm, PackedMatrix pb, float alpha, float beta, Matrix cm,
                     int epilogue, Activation f, Matrix biasRow, Matrix zm) {
        am.checkAlive();
        cm.checkAlive();
        if (pb == null) {
            bm.checkAlive();
        }
        int k = op.transposeA() ? am.rows() : am.cols();
        int parts = threads == 1 || (long) cm.rows() * cm.cols() * k < PARALLEL_MIN_MACS ? 1 : threads;
        job.set(op, am, bm, pb, alpha, beta, cm, epilogue, f, biasRow, zm, parts);
        if (parts == 1) {
            loops.compute(job, 0);
        } else {
            workers.run();
        }
    }
}
