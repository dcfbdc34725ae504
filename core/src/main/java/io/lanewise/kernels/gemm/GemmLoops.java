package io.lanewise.kernels.gemm;

import static io.lanewise.kernels.gemm.Gemm.KC;
import static io.lanewise.kernels.gemm.Gemm.NC;
import static io.lanewise.kernels.gemm.Gemm.PACK_A_MIN_K;
import static io.lanewise.kernels.gemm.Gemm.ROW_PATH_MAX_M;

import io.lanewise.memory.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The BLIS loop nest of a {@link Gemm} over one {@link GemmJob}: blocks of {@value Gemm#NC} columns and
 * {@value Gemm#KC} steps of K around the micro-kernel, and the packing space each thread's share packs into.
 * Stateless between calls: the job comes in as an argument, so every thread runs the same code on the same
 * job, each on its own panels of C and its own part of the packing space.
 *
 * <p>Each part's packing space is three regions, sized by the creator to the calls it will run: panels of
 * B ({@code packBFloats}, none when B always comes packed ahead of time), panels of A
 * ({@code packAFloats}, none when C never has more than {@value Gemm#ROW_PATH_MAX_M} rows) and the dense
 * tile the micro-kernel leaves its sums in ({@link #tileFloats}).
 */
final class GemmLoops {
    private static final GemmKernel KERNEL = GemmKernel.Holder.INSTANCE;
    private static final int MR = KERNEL.mr;
    private static final int NR = KERNEL.nr;

    private final MemorySegment buffers;
    private final long partFloats;
    /** Where a part's A panels start, after its B panels. */
    private final long packAAt;
    /** Where a part's dense tile starts, after its A panels. */
    private final long tileAt;

    /**
     * Packing space for {@code parts} threads, each with {@code packBFloats} floats of B panels,
     * {@code packAFloats} of A panels (multiples of 16, so every region starts 64-byte aligned) and
     * {@code tileFloats} of dense tile.
     */
    GemmLoops(Arena arena, int parts, long packBFloats, long packAFloats, long tileFloats) {
        this.packAAt = packBFloats;
        this.tileAt = packBFloats + packAFloats;
        this.partFloats = tileAt + tileFloats;
        this.buffers = arena.allocate(partFloats * parts * Float.BYTES, Matrix.ALIGNMENT_BYTES);
    }

    /**
     * Floats of the dense tile for calls of at most {@code maxM} rows: a tile's MR rows of NR, or a row of
     * ROW_PANELS panels; above {@value Gemm#ROW_PATH_MAX_M} rows, tileColumns' NR rows and its scratch.
     */
    static long tileFloats(int maxM) {
        return maxM > ROW_PATH_MAX_M ? (long) NR * (NR + GemmKernel.COLUMN_GROUP)
                : (long) Math.max(MR, GemmKernel.ROW_PANELS) * NR;
    }

    /** Bytes of packing space, all parts together. */
    long bytes() {
        return buffers.byteSize();
    }

    /** Part {@code part} of {@code job.parts}: whole panels of NR columns of C, split the same way on every call. */
    void compute(GemmJob job, int part) {
        int panels = (job.n + NR - 1) / NR;
        int firstPanel = (int) ((long) panels * part / job.parts);
        int endPanel = (int) ((long) panels * (part + 1) / job.parts);
        if (firstPanel == endPanel) {
            return;
        }
        long base = partFloats * part;
        int columnEnd = Math.min(job.n, endPanel * NR);
        // K in blocks of equal length, at most KC: K = 784 runs 4 × 196, not 3 × 256 and a block of 16 that
        // would cost a pass over C for little work, on the generic tile.
        int kBlocks = (job.k + KC - 1) / KC;
        int kcStep = (job.k + kBlocks - 1) / kBlocks;
        for (int jc = firstPanel * NR; jc < columnEnd; jc += NC) {
            int nc = Math.min(NC, columnEnd - jc);
            for (int pc = 0; pc < job.k; pc += kcStep) {
                int kc = Math.min(kcStep, job.k - pc);
                block(job, base, jc, nc, pc, kc);
            }
        }
    }

    /**
     * Finishes a tile from the dense tile into C with {@code epilogue}; column j of C is column 0 of the tile.
     * {@code beta} is the job's for the first block of K, then 1: later blocks add to what the first stored.
     */
    private void finish(GemmJob job, long tile, int rows, int cols, long cOff, float beta, int epilogue, int j, long zOff) {
        GemmKernel kernel = KERNEL;
        if (epilogue == GemmKernel.FORWARD) {
            kernel.storeForward(buffers, tile, rows, cols, job.c, cOff, job.ldc, job.alpha, beta, job.activation, job.bias,
                    j, job.z, zOff, job.ldz);
        } else if (epilogue == GemmKernel.BACKWARD) {
            kernel.storeBackward(buffers, tile, rows, cols, job.c, cOff, job.ldc, job.alpha, beta, job.activation, job.z,
                    zOff, job.ldz);
        } else {
            kernel.store(buffers, tile, rows, cols, job.c, cOff, job.ldc, job.alpha, beta);
        }
    }

    /**
     * The GEMV-shaped path for B read transposed: each element of C is a dot product of two contiguous
     * rows, four columns at a time, so B is not packed.
     */
    private void rowDots(GemmJob job, int jc, int nc, int pc, int kc, long tile, float beta, int epilogue) {
        GemmKernel kernel = KERNEL;
        long lda = job.lda;
        long ldb = job.ldb;
        int last = jc + nc - 1;
        for (int q = 0; q * NR < nc; q++) {
            int cols = Math.min(NR, nc - q * NR);
            int j = jc + q * NR;
            for (int i = 0; i < job.m; i++) {
                long aOff = i * lda + pc;
                for (int jj = 0; jj < cols; jj += 4) {
                    // Past the last column, repeat it: the extra sums land in the dense tile, unread.
                    long r0 = (long) (j + jj) * ldb + pc;
                    long r1 = (long) Math.min(j + jj + 1, last) * ldb + pc;
                    long r2 = (long) Math.min(j + jj + 2, last) * ldb + pc;
                    long r3 = (long) Math.min(j + jj + 3, last) * ldb + pc;
                    kernel.dot4(job.a, aOff, job.b, r0, r1, r2, r3, kc, buffers, tile + jj);
                }
                finish(job, tile, 1, cols, i * job.ldc + j, beta, epilogue, j, i * job.ldz + j);
            }
        }
    }

    /** One block: columns jc..jc+nc, steps pc..pc+kc of K, all rows, in the part whose space starts at {@code base}. */
    private void block(GemmJob job, long base, int jc, int nc, int pc, int kc) {
        GemmKernel kernel = KERNEL;
        int m = job.m;
        int k = job.k;
        boolean transposeA = job.transposeA;
        boolean transposeB = job.transposeB;
        MemorySegment a = job.a;
        long lda = job.lda;
        MemorySegment b = job.b;
        long ldb = job.ldb;
        // The first block of K applies beta to C; later ones add to it. Only the last finishes with the epilogue.
        float blockBeta = pc == 0 ? job.beta : 1f;
        int blockEpilogue = pc + kc == k ? job.epilogue : GemmKernel.PLAIN;
        // With a transposed A, whose rows are contiguous at each step, a last panel of at most `columns` columns
        // (N = 10 at every width) takes tileColumns (narrowPanel), the others the tiles. That tile only broadcasts
        // B, so when the panel is whole passes of COLUMN_GROUP columns (no pass reads past a row of B) it reads a
        // row-major B in place: packing B's 40-byte rows with masked loads took 11% of 128×128×10 TN at AVX-512 on
        // an AMD EPYC Zen 4 (async-profiler). (A transposed A comes only with a row-major B: GemmOp has no TT.)
        int edge = nc % NR;
        boolean narrowLast = transposeA && edge != 0 && edge <= kernel.columns;
        boolean narrowInPlace = narrowLast && job.packedB == null && edge % GemmKernel.COLUMN_GROUP == 0;
        long packBOff = base;
        long packAOff = base + packAAt;
        long tile = base + tileAt;
        // Where panel q of this block starts (bBlock + q·panelStep) in bSource, and its row step bKs.
        MemorySegment bSource;
        long bBlock;
        long panelStep;
        long bKs;
        if (job.packedB != null) {
            bSource = job.packedB;
            bBlock = (long) (jc / NR) * k * NR + (long) pc * NR;
            panelStep = (long) k * NR;
            bKs = NR;
        } else if (transposeB && m <= ROW_PATH_MAX_M) {
            rowDots(job, jc, nc, pc, kc, tile, blockBeta, blockEpilogue);
            return;
        } else if (m > ROW_PATH_MAX_M) {
            // Packed panels: contiguous for the tile, and the tiles of all rows reuse each one from L1. Not a narrow
            // last panel that tileColumns reads in place.
            int packed = narrowInPlace ? nc - edge : nc;
            for (int q = 0, cols; (cols = Math.min(NR, packed - q * NR)) > 0; q++) {
                long dst = packBOff + (long) q * kc * NR;
                if (transposeB) {
                    kernel.packColumns(b, (long) (jc + q * NR) * ldb + pc, ldb, kc, cols, buffers, dst);
                } else {
                    kernel.packRows(b, (long) pc * ldb + jc + (long) q * NR, ldb, kc, cols, buffers, dst);
                }
            }
            bSource = buffers;
            bBlock = packBOff;
            panelStep = (long) kc * NR;
            bKs = NR;
        } else {
            // Few rows of a row-major B: each element is used once per row, so packing would cost more
            // than it saves; the panels are read in place.
            bSource = b;
            bBlock = (long) pc * ldb + jc;
            panelStep = NR;
            bKs = ldb;
            if (edge != 0) {
                // The last panel would read past the row: copy it, zero-padded.
                kernel.packRows(b, bBlock + nc - edge, ldb, kc, edge, buffers, packBOff);
            }
        }
        long aRs = transposeA ? 1 : lda;
        long aKs = transposeA ? lda : 1;
        long aBlock = transposeA ? (long) pc * lda : pc;
        int panels = (nc + NR - 1) / NR;
        if (m <= ROW_PATH_MAX_M) {
            boolean inPlace = job.packedB == null;
            int q = 0;
            if (!inPlace && aKs == 1) {
                // Packed panels ROW_PANELS at a time (the last group may hold the zero-padded edge panel).
                for (; q + GemmKernel.ROW_PANELS <= panels; q += GemmKernel.ROW_PANELS) {
                    int cols = Math.min(GemmKernel.ROW_PANELS * NR, nc - q * NR);
                    int j = jc + q * NR;
                    for (int i = 0; i < m; i++) {
                        kernel.rowPanels(a, aBlock + i * aRs, bSource, bBlock + q * panelStep, panelStep, kc, buffers,
                                tile);
                        finish(job, tile, 1, cols, i * job.ldc + j, blockBeta, blockEpilogue, j, i * job.ldz + j);
                    }
                }
            }
            for (; q < panels; q++) {
                int cols = Math.min(NR, nc - q * NR);
                boolean edgePanel = inPlace && cols < NR;
                MemorySegment panelSource = edgePanel ? buffers : bSource;
                long panelOff = edgePanel ? packBOff : bBlock + q * panelStep;
                long panelKs = edgePanel ? NR : bKs;
                int j = jc + q * NR;
                for (int i = 0; i < m; i++) {
                    if (aKs == 1 && panelKs == NR) {
                        kernel.rowPacked(a, aBlock + i * aRs, panelSource, panelOff, kc, buffers, tile);
                    } else {
                        kernel.row(a, aBlock + i * aRs, aKs, panelSource, panelOff, panelKs, kc, buffers, tile);
                    }
                    finish(job, tile, 1, cols, i * job.ldc + j, blockBeta, blockEpilogue, j, i * job.ldz + j);
                }
            }
            return;
        }
        int widePanels = narrowLast ? panels - 1 : panels;
        if (widePanels > 0) {
            tiles(job, widePanels, nc, kc, aBlock, aRs, aKs, bSource, bBlock, panelStep, bKs, packAOff, tile, jc,
                    blockBeta, blockEpilogue);
        }
        if (widePanels < panels) {
            narrowPanel(job, aBlock, packAOff, tile, narrowInPlace ? b : bSource,
                    narrowInPlace ? (long) pc * ldb + jc + widePanels * NR : bBlock + widePanels * panelStep,
                    narrowInPlace ? ldb : bKs, kc, edge, jc + widePanels * NR, blockBeta, blockEpilogue);
        }
    }

    /** The register tiles over the first {@code panels} panels of a block, all rows of C. */
    private void tiles(GemmJob job, int panels, int nc, int kc, long aBlock, long aRs, long aKs, MemorySegment bSource,
                       long bBlock, long panelStep, long bKs, long packAOff, long tile, int jc, float blockBeta,
                       int blockEpilogue) {
        GemmKernel kernel = KERNEL;
        int m = job.m;
        MemorySegment a = job.a;
        boolean transposeA = job.transposeA;
        // A is packed into MR-row panels when several panels of B reuse it: the packed tile's k loop then
        // reads both operands at strides fixed at compile time, which C2 checks once outside the loop (the
        // generic tile's variable strides cost a bounds check per load: 245 against 325 calls/s at 512³ NN
        // under -XX:UseAVX=2 on an AMD EPYC). For one panel or a short block of K, packing would cost
        // about what it saves, and A is read in place, except that a last tile of fewer than MR rows reads
        // a packed, zero-padded panel at the start of the A region.
        boolean packA = panels > 1 && kc >= PACK_A_MIN_K;
        for (int ic = 0; ic < m; ic += Gemm.MC) {
            int iEnd = Math.min(m, ic + Gemm.MC);
            // A tile's panel at a time, two for a transposed A: each step then reads 2·MR contiguous floats (a
            // whole line at AVX-512; see VectorGemmKernel.copyTransposedPanels) and writes two panels
            // sequentially (packing all the block's panels a step at a time measured slower).
            int packStep = packA && transposeA ? 2 * MR : MR;
            for (int ir = packA ? ic : iEnd - (iEnd - ic) % MR; ir < iEnd; ir += packStep) {
                long dst = packA ? packAOff + (long) (ir - ic) * kc : packAOff;
                kernel.packA(a, aBlock + ir * aRs, aRs, aKs, Math.min(packStep, iEnd - ir), kc, buffers, dst);
            }
            for (int q = 0; q < panels; q++) {
                int cols = Math.min(NR, nc - q * NR);
                long panelOff = bBlock + q * panelStep;
                int j = jc + q * NR;
                for (int ir = ic; ir < iEnd; ir += MR) {
                    int rows = Math.min(MR, m - ir);
                    boolean inPanel = packA || rows < MR;
                    MemorySegment aSource = inPanel ? buffers : a;
                    long aOff = !inPanel ? aBlock + ir * aRs : packA ? packAOff + (long) (ir - ic) * kc : packAOff;
                    long cOff = ir * job.ldc + j;
                    if (cols <= kernel.narrow) {
                        kernel.tileNarrow(aSource, aOff, inPanel ? 1 : aRs, inPanel ? MR : aKs, bSource, panelOff, kc,
                                buffers, tile);
                    } else if (inPanel) {
                        kernel.tilePacked(buffers, aOff, bSource, panelOff, kc, buffers, tile);
                    } else {
                        kernel.tile(a, aOff, aRs, aKs, bSource, panelOff, bKs, kc, buffers, tile);
                    }
                    finish(job, tile, rows, cols, cOff, blockBeta, blockEpilogue, j, ir * job.ldz + j);
                }
            }
        }
    }

    /**
     * A block's narrow last panel ({@code cols ≤ columns} columns at column j; B's panel at {@code panelOff}, its rows
     * {@code bKs} apart, packed or in place) for a transposed A, over all rows of C, NR rows at a time by tileColumns:
     * A read in place, but for its last rows, copied into a zero-padded panel. (A row-major A takes tileNarrow:
     * packing it into NR-row panels, a transposing copy, made 128×128×10 NN 95,000 calls/s against 111,000–119,000
     * on an AMD EPYC Zen 4 at AVX-512.)
     */
    private void narrowPanel(GemmJob job, long aBlock, long packAOff, long tile, MemorySegment bSource, long panelOff,
                             long bKs, int kc, int cols, int j, float beta, int epilogue) {
        GemmKernel kernel = KERNEL;
        long lda = job.lda;
        for (int ir = 0; ir < job.m; ir += NR) {
            int rows = Math.min(NR, job.m - ir);
            MemorySegment aSource = job.a;
            long aOff = aBlock + ir;
            long aKs = lda;
            if (rows < NR) {
                kernel.packRows(job.a, aOff, lda, kc, rows, buffers, packAOff);
                aSource = buffers;
                aOff = packAOff;
                aKs = NR;
            }
            kernel.tileColumns(aSource, aOff, aKs, bSource, panelOff, bKs, kc, cols, buffers, tile);
            finish(job, tile, rows, cols, ir * job.ldc + j, beta, epilogue, j, ir * job.ldz + j);
        }
    }
}
