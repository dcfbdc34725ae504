package io.lanewise.kernels.gemm;

import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A GEMM context: {@code C = alpha·op(A)·op(B) + beta·C} on float32 row-major matrices of any shape and
 * row stride, with optional epilogues (bias and activation forward, activation derivative backward)
 * applied to each tile as the micro-kernel finishes it, so C is written once.
 *
 * <p>Structure as in BLIS: loops over blocks of {@value #NC} columns and {@value #KC} steps of K around
 * a register-tiled micro-kernel ({@link GemmKernel}); B is packed into zero-padded panels unless it is
 * used in place (row-major B for at most {@value #ROW_PATH_MAX_M} rows, or B {@link PackedMatrix packed
 * ahead of time}); A is read in place when row-major, and packed into MR-row panels when transposed
 * and reused by several panels of B (blocks of at least {@value #PACK_A_MIN_K} steps of K), so that the
 * tile reads it at strides known at compile time and C2 checks bounds outside the k loop; the last rows
 * of M that do not fill a tile are packed, zero-padded. At most {@value #ROW_PATH_MAX_M} rows take a
 * GEMV-shaped path: one row at a time against B streamed by panels, or, for B read transposed, dot products of contiguous rows (nothing packed).
 * Panels of at most one vector of columns (N = 10) take a narrow tile.
 *
 * <p>A context owns its packing buffers (off-heap, 64-byte aligned, allocated once) and, with
 * {@code threads > 1}, worker threads started at construction. The columns of C are split in whole panels
 * over the threads in a fixed way, and each element is computed the same way whichever thread computes
 * it, so results are bit-identical run after run (and for any thread count). With threads, the matrices
 * must be readable from other threads (a shared or global arena, as {@link io.lanewise.memory.Storage}'s).
 *
 * <p>One caller at a time: a context is not thread safe. Calls allocate nothing. C must not overlap A,
 * B, the bias or Z. {@link #close()} stops the workers and frees the buffers; later calls throw
 * {@link IllegalStateException}.
 */
public final class Gemm implements AutoCloseable {
    /** Steps of K per block: a KC×NR panel of B (32 KB at 512 bits) stays in L1 while tiles reuse it. */
    static final int KC = 256;
    /** Columns per block of packed B (KC×NC floats, 1 MB), a multiple of every NR. */
    static final int NC = 1024;
    /** Rows of A per block, a whole number of tiles: MC×KC floats of packed A (128 KB) stay in L2 while the panels of B go by. */
    static final int MC = (128 + GemmKernel.INSTANCE.MR - 1) / GemmKernel.INSTANCE.MR * GemmKernel.INSTANCE.MR;
    /** Up to this many rows, C is computed a row at a time (GEMV-shaped): padding to a tile would waste more. */
    static final int ROW_PATH_MAX_M = 4;
    /**
     * Blocks of K shorter than this read a transposed A in place (packing it would cost about what it saves),
     * and take the generic tile rather than {@code tileRows}.
     */
    static final int PACK_A_MIN_K = 32;

    private static final GemmKernel KERNEL = GemmKernel.INSTANCE;
    private static final int MR = KERNEL.MR;
    private static final int NR = KERNEL.NR;
    private static final long B_FLOATS = (long) KC * NC;
    private static final long A_FLOATS = (long) MC * KC;
    private static final long PART_FLOATS = B_FLOATS + A_FLOATS + (long) MR * NR;

    private final int threads;
    private final Arena arena;
    /**
     * Below this many multiply-adds (about 10 µs of work) a call runs on the caller alone: waking the
     * workers would cost more than it saves. Fixed, so the split still depends only on the shape.
     */
    static final long PARALLEL_MIN_MACS = 1L << 20;
    private final MemorySegment buffers;
    private final Thread[] workers;
    private final IdleStrategy callerIdle = new BackoffIdleStrategy(1000, 100, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(20));
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long sequence;
    private volatile boolean open = true;
    private volatile Throwable failure;

    // The job: plain fields written by the caller before the volatile write of `sequence`, read by the
    // workers after reading it.
    private boolean transposeA;
    private boolean transposeB;
    private int m;
    private int n;
    private int k;
    /** How many threads share this call: 1 below {@link #PARALLEL_MIN_MACS}, else all (fixed per shape). */
    private int parts;
    private float alpha;
    private float beta;
    private MemorySegment a;
    private long lda;
    private MemorySegment b;
    private long ldb;
    private MemorySegment packed;
    private MemorySegment c;
    private long ldc;
    private int mode;
    private Activation f;
    private MemorySegment bias;
    private MemorySegment z;
    private long ldz;

    @SuppressWarnings("MustBeClosedChecker") // the arena is this context's, closed by close()
    private Gemm(int threads) {
        this.threads = threads;
        this.arena = Arena.ofShared();
        this.buffers = arena.allocate(PART_FLOATS * threads * Float.BYTES, Matrix.ALIGNMENT_BYTES);
        this.workers = new Thread[threads - 1];
        for (int t = 1; t < threads; t++) {
            int part = t;
            Thread w = new Thread(() -> work(part), "lanewise-gemm-" + t);
            w.setDaemon(true);
            workers[t - 1] = w;
        }
        for (Thread w : workers) {
            w.start();
        }
    }

    /** A single-threaded context: every call runs on the caller's thread. */
    public static Gemm create() {
        return create(1);
    }

    /**
     * A context computing on {@code threads} threads: the caller's and {@code threads - 1} workers started
     * now, which wait between calls with a {@link BackoffIdleStrategy} (spin, yield, then park up to 100 µs).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Gemm create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new Gemm(threads);
    }

    /** The number of threads computing each call, the caller's included. */
    public int threads() {
        return threads;
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
        boolean interrupted = false;
        for (Thread w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        arena.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOperands(GemmOp op, Matrix a, Matrix b, Matrix c) {
        checkOpen();
        op.checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    }

    private void checkPacked(Matrix a, PackedMatrix b, Matrix c) {
        checkOpen();
        if (a.cols() != b.k() || c.rows() != a.rows() || c.cols() != b.n()) {
            throw new IllegalArgumentException("GEMM with packed B: A is " + a.shape() + ", B is " + b.k() + "x" + b.n()
                    + ", C is " + c.shape() + "; expected A M×K, B K×N and C M×N");
        }
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

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("Gemm used after close()");
        }
    }

    private void run(GemmOp op, Matrix am, Matrix bm, PackedMatrix pb, float alpha, float beta, Matrix cm,
                     int mode, Activation f, Matrix biasRow, Matrix zm) {
        am.checkAlive();
        cm.checkAlive();
        boolean transA = op.transposeA();
        this.transposeA = transA;
        this.transposeB = op.transposeB();
        this.m = cm.rows();
        this.n = cm.cols();
        this.k = transA ? am.rows() : am.cols();
        this.alpha = alpha;
        this.beta = beta;
        this.a = am.segment();
        this.lda = am.stride();
        if (pb != null) {
            this.packed = pb.segment();
            this.b = null;
        } else {
            bm.checkAlive();
            this.packed = null;
            this.b = bm.segment();
            this.ldb = bm.stride();
        }
        this.c = cm.segment();
        this.ldc = cm.stride();
        this.mode = mode;
        this.f = f;
        this.bias = biasRow == null ? null : biasRow.segment();
        this.z = zm == null ? null : zm.segment();
        this.ldz = zm == null ? 0 : zm.stride();
        parts = threads == 1 || (long) m * n * k < PARALLEL_MIN_MACS ? 1 : threads;
        if (parts == 1) {
            compute(0);
            return;
        }
        failure = null;
        pending.set(threads - 1);
        sequence = sequence + 1;
        Throwable own = null;
        try {
            compute(0);
        } catch (Throwable t) {
            own = t;
        }
        callerIdle.reset();
        while (pending.get() != 0) {
            callerIdle.idle();
        }
        Throwable t = own != null ? own : failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private void work(int part) {
        // Spin long and park briefly: a training step leaves the workers idle for tens of microseconds
        // between GEMMs (element-wise work), and a long park then delays the next GEMM by as much.
        IdleStrategy idle = new BackoffIdleStrategy(20_000, 100, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(20));
        long seen = 0;
        while (true) {
            idle.reset();
            long s;
            while ((s = sequence) == seen) {
                if (!open) {
                    return;
                }
                idle.idle();
            }
            seen = s;
            try {
                compute(part);
            } catch (Throwable t) {
                failure = t;
            }
            pending.decrementAndGet();
        }
    }

    /** This thread's share: whole panels of NR columns, split the same way on every call. */
    private void compute(int part) {
        int panels = (n + NR - 1) / NR;
        int q0 = (int) ((long) panels * part / parts);
        int q1 = (int) ((long) panels * (part + 1) / parts);
        if (q0 == q1) {
            return;
        }
        long base = PART_FLOATS * part;
        int n1 = Math.min(n, q1 * NR);
        for (int jc = q0 * NR; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                block(base, jc, nc, pc, kc);
            }
        }
    }

    /** Finishes a tile from the scratch tile into C with the epilogue {@code md}; column j of C is column 0 of the tile. */
    private void finish(long scratch, int rows, int cols, long cOff, float bt, int md, int j, long zOff) {
        GemmKernel kernel = KERNEL;
        if (md == GemmKernel.FORWARD) {
            kernel.storeForward(buffers, scratch, rows, cols, c, cOff, ldc, alpha, bt, f, bias, j, z, zOff, ldz);
        } else if (md == GemmKernel.BACKWARD) {
            kernel.storeBackward(buffers, scratch, rows, cols, c, cOff, ldc, alpha, bt, f, z, zOff, ldz);
        } else {
            kernel.store(buffers, scratch, rows, cols, c, cOff, ldc, alpha, bt);
        }
    }

    /**
     * The GEMV-shaped path for B read transposed: each element of C is a dot product of two contiguous
     * rows, four columns at a time, so B is not packed.
     */
    private void rowDots(int jc, int nc, int pc, int kc, long scratch, float bt, int md) {
        GemmKernel kernel = KERNEL;
        int last = jc + nc - 1;
        for (int q = 0; q * NR < nc; q++) {
            int cols = Math.min(NR, nc - q * NR);
            int j = jc + q * NR;
            for (int i = 0; i < m; i++) {
                long ao = i * lda + pc;
                for (int jj = 0; jj < cols; jj += 4) {
                    // Past the last column, repeat it: the extra sums land in the scratch tile, unread.
                    long r0 = (long) (j + jj) * ldb + pc;
                    long r1 = (long) Math.min(j + jj + 1, last) * ldb + pc;
                    long r2 = (long) Math.min(j + jj + 2, last) * ldb + pc;
                    long r3 = (long) Math.min(j + jj + 3, last) * ldb + pc;
                    kernel.dot4(a, ao, b, r0, r1, r2, r3, kc, buffers, scratch + jj);
                }
                finish(scratch, 1, cols, i * ldc + j, bt, md, j, i * ldz + j);
            }
        }
    }

    /** One block: columns jc..jc+nc, steps pc..pc+kc of K, all rows. */
    private void block(long base, int jc, int nc, int pc, int kc) {
        GemmKernel kernel = KERNEL;
        float bt = pc == 0 ? beta : 1f;
        int md = pc + kc == k ? mode : GemmKernel.PLAIN;
        long packOff = base;
        long packAOff = base + B_FLOATS;
        long scratch = packAOff + A_FLOATS;
        // Where panel q of this block starts, and its row step.
        MemorySegment bs;
        long bBlock;
        long panelStep;
        long bKs;
        if (packed != null) {
            bs = packed;
            bBlock = (long) (jc / NR) * k * NR + (long) pc * NR;
            panelStep = (long) k * NR;
            bKs = NR;
        } else if (transposeB && m <= ROW_PATH_MAX_M) {
            rowDots(jc, nc, pc, kc, scratch, bt, md);
            return;
        } else if (m > ROW_PATH_MAX_M) {
            // Packed panels: contiguous for the tile, and the tiles of all rows reuse each one from L1.
            for (int q = 0, cols; (cols = Math.min(NR, nc - q * NR)) > 0; q++) {
                long dst = packOff + (long) q * kc * NR;
                if (transposeB) {
                    kernel.packColumns(b, (long) (jc + q * NR) * ldb + pc, ldb, kc, cols, buffers, dst);
                } else {
                    kernel.packRows(b, (long) pc * ldb + jc + q * NR, ldb, kc, cols, buffers, dst);
                }
            }
            bs = buffers;
            bBlock = packOff;
            panelStep = (long) kc * NR;
            bKs = NR;
        } else {
            // Few rows of a row-major B: each element is used once per row, so packing would cost more
            // than it saves; the panels are read in place.
            bs = b;
            bBlock = (long) pc * ldb + jc;
            panelStep = NR;
            bKs = ldb;
            int edge = nc % NR;
            if (edge != 0) {
                // The last panel would read past the row: copy it, zero-padded.
                kernel.packRows(b, bBlock + nc - edge, ldb, kc, edge, buffers, packOff);
            }
        }
        long aRs = transposeA ? 1 : lda;
        long aKs = transposeA ? lda : 1;
        long aBlock = transposeA ? (long) pc * lda : pc;
        int panels = (nc + NR - 1) / NR;
        if (m <= ROW_PATH_MAX_M) {
            boolean inPlace = packed == null;
            for (int q = 0; q < panels; q++) {
                int cols = Math.min(NR, nc - q * NR);
                boolean edgePanel = inPlace && cols < NR;
                MemorySegment ps = edgePanel ? buffers : bs;
                long po = edgePanel ? packOff : bBlock + q * panelStep;
                long pks = edgePanel ? NR : bKs;
                int j = jc + q * NR;
                for (int i = 0; i < m; i++) {
                    long ao = aBlock + i * aRs;
                    kernel.row(a, ao, aKs, ps, po, pks, kc, buffers, scratch);
                    finish(scratch, 1, cols, i * ldc + j, bt, md, j, i * ldz + j);
                }
            }
            return;
        }
        // A row-major A is read in place (tileRows: its k loop runs without bounds checks; for short blocks
        // of K the generic tile, whose loop has less set-up, is faster). A transposed A
        // is packed into MR-row panels when several panels of B reuse it; otherwise it is read in place
        // too. Either way a last tile of fewer than MR rows reads a packed, zero-padded panel.
        boolean packA = transposeA && panels > 1 && kc >= PACK_A_MIN_K;
        for (int ic = 0; ic < m; ic += MC) {
            int iEnd = Math.min(m, ic + MC);
            // A tile's panel at a time: for a transposed A, each step then reads MR contiguous floats and
            // writes sequentially (packing all the block's panels a step at a time measured slower).
            for (int ir = packA ? ic : iEnd - (iEnd - ic) % MR; ir < iEnd; ir += MR) {
                kernel.packA(a, aBlock + ir * aRs, aRs, aKs, Math.min(MR, m - ir), kc, buffers,
                        packAOff + (long) (ir - ic) * kc);
            }
            for (int q = 0; q < panels; q++) {
                int cols = Math.min(NR, nc - q * NR);
                long po = bBlock + q * panelStep;
                int j = jc + q * NR;
                for (int ir = ic; ir < iEnd; ir += MR) {
                    int rows = Math.min(MR, m - ir);
                    boolean inPanel = packA || rows < MR;
                    MemorySegment as = inPanel ? buffers : a;
                    long ao = inPanel ? packAOff + (long) (ir - ic) * kc : aBlock + ir * aRs;
                    long co = ir * ldc + j;
                    if (cols <= kernel.NARROW) {
                        kernel.tileNarrow(as, ao, inPanel ? 1 : aRs, inPanel ? MR : aKs, bs, po, bKs, kc, buffers, scratch);
                    } else if (inPanel) {
                        kernel.tilePacked(buffers, ao, bs, po, kc, buffers, scratch);
                    } else if (!transposeA && kc >= PACK_A_MIN_K) {
                        kernel.tileRows(a, ao, aRs, bs, po, kc, buffers, scratch);
                    } else {
                        kernel.tile(a, ao, aRs, aKs, bs, po, bKs, kc, buffers, scratch);
                    }
                    finish(scratch, rows, cols, co, bt, md, j, ir * ldz + j);
                }
            }
        }
    }
}
