package io.lanewise.kernels.gemm;

import io.lanewise.kernels.vector.VectorActivationKernels;
import io.lanewise.kernels.vector.VectorSupport;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels. The tile is {@link #ROWS} rows × 2 vectors, sized to the vector registers: 8 rows
 * (16 accumulators) with 32 registers, 6 rows (12) with 16, 4 rows (8) without fused multiply-add; each k step
 * does 2 multiply-adds per row for 2 vector loads of B and one scalar load of A per row. Written without loops
 * over rows or columns, so the accumulators stay in registers; {@code ROWS} is a constant, so the rows a
 * smaller tile lacks are dead code. The
 * kernels leave their sums in a dense L1-resident tile and {@link #store} finishes it into C: a kernel
 * that also scaled and stored into C grew past what C2 inlines whole, and its vectors were then boxed.
 * For the same reason {@link #tile} and {@link #tilePacked} repeat the body with two ways of addressing the
 * operands (strides given, or fixed by the packing): a helper taking the accumulators would box them when not
 * inlined.
 *
 * <p>The kernels run at every width, 128-bit (NEON's, and SSE's on x86) included. Where C2 lacks fused
 * multiply-add, masks and blends (x86 with SSE only: {@link VectorSupport#FULL} false), they multiply then add,
 * sum lanes without blends, and finish the last {@code cols mod V} elements of a row and the edges of
 * packed panels one at a time, with the same IEEE operations as the vector lanes. Where C2 has blends but no
 * masked loads and stores (NEON: {@link VectorSupport#MASKED_MEMORY} false), the rows and edges are finished the
 * same way; every mask is built by a compare of constant lane vectors, which NEON compiles too.
 */
final class VectorGemmKernel extends GemmKernel {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int V = F.length();
    private static final long VB = (long) V * Float.BYTES;
    /** Bytes per row of the dense tile S. */
    private static final long RB = 2 * VB;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    /** Lane i takes lane (i + V/2) mod V, (i + V/4) mod V, (i + 3V/4) mod V: steps of {@link #dot4}'s lane sums. */
    private static final VectorShuffle<Float> HALF = VectorShuffle.iota(F, V / 2, 1, true);
    private static final VectorShuffle<Float> QUARTER = VectorShuffle.iota(F, V / 4, 1, true);
    private static final VectorShuffle<Float> BACK_QUARTER = VectorShuffle.iota(F, 3 * V / 4, 1, true);
    private static final VectorShuffle<Float> R2 = VectorSupport.ROTATE_2;
    private static final VectorShuffle<Float> R1 = VectorSupport.ROTATE_1;
    /** Lane i holds i: {@code LANE.compare(LT, n)} masks the first n lanes (see {@link VectorSupport#LANE_INDEX}). */
    private static final FloatVector LANE = VectorSupport.LANE_INDEX;
    /** Lanes [V/2, V), and lanes [V/4, V/2) with [3V/4, V), as 1s among 0s: masks by a compare with 0. */
    private static final FloatVector HIGH_HALF = VectorSupport.lanes(F, i -> i >= V / 2 ? 1 : 0);
    private static final FloatVector ODD_QUARTERS = VectorSupport.lanes(F, i -> i % (V / 2) >= V / 4 ? 1 : 0);
    /**
     * Source rows per {@link #transposeBlocks} block: 8, or V where vectors are narrower. At 16 lanes one vector holds
     * two blocks side by side, each transposed in its own 8 lanes: every vector in this class is of the one species
     * {@code F}. Not 8-lane vectors there: a second vector class in the JVM gives the JDK's shared Vector API code
     * two receiver classes in its type profiles, and a C2 compilation that inlines both boxed its vectors (80 bytes
     * per stored vector of GemmLoops.finish: the warm Adam step allocated 1.2 MB in 2 forks of 20, LogCompilation,
     * AVX-512, AMD EPYC). Not 16×16 blocks: too big for C1, so until C2 compiled them they ran in the Vector API's
     * Java fallback (the first 2-second iteration of 128×784×256 NT ran 769 calls/s against 942 with scalar copies).
     */
    private static final int TR = Math.min(V, 8);
    /** Lane i takes lane i - d (UP), lane i + d (DOWN), mod TR within its block: {@link #transposeBlocks}' rotations. */
    private static final VectorShuffle<Float> UP4 = rotation(-4), UP2 = rotation(-2), UP1 = rotation(-1);
    private static final VectorShuffle<Float> DOWN4 = rotation(4), DOWN2 = rotation(2), DOWN1 = rotation(1);
    /** The lanes whose index has bit d, as 1s among 0s: where {@link #transposeBlocks}' stage d takes the rotated row. */
    private static final FloatVector LANES_WITH_4 = lanesWith(4), LANES_WITH_2 = lanesWith(2), LANES_WITH_1 = lanesWith(1);
    /**
     * Rows of the tile, a constant here so the A offsets in the k loop are: 8 with 32 vector registers (16
     * accumulators, 2 B vectors and a broadcast: 19), 6 with 16 (x86 AVX2, {@link VectorSupport#REGISTERS}; 12
     * accumulators, 2 B vectors and a broadcast: 15), where 8 rows spill accumulators to the stack in their k
     * loop; 4 without fused multiply-add (x86 with SSE only), whose two-operand multiply overwrites its operand,
     * so C2 copies a B vector before each one and 6 rows spilled. Measured at 512³ NN on an AMD EPYC (Zen 5),
     * calls/s: under {@code -XX:UseAVX=2}, with A in place, 8 rows 150, 6 rows 245 (OpenBLAS Haswell 370); on the
     * packed tile, 5 rows 285–305 and 6 rows 315–325 (OpenBLAS 360–378); under {@code -XX:UseAVX=0} on the
     * packed tile, 6 rows 71–73, 4 rows 112–119 (OpenBLAS Nehalem 128–136).
     */
    private static final int ROWS = !VectorSupport.FMA ? 4 : VectorSupport.REGISTERS < 32 ? 6 : 8;
    /**
     * True where whole vectors copy a transposed A's panel rows (ROWS floats): as wide as a row (8 rows, 8 lanes), or
     * two rows wide (8 rows at AVX-512, masked loads for the last panel).
     */
    private static final boolean PANEL_ROW_IS_VECTOR = V == ROWS || V == 2 * ROWS && VectorSupport.MASKED_MEMORY;
    /** Bytes per k step of a packed A panel. */
    private static final long AB = (long) ROWS * Float.BYTES;
    /** {@link VectorSupport#FMA}: where false, the tiles, rows and dot products multiply, round, then add. */
    private static final boolean FMA = VectorSupport.FMA;

    VectorGemmKernel() {
        super(ROWS, 2 * V, V);
    }

    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(F, i -> i - i % TR + Math.floorMod(i % TR + by, TR));
    }

    private static FloatVector lanesWith(int bit) {
        return VectorSupport.lanes(F, i -> (i & bit) != 0 ? 1 : 0);
    }

    @Override
    void tile(MemorySegment a, long aOff, long aRs, long aKs, MemorySegment b, long bOff, long bKs, int k,
              MemorySegment s, long sOff) {
        // ROWS is a constant: the accumulators of rows past it are dead, and C2 drops them.
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        long ap = aOff * Float.BYTES;
        long as = aRs * Float.BYTES;
        long ak = aKs * Float.BYTES;
        long bp = bOff * Float.BYTES;
        // Strides known only at run time (B's is always nr here): a bounds check per load, which orders the
        // loads. With constant strides, C2 checks once outside the loop, but then hoisted loads and spilled
        // accumulators at 6 rows: 128×128×10 NN under -XX:UseAVX=2 ran 75–81 against 133–136 thousand calls/s
        // on an AMD EPYC (Zen 5), and 128×10×128 at AVX-512 196–226 against 251–253.
        long bk = bKs * Float.BYTES;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromMemorySegment(F, b, bp, NO);
            FloatVector b1 = FloatVector.fromMemorySegment(F, b, bp + VB, NO);
            FloatVector x;
            x = FloatVector.broadcast(F, a.get(FLOAT, ap));
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + as));
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 2 * as));
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 3 * as));
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
            if (ROWS > 4) {
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 4 * as));
                c40 = FMA ? x.fma(b0, c40) : x.mul(b0).add(c40);
                c41 = FMA ? x.fma(b1, c41) : x.mul(b1).add(c41);
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 5 * as));
                c50 = FMA ? x.fma(b0, c50) : x.mul(b0).add(c50);
                c51 = FMA ? x.fma(b1, c51) : x.mul(b1).add(c51);
            }
            if (ROWS == 8) {
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 6 * as));
                c60 = x.fma(b0, c60);
                c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 7 * as));
                c70 = x.fma(b0, c70);
                c71 = x.fma(b1, c71);
            }
            ap += ak;
            bp += bk;
        }
        long sp = sOff * Float.BYTES;
        c00.intoMemorySegment(s, sp, NO);
        c01.intoMemorySegment(s, sp + VB, NO);
        c10.intoMemorySegment(s, sp + 1 * RB, NO);
        c11.intoMemorySegment(s, sp + 1 * RB + VB, NO);
        c20.intoMemorySegment(s, sp + 2 * RB, NO);
        c21.intoMemorySegment(s, sp + 2 * RB + VB, NO);
        c30.intoMemorySegment(s, sp + 3 * RB, NO);
        c31.intoMemorySegment(s, sp + 3 * RB + VB, NO);
        if (ROWS > 4) {
            c40.intoMemorySegment(s, sp + 4 * RB, NO);
            c41.intoMemorySegment(s, sp + 4 * RB + VB, NO);
            c50.intoMemorySegment(s, sp + 5 * RB, NO);
            c51.intoMemorySegment(s, sp + 5 * RB + VB, NO);
        }
        if (ROWS == 8) {
            c60.intoMemorySegment(s, sp + 6 * RB, NO);
            c61.intoMemorySegment(s, sp + 6 * RB + VB, NO);
            c70.intoMemorySegment(s, sp + 7 * RB, NO);
            c71.intoMemorySegment(s, sp + 7 * RB + VB, NO);
        }
    }

    @Override
    void tileNarrow(MemorySegment a, long aOff, long aRs, long aKs, MemorySegment b, long bOff, int k,
                    MemorySegment s, long sOff) {
        // One vector per row: for panels of at most V columns (N = 10), where the wide tile would spend
        // more than half its FMAs on zero padding. Rows past ROWS (a constant) are dead code.
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F);
        FloatVector c4 = FloatVector.zero(F);
        FloatVector c5 = FloatVector.zero(F);
        FloatVector c6 = FloatVector.zero(F);
        FloatVector c7 = FloatVector.zero(F);
        long bp = bOff * Float.BYTES;
        if (aKs == 1) {
            // A row-major in place (a narrow GEMM's A is used once, so it is not packed): loop-invariant row
            // starts and offsets linear in p with constant strides, so C2 checks the bounds once, outside
            // the loop, instead of at each of the ROWS + 1 loads of a step. 128×128×10 NN on an AMD EPYC
            // (Zen 5, AVX-512): 162 → 241 thousand calls/s.
            long r0 = aOff * Float.BYTES;
            long as = aRs * Float.BYTES;
            long r1 = r0 + as;
            long r2 = r1 + as;
            long r3 = r2 + as;
            long r4 = r3 + as;
            long r5 = r4 + as;
            long r6 = r5 + as;
            long r7 = r6 + as;
            for (int p = 0; p < k; p++) {
                long ap = (long) p * Float.BYTES;
                FloatVector b0 = FloatVector.fromMemorySegment(F, b, bp + (long) p * RB, NO);
                FloatVector x = FloatVector.broadcast(F, a.get(FLOAT, r0 + ap));
                c0 = FMA ? x.fma(b0, c0) : x.mul(b0).add(c0);
                x = FloatVector.broadcast(F, a.get(FLOAT, r1 + ap));
                c1 = FMA ? x.fma(b0, c1) : x.mul(b0).add(c1);
                x = FloatVector.broadcast(F, a.get(FLOAT, r2 + ap));
                c2 = FMA ? x.fma(b0, c2) : x.mul(b0).add(c2);
                x = FloatVector.broadcast(F, a.get(FLOAT, r3 + ap));
                c3 = FMA ? x.fma(b0, c3) : x.mul(b0).add(c3);
                if (ROWS > 4) {
                    x = FloatVector.broadcast(F, a.get(FLOAT, r4 + ap));
                    c4 = FMA ? x.fma(b0, c4) : x.mul(b0).add(c4);
                    x = FloatVector.broadcast(F, a.get(FLOAT, r5 + ap));
                    c5 = FMA ? x.fma(b0, c5) : x.mul(b0).add(c5);
                }
                if (ROWS == 8) {
                    x = FloatVector.broadcast(F, a.get(FLOAT, r6 + ap));
                    c6 = FMA ? x.fma(b0, c6) : x.mul(b0).add(c6);
                    x = FloatVector.broadcast(F, a.get(FLOAT, r7 + ap));
                    c7 = FMA ? x.fma(b0, c7) : x.mul(b0).add(c7);
                }
            }
        } else {
            // A transposed in place, or packed: strides known only at run time, a check per load.
            long ap = aOff * Float.BYTES;
            long as = aRs * Float.BYTES;
            long ak = aKs * Float.BYTES;
            for (int p = 0; p < k; p++) {
                FloatVector b0 = FloatVector.fromMemorySegment(F, b, bp, NO);
                FloatVector x = FloatVector.broadcast(F, a.get(FLOAT, ap));
                c0 = FMA ? x.fma(b0, c0) : x.mul(b0).add(c0);
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 1 * as));
                c1 = FMA ? x.fma(b0, c1) : x.mul(b0).add(c1);
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 2 * as));
                c2 = FMA ? x.fma(b0, c2) : x.mul(b0).add(c2);
                x = FloatVector.broadcast(F, a.get(FLOAT, ap + 3 * as));
                c3 = FMA ? x.fma(b0, c3) : x.mul(b0).add(c3);
                if (ROWS > 4) {
                    x = FloatVector.broadcast(F, a.get(FLOAT, ap + 4 * as));
                    c4 = FMA ? x.fma(b0, c4) : x.mul(b0).add(c4);
                    x = FloatVector.broadcast(F, a.get(FLOAT, ap + 5 * as));
                    c5 = FMA ? x.fma(b0, c5) : x.mul(b0).add(c5);
                }
                if (ROWS == 8) {
                    x = FloatVector.broadcast(F, a.get(FLOAT, ap + 6 * as));
                    c6 = FMA ? x.fma(b0, c6) : x.mul(b0).add(c6);
                    x = FloatVector.broadcast(F, a.get(FLOAT, ap + 7 * as));
                    c7 = FMA ? x.fma(b0, c7) : x.mul(b0).add(c7);
                }
                ap += ak;
                bp += RB;
            }
        }
        long sp = sOff * Float.BYTES;
        c0.intoMemorySegment(s, sp, NO);
        c1.intoMemorySegment(s, sp + 1 * RB, NO);
        c2.intoMemorySegment(s, sp + 2 * RB, NO);
        c3.intoMemorySegment(s, sp + 3 * RB, NO);
        if (ROWS > 4) {
            c4.intoMemorySegment(s, sp + 4 * RB, NO);
            c5.intoMemorySegment(s, sp + 5 * RB, NO);
        }
        if (ROWS == 8) {
            c6.intoMemorySegment(s, sp + 6 * RB, NO);
            c7.intoMemorySegment(s, sp + 7 * RB, NO);
        }
    }

    @Override
    void tileColumns(MemorySegment a, long aOff, long aKs, MemorySegment b, long bOff, long bKs, int k, int cols,
                     MemorySegment s, long sOff) {
        // Two vectors of rows × COLUMN_GROUP columns per pass: 10 accumulators, 2 vectors of A and a broadcast
        // (and a product without FMA: 14) fit 16 registers. A row-oriented tile for N = 10 used 10 of 16 lanes.
        long a0 = aOff * Float.BYTES;
        long ak = aKs * Float.BYTES;
        long bk = bKs * Float.BYTES;
        long sp = sOff * Float.BYTES;
        // Column g of a pass goes to the scratch after S (2 vectors each), then into S's rows.
        long scratch = sp + (long) nr * RB;
        for (int j = 0; j < cols; j += COLUMN_GROUP) {
            FloatVector c0 = FloatVector.zero(F), d0 = FloatVector.zero(F);
            FloatVector c1 = FloatVector.zero(F), d1 = FloatVector.zero(F);
            FloatVector c2 = FloatVector.zero(F), d2 = FloatVector.zero(F);
            FloatVector c3 = FloatVector.zero(F), d3 = FloatVector.zero(F);
            FloatVector c4 = FloatVector.zero(F), d4 = FloatVector.zero(F);
            long bj = (bOff + j) * Float.BYTES;
            for (int p = 0; p < k; p++) {
                long ap = a0 + p * ak;
                long bp = bj + p * bk;
                FloatVector x0 = FloatVector.fromMemorySegment(F, a, ap, NO);
                FloatVector x1 = FloatVector.fromMemorySegment(F, a, ap + VB, NO);
                FloatVector y = FloatVector.broadcast(F, b.get(FLOAT, bp));
                c0 = FMA ? x0.fma(y, c0) : x0.mul(y).add(c0);
                d0 = FMA ? x1.fma(y, d0) : x1.mul(y).add(d0);
                y = FloatVector.broadcast(F, b.get(FLOAT, bp + 4));
                c1 = FMA ? x0.fma(y, c1) : x0.mul(y).add(c1);
                d1 = FMA ? x1.fma(y, d1) : x1.mul(y).add(d1);
                y = FloatVector.broadcast(F, b.get(FLOAT, bp + 8));
                c2 = FMA ? x0.fma(y, c2) : x0.mul(y).add(c2);
                d2 = FMA ? x1.fma(y, d2) : x1.mul(y).add(d2);
                y = FloatVector.broadcast(F, b.get(FLOAT, bp + 12));
                c3 = FMA ? x0.fma(y, c3) : x0.mul(y).add(c3);
                d3 = FMA ? x1.fma(y, d3) : x1.mul(y).add(d3);
                y = FloatVector.broadcast(F, b.get(FLOAT, bp + 16));
                c4 = FMA ? x0.fma(y, c4) : x0.mul(y).add(c4);
                d4 = FMA ? x1.fma(y, d4) : x1.mul(y).add(d4);
            }
            c0.intoMemorySegment(s, scratch, NO);
            d0.intoMemorySegment(s, scratch + VB, NO);
            c1.intoMemorySegment(s, scratch + RB, NO);
            d1.intoMemorySegment(s, scratch + RB + VB, NO);
            c2.intoMemorySegment(s, scratch + 2 * RB, NO);
            d2.intoMemorySegment(s, scratch + 2 * RB + VB, NO);
            c3.intoMemorySegment(s, scratch + 3 * RB, NO);
            d3.intoMemorySegment(s, scratch + 3 * RB + VB, NO);
            c4.intoMemorySegment(s, scratch + 4 * RB, NO);
            d4.intoMemorySegment(s, scratch + 4 * RB + VB, NO);
            long sj = sp + (long) j * Float.BYTES;
            for (int g = 0; g < COLUMN_GROUP; g++) {
                long column = scratch + g * RB;
                for (int i = 0; i < 2 * V; i++) {
                    s.set(FLOAT, sj + i * RB + g * Float.BYTES, s.get(FLOAT, column + (long) i * Float.BYTES));
                }
            }
        }
    }

    @Override
    void tilePacked(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s, long sOff) {
        // ROWS is a constant: the accumulators of rows past it are dead, and C2 drops them.
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        // Offsets linear in p with constant strides: C2 then checks the bounds once, outside the loop. With
        // 8 rows, each row's start is loop-invariant (a0 + 4i) and no A load keeps a check; with fewer, the
        // row offsets come after the multiply (a0 + p·AB + 4i) and keep a check per load, which orders the
        // loads: without the checks, C2 hoisted two broadcasts at once and spilled two of the 16 registers'
        // accumulators (325 against 145 calls/s at 512³ NN under -XX:UseAVX=2 on an AMD EPYC).
        long a0 = aOff * Float.BYTES;
        long r0 = ROWS == 8 ? a0 : 0;
        long r1 = r0 + 4;
        long r2 = r0 + 8;
        long r3 = r0 + 12;
        long r4 = r0 + 16;
        long r5 = r0 + 20;
        long r6 = r0 + 24;
        long r7 = r0 + 28;
        long b0 = bOff * Float.BYTES;
        for (int p = 0; p < k; p++) {
            long ap = (ROWS == 8 ? 0 : a0) + (long) p * AB;
            long bp = b0 + (long) p * RB;
            FloatVector b0v = FloatVector.fromMemorySegment(F, b, bp, NO);
            FloatVector b1v = FloatVector.fromMemorySegment(F, b, bp + VB, NO);
            FloatVector x;
            x = FloatVector.broadcast(F, a.get(FLOAT, r0 + ap));
            c00 = FMA ? x.fma(b0v, c00) : x.mul(b0v).add(c00);
            c01 = FMA ? x.fma(b1v, c01) : x.mul(b1v).add(c01);
            x = FloatVector.broadcast(F, a.get(FLOAT, r1 + ap));
            c10 = FMA ? x.fma(b0v, c10) : x.mul(b0v).add(c10);
            c11 = FMA ? x.fma(b1v, c11) : x.mul(b1v).add(c11);
            x = FloatVector.broadcast(F, a.get(FLOAT, r2 + ap));
            c20 = FMA ? x.fma(b0v, c20) : x.mul(b0v).add(c20);
            c21 = FMA ? x.fma(b1v, c21) : x.mul(b1v).add(c21);
            x = FloatVector.broadcast(F, a.get(FLOAT, r3 + ap));
            c30 = FMA ? x.fma(b0v, c30) : x.mul(b0v).add(c30);
            c31 = FMA ? x.fma(b1v, c31) : x.mul(b1v).add(c31);
            if (ROWS > 4) {
                x = FloatVector.broadcast(F, a.get(FLOAT, r4 + ap));
                c40 = FMA ? x.fma(b0v, c40) : x.mul(b0v).add(c40);
                c41 = FMA ? x.fma(b1v, c41) : x.mul(b1v).add(c41);
                x = FloatVector.broadcast(F, a.get(FLOAT, r5 + ap));
                c50 = FMA ? x.fma(b0v, c50) : x.mul(b0v).add(c50);
                c51 = FMA ? x.fma(b1v, c51) : x.mul(b1v).add(c51);
            }
            if (ROWS == 8) {
                x = FloatVector.broadcast(F, a.get(FLOAT, r6 + ap));
                c60 = x.fma(b0v, c60);
                c61 = x.fma(b1v, c61);
                x = FloatVector.broadcast(F, a.get(FLOAT, r7 + ap));
                c70 = x.fma(b0v, c70);
                c71 = x.fma(b1v, c71);
            }
        }
        long sp = sOff * Float.BYTES;
        c00.intoMemorySegment(s, sp, NO);
        c01.intoMemorySegment(s, sp + VB, NO);
        c10.intoMemorySegment(s, sp + 1 * RB, NO);
        c11.intoMemorySegment(s, sp + 1 * RB + VB, NO);
        c20.intoMemorySegment(s, sp + 2 * RB, NO);
        c21.intoMemorySegment(s, sp + 2 * RB + VB, NO);
        c30.intoMemorySegment(s, sp + 3 * RB, NO);
        c31.intoMemorySegment(s, sp + 3 * RB + VB, NO);
        if (ROWS > 4) {
            c40.intoMemorySegment(s, sp + 4 * RB, NO);
            c41.intoMemorySegment(s, sp + 4 * RB + VB, NO);
            c50.intoMemorySegment(s, sp + 5 * RB, NO);
            c51.intoMemorySegment(s, sp + 5 * RB + VB, NO);
        }
        if (ROWS == 8) {
            c60.intoMemorySegment(s, sp + 6 * RB, NO);
            c61.intoMemorySegment(s, sp + 6 * RB + VB, NO);
            c70.intoMemorySegment(s, sp + 7 * RB, NO);
            c71.intoMemorySegment(s, sp + 7 * RB + VB, NO);
        }
    }

    @Override
    void row(MemorySegment a, long aOff, long aKs, MemorySegment b, long bOff, long bKs, int k,
             MemorySegment s, long sOff) {
        // One chain of multiply-adds per column, in the order of the tiles' (see GemmKernel#row).
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        long ap = aOff * Float.BYTES;
        long ak = aKs * Float.BYTES;
        long bp = bOff * Float.BYTES;
        long bk = bKs * Float.BYTES;
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(F, a.get(FLOAT, ap));
            FloatVector y = FloatVector.fromMemorySegment(F, b, bp, NO);
            s0 = FMA ? x.fma(y, s0) : x.mul(y).add(s0);
            y = FloatVector.fromMemorySegment(F, b, bp + VB, NO);
            s1 = FMA ? x.fma(y, s1) : x.mul(y).add(s1);
            ap += ak;
            bp += bk;
        }
        s0.intoMemorySegment(s, sOff * Float.BYTES, NO);
        s1.intoMemorySegment(s, sOff * Float.BYTES + VB, NO);
    }

    @Override
    void rowPacked(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s, long sOff) {
        // row's body at aKs = 1, bKs = nr. Offsets are loop-invariant starts plus p times a constant: C2 then
        // checks the bounds once, outside the loop (in tilePacked, a constant added after the multiply kept a
        // check per load).
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        long a0 = aOff * Float.BYTES;
        long b0 = bOff * Float.BYTES;
        for (int p = 0; p < k; p++) {
            long bp = b0 + (long) p * RB;
            FloatVector x = FloatVector.broadcast(F, a.get(FLOAT, a0 + (long) p * Float.BYTES));
            FloatVector y = FloatVector.fromMemorySegment(F, b, bp, NO);
            s0 = FMA ? x.fma(y, s0) : x.mul(y).add(s0);
            y = FloatVector.fromMemorySegment(F, b, bp + VB, NO);
            s1 = FMA ? x.fma(y, s1) : x.mul(y).add(s1);
        }
        s0.intoMemorySegment(s, sOff * Float.BYTES, NO);
        s1.intoMemorySegment(s, sOff * Float.BYTES + VB, NO);
    }

    @Override
    void rowPanels(MemorySegment a, long aOff, MemorySegment b, long bOff, long panelStep, int k, MemorySegment s,
                   long sOff) {
        // rowPacked over four panels at once: four streams of B in flight instead of one. A GEMV is bound by how
        // fast B comes from L2, and one stream left it waiting: 1×784×256, B packed, ran 140,000–210,000 against
        // 116,000–117,000 calls/s one panel at a time (JMH, AMD EPYC, Zen 5, AVX-512). The panel starts are
        // loop-invariant, so the bounds are still checked once, outside the loop. With strides passed at run time,
        // so that B in place could take it too, GemmAllocationTest saw warm calls allocate.
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        FloatVector s4 = FloatVector.zero(F), s5 = FloatVector.zero(F), s6 = FloatVector.zero(F), s7 = FloatVector.zero(F);
        long a0 = aOff * Float.BYTES;
        long ps = panelStep * Float.BYTES;
        long q0 = bOff * Float.BYTES;
        long q1 = q0 + ps;
        long q2 = q1 + ps;
        long q3 = q2 + ps;
        for (int p = 0; p < k; p++) {
            long bp = (long) p * RB;
            FloatVector x = FloatVector.broadcast(F, a.get(FLOAT, a0 + (long) p * Float.BYTES));
            FloatVector y = FloatVector.fromMemorySegment(F, b, q0 + bp, NO);
            s0 = FMA ? x.fma(y, s0) : x.mul(y).add(s0);
            y = FloatVector.fromMemorySegment(F, b, q0 + bp + VB, NO);
            s1 = FMA ? x.fma(y, s1) : x.mul(y).add(s1);
            y = FloatVector.fromMemorySegment(F, b, q1 + bp, NO);
            s2 = FMA ? x.fma(y, s2) : x.mul(y).add(s2);
            y = FloatVector.fromMemorySegment(F, b, q1 + bp + VB, NO);
            s3 = FMA ? x.fma(y, s3) : x.mul(y).add(s3);
            y = FloatVector.fromMemorySegment(F, b, q2 + bp, NO);
            s4 = FMA ? x.fma(y, s4) : x.mul(y).add(s4);
            y = FloatVector.fromMemorySegment(F, b, q2 + bp + VB, NO);
            s5 = FMA ? x.fma(y, s5) : x.mul(y).add(s5);
            y = FloatVector.fromMemorySegment(F, b, q3 + bp, NO);
            s6 = FMA ? x.fma(y, s6) : x.mul(y).add(s6);
            y = FloatVector.fromMemorySegment(F, b, q3 + bp + VB, NO);
            s7 = FMA ? x.fma(y, s7) : x.mul(y).add(s7);
        }
        long sp = sOff * Float.BYTES;
        s0.intoMemorySegment(s, sp, NO);
        s1.intoMemorySegment(s, sp + VB, NO);
        s2.intoMemorySegment(s, sp + RB, NO);
        s3.intoMemorySegment(s, sp + RB + VB, NO);
        s4.intoMemorySegment(s, sp + 2 * RB, NO);
        s5.intoMemorySegment(s, sp + 2 * RB + VB, NO);
        s6.intoMemorySegment(s, sp + 3 * RB, NO);
        s7.intoMemorySegment(s, sp + 3 * RB + VB, NO);
    }

    @Override
    void dot4(MemorySegment a, long aOff, MemorySegment b, long b0, long b1, long b2, long b3, int k,
              MemorySegment s, long sOff) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        long ap = aOff * Float.BYTES;
        long p0 = b0 * Float.BYTES;
        long p1 = b1 * Float.BYTES;
        long p2 = b2 * Float.BYTES;
        long p3 = b3 * Float.BYTES;
        int p = 0;
        for (; p + V <= k; p += V) {
            long o = (long) p * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(F, a, ap + o, NO);
            FloatVector y = FloatVector.fromMemorySegment(F, b, p0 + o, NO);
            s0 = FMA ? x.fma(y, s0) : x.mul(y).add(s0);
            y = FloatVector.fromMemorySegment(F, b, p1 + o, NO);
            s1 = FMA ? x.fma(y, s1) : x.mul(y).add(s1);
            y = FloatVector.fromMemorySegment(F, b, p2 + o, NO);
            s2 = FMA ? x.fma(y, s2) : x.mul(y).add(s2);
            y = FloatVector.fromMemorySegment(F, b, p3 + o, NO);
            s3 = FMA ? x.fma(y, s3) : x.mul(y).add(s3);
        }
        // The tail in scalar: a masked vector tail made this method too big for C1, and it then stayed there.
        float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
        for (; p < k; p++) {
            long o = (long) p * Float.BYTES;
            float x = a.get(FLOAT, ap + o);
            t0 += x * b.get(FLOAT, p0 + o);
            t1 += x * b.get(FLOAT, p1 + o);
            t2 += x * b.get(FLOAT, p2 + o);
            t3 += x * b.get(FLOAT, p3 + o);
        }
        // The lane sums of VectorSupport's halving tree, not reduceLanes(ADD), whose order depends on the JIT
        // (these sums are dX, and the parameters followed when C2 compiled this method). The four trees share
        // vectors: level 1 leaves s0's pair sums (lane i + lane i + V/2) in lanes [0, V/2) of p01 and s1's in
        // [V/2, V), s2's and s3's likewise in p23; level 2 leaves the quarter sums of s0, s2, s1 and s3 in the
        // four quarters of q, which the last levels sum within each quarter.
        long sp = sOff * Float.BYTES;
        if (!VectorSupport.FULL) {
            // Without blends (SSE): the same tree for each sum on its own, in lane-wise steps only.
            s0 = s0.add(s0.rearrange(HALF));
            s1 = s1.add(s1.rearrange(HALF));
            s2 = s2.add(s2.rearrange(HALF));
            s3 = s3.add(s3.rearrange(HALF));
            s0 = s0.add(s0.rearrange(QUARTER));
            s1 = s1.add(s1.rearrange(QUARTER));
            s2 = s2.add(s2.rearrange(QUARTER));
            s3 = s3.add(s3.rearrange(QUARTER));
            if (V > 8) {
                s0 = s0.add(s0.rearrange(R2));
                s1 = s1.add(s1.rearrange(R2));
                s2 = s2.add(s2.rearrange(R2));
                s3 = s3.add(s3.rearrange(R2));
            }
            if (V > 4) {
                s0 = s0.add(s0.rearrange(R1));
                s1 = s1.add(s1.rearrange(R1));
                s2 = s2.add(s2.rearrange(R1));
                s3 = s3.add(s3.rearrange(R1));
            }
            s.set(FLOAT, sp, s0.lane(0) + t0);
            s.set(FLOAT, sp + Float.BYTES, s1.lane(0) + t1);
            s.set(FLOAT, sp + 2 * Float.BYTES, s2.lane(0) + t2);
            s.set(FLOAT, sp + 3 * Float.BYTES, s3.lane(0) + t3);
            return;
        }
        VectorMask<Float> high = HIGH_HALF.compare(VectorOperators.NE, 0f);
        FloatVector p01 = s0.add(s0.rearrange(HALF)).blend(s1.add(s1.rearrange(HALF)), high);
        FloatVector p23 = s2.add(s2.rearrange(HALF)).blend(s3.add(s3.rearrange(HALF)), high);
        FloatVector q = p01.add(p01.rearrange(QUARTER))
                .blend(p23.add(p23.rearrange(BACK_QUARTER)), ODD_QUARTERS.compare(VectorOperators.NE, 0f));
        if (V > 8) {
            q = q.add(q.rearrange(R2));
        }
        if (V > 4) {
            q = q.add(q.rearrange(R1)); // at 4 lanes each quarter is one lane: already summed
        }
        s.set(FLOAT, sp, q.lane(0) + t0);
        s.set(FLOAT, sp + Float.BYTES, q.lane(V / 2) + t1);
        s.set(FLOAT, sp + 2 * Float.BYTES, q.lane(V / 4) + t2);
        s.set(FLOAT, sp + 3 * Float.BYTES, q.lane(3 * V / 4) + t3);
    }

    @Override
    void store(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc, float alpha, float beta) {
        if (alpha == 1f && (beta == 0f || beta == 1f) && cols == nr) {
            // The common store, C = S or C += S over full rows (the K blocks of a plain product): whole
            // vectors, no masks, no scaling (the same bits: S·1 is S, and fma(C, 1, S) rounds C + S once),
            // the rows in one loop instead of a call per row.
            long sp = sOff * Float.BYTES;
            long cs = ldc * Float.BYTES;
            long cp = cOff * Float.BYTES;
            for (int i = 0; i < rows; i++) {
                FloatVector v0 = FloatVector.fromMemorySegment(F, s, sp + (long) i * RB, NO);
                FloatVector v1 = FloatVector.fromMemorySegment(F, s, sp + (long) i * RB + VB, NO);
                long ci = cp + i * cs;
                if (beta != 0f) {
                    v0 = v0.add(FloatVector.fromMemorySegment(F, c, ci, NO));
                    v1 = v1.add(FloatVector.fromMemorySegment(F, c, ci + VB, NO));
                }
                v0.intoMemorySegment(c, ci, NO);
                v1.intoMemorySegment(c, ci + VB, NO);
            }
            return;
        }
        if (alpha == 1f && (beta == 0f || beta == 1f) && cols < nr && VectorSupport.MASKED_MEMORY) {
            storeEdge(s, sOff, rows, cols, c, cOff, ldc, beta);
            return;
        }
        for (int i = 0; i < rows; i++) {
            finishRow(s, sOff + (long) i * nr, cols, c, cOff + i * ldc, alpha, beta, null, 0, null, 0);
        }
    }

    /**
     * {@link #store}'s common case on an edge panel (fewer than nr columns), where masked loads and stores are
     * compiled ({@link VectorSupport#MASKED_MEMORY}): the rows in
     * one loop with the masks built once, not a call per row each building its own. 128×128×10 is one masked
     * vector per row: the store took 18% of that product with a call per row and 11% here (async-profiler), and
     * the product ran 221,062 → 258,789 calls/s (JMH, AMD EPYC, Zen 5, AVX-512; bench/results/isa-levels/2026-12-01c).
     * A loop of its own, not store's full-panel loop with masks: SSE and NEON compile no masked accesses, and
     * AVX2 has no mask registers, so full panels keep their unmasked accesses.
     */
    private static void storeEdge(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                                  float beta) {
        VectorMask<Float> m0 = LANE.compare(VectorOperators.LT, (float) cols);
        VectorMask<Float> m1 = LANE.compare(VectorOperators.LT, (float) (cols - V));
        long sp = sOff * Float.BYTES;
        long cs = ldc * Float.BYTES;
        long cp = cOff * Float.BYTES;
        // The second vector only where it holds columns: a masked store of no lanes still costs a masked store
        // (about 6 ns on an AMD EPYC, Zen 5, estimated below), and past the end of C the JDK checks its mask lane by
        // lane.
        boolean second = cols > V;
        for (int i = 0; i < rows; i++) {
            long ci = cp + i * cs;
            FloatVector v0 = FloatVector.fromMemorySegment(F, s, sp + (long) i * RB, NO);
            if (beta != 0f) {
                v0 = v0.add(FloatVector.fromMemorySegment(F, c, ci, NO, m0));
            }
            v0.intoMemorySegment(c, ci, NO, m0);
            if (second) {
                FloatVector v1 = FloatVector.fromMemorySegment(F, s, sp + (long) i * RB + VB, NO);
                if (beta != 0f) {
                    v1 = v1.add(FloatVector.fromMemorySegment(F, c, ci + VB, NO, m1));
                }
                v1.intoMemorySegment(c, ci + VB, NO, m1);
            }
        }
    }

    @Override
    void storeForward(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                      float alpha, float beta, Activation f, MemorySegment bias, long biasOff,
                      MemorySegment z, long zOff, long ldz) {
        if (piecewiseFullPanel(cols, alpha, beta, f) && bias != null) {
            storeForwardPiecewise(s, sOff, rows, c, cOff, ldc, f.kind(), f.alpha(), bias, biasOff, z, zOff, ldz);
            return;
        }
        for (int i = 0; i < rows; i++) {
            long ci = cOff + i * ldc;
            finishRow(s, sOff + (long) i * nr, cols, c, ci, alpha, beta, bias, biasOff, z, zOff + i * ldz);
            // f in place on the row just stored, while it is in L1: through a call that passes memory, not
            // vectors, so the activation's vectors never cross a call C2 may not inline.
            if (f.kind() != Activation.Kind.IDENTITY) {
                VectorActivationKernels.forwardRow(f.kind(), f.alpha(), c, ci * Float.BYTES, c, ci * Float.BYTES, cols);
            }
        }
    }

    @Override
    void storeBackward(MemorySegment s, long sOff, int rows, int cols, MemorySegment c, long cOff, long ldc,
                       float alpha, float beta, Activation f, MemorySegment z, long zOff, long ldz) {
        if (piecewiseFullPanel(cols, alpha, beta, f) && f.kind() != Activation.Kind.IDENTITY) {
            storeBackwardPiecewise(s, sOff, rows, c, cOff, ldc, f.kind() == Activation.Kind.RELU ? 0f : f.alpha(), z,
                    zOff, ldz);
            return;
        }
        for (int i = 0; i < rows; i++) {
            long ci = cOff + i * ldc;
            finishRow(s, sOff + (long) i * nr, cols, c, ci, alpha, beta, null, 0, null, 0);
            // ⊙ f'(Z) in place on the row just stored, as in storeForward.
            if (f.kind() != Activation.Kind.IDENTITY) {
                long zp = (zOff + i * ldz) * Float.BYTES;
                VectorActivationKernels.backwardRow(f.kind(), f.alpha(), z, zp, c, ci * Float.BYTES, c,
                        ci * Float.BYTES, cols);
            }
        }
    }

    /**
     * Whether an epilogue takes the fused path of {@link #storeForwardPiecewise} and {@link #storeBackwardPiecewise}:
     * a full panel, {@code C = S} (alpha 1, beta 0: one block of K), and an activation made of compares and
     * multiplies (ReLU, LeakyReLU, the identity), where C2 compiles compares ({@link VectorSupport#FULL}).
     */
    private boolean piecewiseFullPanel(int cols, float alpha, float beta, Activation f) {
        Activation.Kind kind = f.kind();
        return VectorSupport.FULL && cols == nr && alpha == 1f && beta == 0f
                && (kind == Activation.Kind.RELU || kind == Activation.Kind.LEAKY_RELU || kind == Activation.Kind.IDENTITY);
    }

    /**
     * The forward epilogue of a full panel in one pass, the rows in one loop: {@code v = S + bias} into Z (unless it
     * is null) and {@code f(v)} into C, from registers. Before, each row was stored and then read back for f by a call
     * per row: in a b128 training step (784-256-128-10, AVX-512) finishRow and reluRow took 4.0% and 2.2%
     * (async-profiler). The same operations as {@link #finishRow} then VectorActivationKernels' rows (S·1 is S; ReLU is
     * max(v, 0), LeakyReLU v ≤ 0 ? v·alpha : v), so the same bits. Each branch stores its own result, so no vector
     * is merged from two branches.
     */
    private static void storeForwardPiecewise(MemorySegment s, long sOff, int rows, MemorySegment c, long cOff, long ldc,
                                              Activation.Kind kind, float slope, MemorySegment bias, long biasOff,
                                              MemorySegment z, long zOff, long ldz) {
        long sp = sOff * Float.BYTES;
        long cp = cOff * Float.BYTES;
        long cs = ldc * Float.BYTES;
        long zp = zOff * Float.BYTES;
        long zs = ldz * Float.BYTES;
        long bp = biasOff * Float.BYTES;
        for (int i = 0; i < rows; i++) {
            FloatVector v0 = FloatVector.fromMemorySegment(F, s, sp + (long) i * RB, NO)
                    .add(FloatVector.fromMemorySegment(F, bias, bp, NO));
            FloatVector v1 = FloatVector.fromMemorySegment(F, s, sp + (long) i * RB + VB, NO)
                    .add(FloatVector.fromMemorySegment(F, bias, bp + VB, NO));
            if (z != null) {
                v0.intoMemorySegment(z, zp + i * zs, NO);
                v1.intoMemorySegment(z, zp + i * zs + VB, NO);
            }
            long ci = cp + i * cs;
            if (kind == Activation.Kind.RELU) {
                v0.max(0f).intoMemorySegment(c, ci, NO);
                v1.max(0f).intoMemorySegment(c, ci + VB, NO);
            } else if (kind == Activation.Kind.LEAKY_RELU) {
                v0.blend(v0.mul(slope), v0.compare(VectorOperators.LE, 0f)).intoMemorySegment(c, ci, NO);
                v1.blend(v1.mul(slope), v1.compare(VectorOperators.LE, 0f)).intoMemorySegment(c, ci + VB, NO);
            } else {
                v0.intoMemorySegment(c, ci, NO);
                v1.intoMemorySegment(c, ci + VB, NO);
            }
        }
    }

    /**
     * The backward epilogue of a full panel in one pass: {@code C = S ⊙ (Z > 0 ? 1 : slope)} (ReLU's slope 0,
     * LeakyReLU's alpha), from registers, as {@link #finishRow} then VectorActivationKernels' slope row would give it:
     * the same bits, without storing S and reading it back (finishRow and slopeRow took 4.0% and 2.3% of the b128
     * step before, with storeForward's share).
     */
    private static void storeBackwardPiecewise(MemorySegment s, long sOff, int rows, MemorySegment c, long cOff, long ldc,
                                               float slope, MemorySegment z, long zOff, long ldz) {
        long sp = sOff * Float.BYTES;
        long cp = cOff * Float.BYTES;
        long cs = ldc * Float.BYTES;
        long zp = zOff * Float.BYTES;
        long zs = ldz * Float.BYTES;
        FloatVector slopes = FloatVector.broadcast(F, slope);
        for (int i = 0; i < rows; i++) {
            FloatVector z0 = FloatVector.fromMemorySegment(F, z, zp + i * zs, NO);
            FloatVector z1 = FloatVector.fromMemorySegment(F, z, zp + i * zs + VB, NO);
            long ci = cp + i * cs;
            slopes.blend(1f, z0.compare(VectorOperators.GT, 0f))
                    .mul(FloatVector.fromMemorySegment(F, s, sp + (long) i * RB, NO)).intoMemorySegment(c, ci, NO);
            slopes.blend(1f, z1.compare(VectorOperators.GT, 0f))
                    .mul(FloatVector.fromMemorySegment(F, s, sp + (long) i * RB + VB, NO)).intoMemorySegment(c, ci + VB, NO);
        }
    }

    /**
     * One row of the epilogue, offsets in floats: {@code v = alpha·S + beta·C (+ bias)}, stored into Z unless it
     * is null, and into C; C is not read when {@code beta == 0}. Where masked loads and stores are compiled
     * ({@link VectorSupport#MASKED_MEMORY}) the row's last vector is masked; elsewhere (SSE, NEON) whole vectors
     * run, then the last {@code cols mod V} elements one at a time with the same IEEE operations.
     */
    private static void finishRow(MemorySegment s, long sOff, int cols, MemorySegment c, long cOff, float alpha,
                                  float beta, MemorySegment bias, long biasOff, MemorySegment z, long zOff) {
        long sp = sOff * Float.BYTES;
        long cp = cOff * Float.BYTES;
        long bp = biasOff * Float.BYTES;
        long zp = zOff * Float.BYTES;
        if (VectorSupport.MASKED_MEMORY) {
            for (int j = 0; j < cols; j += V) {
                VectorMask<Float> m = LANE.compare(VectorOperators.LT, (float) (cols - j));
                long jb = (long) j * Float.BYTES;
                FloatVector v = FloatVector.fromMemorySegment(F, s, sp + jb, NO).mul(alpha);
                if (beta != 0f) {
                    v = FloatVector.fromMemorySegment(F, c, cp + jb, NO, m).fma(FloatVector.broadcast(F, beta), v);
                }
                if (bias != null) {
                    v = v.add(FloatVector.fromMemorySegment(F, bias, bp + jb, NO, m));
                }
                if (z != null) {
                    v.intoMemorySegment(z, zp + jb, NO, m);
                }
                v.intoMemorySegment(c, cp + jb, NO, m);
            }
            return;
        }
        int j = 0;
        for (; j + V <= cols; j += V) {
            long jb = (long) j * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(F, s, sp + jb, NO).mul(alpha);
            if (beta != 0f) {
                FloatVector old = FloatVector.fromMemorySegment(F, c, cp + jb, NO);
                v = VectorSupport.FMA ? old.fma(FloatVector.broadcast(F, beta), v) : old.mul(beta).add(v);
            }
            if (bias != null) {
                v = v.add(FloatVector.fromMemorySegment(F, bias, bp + jb, NO));
            }
            if (z != null) {
                v.intoMemorySegment(z, zp + jb, NO);
            }
            v.intoMemorySegment(c, cp + jb, NO);
        }
        for (; j < cols; j++) {
            long jb = (long) j * Float.BYTES;
            float v = s.get(FLOAT, sp + jb) * alpha;
            if (beta != 0f) {
                v = VectorSupport.fma(c.get(FLOAT, cp + jb), beta, v);
            }
            if (bias != null) {
                v += bias.get(FLOAT, bp + jb);
            }
            if (z != null) {
                z.set(FLOAT, zp + jb, v);
            }
            c.set(FLOAT, cp + jb, v);
        }
    }

    @Override
    void packA(MemorySegment a, long aOff, long aRs, long aKs, int rows, int k, MemorySegment dst, long dstOff) {
        long dp = dstOff * Float.BYTES;
        long panelBytes = (long) k * AB;
        if (aKs == 1) {
            // Row-major A: TR rows of a panel at a time transposed in registers where TR divides the panel's rows
            // (8 rows). Elsewhere scalar: 6-row panels (AVX2); under SSE, where blends are not compiled.
            int vectorRows = VectorSupport.FULL && ROWS % TR == 0 ? rows - rows % TR : 0;
            int steps = k - k % V;
            for (int i = 0; i < vectorRows; i += TR) {
                long d = dp + (i / ROWS) * panelBytes + (long) (i % ROWS) * Float.BYTES;
                transposeBlocks(a, (aOff + i * aRs) * Float.BYTES, aRs * Float.BYTES, steps / V, dst, d, AB, true);
                if (V > TR) {
                    // Vectors of steps p | p + TR, stored in the order crossHalves pairs them: into steps 2q | 2q + 1.
                    crossHalves(dst, d, steps / V, V * AB, 2 * AB, TR / 2, TR * AB);
                }
            }
            // The rest a row at a time (the last k mod V steps of those rows, all of the others), read
            // contiguously and written at the panel's stride; both offsets linear in p with constant steps, so
            // the loop runs without bounds checks.
            for (int i = 0; i < rows; i++) {
                long sp = (aOff + i * aRs) * Float.BYTES;
                long d = dp + (i / ROWS) * panelBytes + (long) (i % ROWS) * Float.BYTES;
                for (int p = i < vectorRows ? steps : 0; p < k; p++) {
                    dst.set(FLOAT, d + (long) p * AB, a.get(FLOAT, sp + (long) p * Float.BYTES));
                }
            }
            int end = (rows + ROWS - 1) / ROWS * ROWS;
            for (int i = rows; i < end; i++) {
                long d = dp + (i / ROWS) * panelBytes + (long) (i % ROWS) * Float.BYTES;
                for (int p = 0; p < k; p++) {
                    dst.set(FLOAT, d + (long) p * AB, 0f);
                }
            }
            return;
        }
        // Transposed A (aRs = 1): a step's rows are contiguous. A step at a time across all the panels, so
        // A is read sequentially; a vector holds one panel row, or two steps' rows where it is twice as wide.
        long ak = aKs * Float.BYTES;
        long sp = aOff * Float.BYTES;
        // Whole vectors of rows: one panel, or two where a vector is two panel rows wide (AVX-512).
        int full = PANEL_ROW_IS_VECTOR ? rows - rows % V : 0;
        if (full > 0) {
            copyTransposedPanels(a, sp, ak, full, k, dst, dp, panelBytes);
        }
        if (!VectorSupport.MASKED_MEMORY || V == 2 * ROWS) {
            // The rest element by element: where masked loads and stores are not compiled (SSE, NEON), and at
            // AVX-512, where it is at most a panel and a part once per block. Masked there, a path run that rarely
            // had C2 compile the JDK's Java fallback of masked loads 13 times in IntrinsicPathTest's workload.
            super.packA(a, aOff + full * aRs, aRs, aKs, rows - full, k, dst, dstOff + (long) (full / ROWS) * k * ROWS);
            return;
        }
        // The rest (the last, partial panel; every panel where a panel row is not a whole vector: AVX2's 6-row
        // panels, 4-lane vectors). In a whole panel, plain vectors: one that fits the panel row at every step, and
        // AVX2's 8 lanes for 6 rows at every step but the last, where the two extra lanes read the next rows of
        // A (there while a later step is) and write the next step's first two rows, which that step then
        // overwrites. Masked vectors for the rest, which also write the zero padding: in TN at AVX2 on a Zen 4
        // (AMD EPYC), masked stores on every step took 12% of the time (512³, async-profiler).
        for (int t = full; t < rows; t += ROWS) {
            int left = rows - t;
            long st = sp + (long) t * Float.BYTES;
            long dt = dp + (t / ROWS) * panelBytes;
            for (int i = 0; i < ROWS; i += V) {
                VectorMask<Float> load = LANE.compare(VectorOperators.LT, (float) (left - i));
                VectorMask<Float> store = LANE.compare(VectorOperators.LT, (float) (ROWS - i));
                long ib = (long) i * Float.BYTES;
                int plain = left < ROWS ? 0 : i + V <= ROWS ? k : i == 0 ? Math.max(k - 1, 0) : 0;
                for (int p = 0; p < plain; p++) {
                    FloatVector.fromMemorySegment(F, a, st + p * ak + ib, NO)
                            .intoMemorySegment(dst, dt + (long) p * AB + ib, NO);
                }
                for (int p = plain; p < k; p++) {
                    FloatVector.fromMemorySegment(F, a, st + p * ak + ib, NO, load)
                            .intoMemorySegment(dst, dt + (long) p * AB + ib, NO, store);
                }
            }
        }
    }

    /**
     * {@link #packA}'s whole panels ({@code full} rows) of a transposed A whose step p starts at byte
     * {@code sp + p·ak}, in vectors (see {@link #PANEL_ROW_IS_VECTOR}); a method of its own so that packA stays
     * small enough for C1.
     */
    private static void copyTransposedPanels(MemorySegment a, long sp, long ak, int full, int k, MemorySegment dst,
                                             long dp, long panelBytes) {
        if (V == ROWS) {
            for (int p = 0; p < k; p++) {
                long sq = sp + p * ak;
                long d = dp + (long) p * AB;
                for (int i = 0; i < full; i += ROWS) {
                    FloatVector.fromMemorySegment(F, a, sq + (long) i * Float.BYTES, NO)
                            .intoMemorySegment(dst, d + (i / ROWS) * panelBytes, NO);
                }
            }
        } else {
            // Vectors of two panel rows (V = 2·ROWS): steps p and p + 1, contiguous in the panel, so that every
            // store is whole. With a masked store per step, packing took 22% of 128×784×256 TN against 9%
            // (async-profiler, AMD EPYC, Zen 5): about 6 ns per masked store, from that share. Two panels at a
            // time from whole vectors of both steps (a step's 2·ROWS floats: one 64-byte line at AVX-512): the
            // low halves make panel i, the high halves panel i + 1. Read a panel at a time, each line of A was
            // fetched twice, and 128×784×256 TN ran 3,125–3,176 calls/s against 3,378–3,488 (alternating JMH forks,
            // AMD EPYC, Zen 5, AVX-512). full is a whole number of pairs.
            VectorMask<Float> first = LANE.compare(VectorOperators.LT, (float) ROWS);
            VectorMask<Float> second = HIGH_HALF.compare(VectorOperators.NE, 0f);
            int p = 0;
            for (; p + 1 < k; p += 2) {
                long sq = sp + p * ak;
                long d = dp + (long) p * AB;
                for (int i = 0; i < full; i += V) {
                    long at = sq + (long) i * Float.BYTES;
                    FloatVector step = FloatVector.fromMemorySegment(F, a, at, NO);
                    FloatVector nextStep = FloatVector.fromMemorySegment(F, a, at + ak, NO);
                    long di = d + (i / ROWS) * panelBytes;
                    step.blend(nextStep.rearrange(HALF), second).intoMemorySegment(dst, di, NO);
                    step.rearrange(HALF).blend(nextStep, second).intoMemorySegment(dst, di + panelBytes, NO);
                }
            }
            if (p < k) { // an odd last step
                long sq = sp + p * ak;
                long d = dp + (long) p * AB;
                for (int i = 0; i < full; i += ROWS) {
                    FloatVector.fromMemorySegment(F, a, sq + (long) i * Float.BYTES, NO, first)
                            .intoMemorySegment(dst, d + (i / ROWS) * panelBytes, NO, first);
                }
            }
        }
    }

    @Override
    void packColumns(MemorySegment src, long srcOff, long ld, int k, int cols, MemorySegment dst, long dstOff) {
        if (!VectorSupport.FULL) {
            super.packColumns(src, srcOff, ld, k, cols, dst, dstOff); // blends are not compiled (SSE)
            return;
        }
        // V source rows (panel columns) at a time, transposed in registers; the edges, the last k mod V steps of
        // those columns and the last cols mod V columns, one element at a time.
        int whole = cols - cols % V;
        int steps = k - k % V;
        for (int j = 0; j < whole; j += V) {
            long d = (dstOff + j) * Float.BYTES;
            transposeBlocks(src, (srcOff + j * ld) * Float.BYTES, ld * Float.BYTES, steps / V, dst, d, RB, false);
            if (V > TR) {
                // The second TR source rows' vectors TR steps further on, then steps p | p + TR of both crossed into
                // step p of all V source rows and step p + TR of all.
                transposeBlocks(src, (srcOff + (j + TR) * ld) * Float.BYTES, ld * Float.BYTES, steps / V, dst,
                        d + TR * RB, RB, false);
                crossHalves(dst, d, steps / V, V * RB, RB, TR, TR * RB);
            }
        }
        copyColumns(src, srcOff + steps, ld, k - steps, whole, dst, dstOff + (long) steps * nr);
        copyColumns(src, srcOff + whole * ld, ld, k, cols - whole, dst, dstOff + whole);
        if (cols < nr) {
            clearColumns(dst, dstOff, k, cols);
        }
    }

    /**
     * Transposes {@code blocks} blocks of TR source rows by V steps in registers, each V steps further along the same
     * rows (row i at byte {@code sp + i·sld}, block b at byte {@code dp + b·V·dld}): transposed row p, lane i holding
     * source row i's step p, goes to byte {@code dp + p·dld}. log2(TR) butterfly stages: the one at distance d swaps
     * bit d of the row index with bit d of the lane index, rotating row i + d up by d lanes into the lanes of row i
     * with that bit, and row i down by d into the lanes of row i + d without it. Memory in and out, so no vector
     * crosses a call; masks built here, so none reaches the heap. Rows and stages past TR are dead code: C2 drops them.
     *
     * <p>Where a vector holds two blocks (V = 2·TR), each is transposed in its own lanes: row p holds steps p and
     * p + TR, and goes to byte {@code dp + p·dld}; with {@code stepPairs}, odd rows go (TR − 1)·dld further on
     * (row p to 2q·dld with q = ⌊p/2⌋ + (p mod 2)·TR/2), the order in which {@link #crossHalves} makes pairs of
     * steps of them.
     */
    private static void transposeBlocks(MemorySegment src, long sp, long sld, int blocks, MemorySegment dst, long dp,
                                        long dld, boolean stepPairs) {
        long odd = stepPairs && V > TR ? (TR - 1) * dld : 0;
        VectorMask<Float> m4 = LANES_WITH_4.compare(VectorOperators.NE, 0f);
        VectorMask<Float> m2 = LANES_WITH_2.compare(VectorOperators.NE, 0f);
        VectorMask<Float> m1 = LANES_WITH_1.compare(VectorOperators.NE, 0f);
        for (int b = 0; b < blocks; b++) {
            long s = sp + (long) b * V * Float.BYTES;
            long d = dp + (long) b * V * dld;
            FloatVector t;
            FloatVector r0 = FloatVector.fromMemorySegment(F, src, s, NO);
            FloatVector r1 = FloatVector.fromMemorySegment(F, src, s + 1 * sld, NO);
            FloatVector r2 = FloatVector.fromMemorySegment(F, src, s + 2 * sld, NO);
            FloatVector r3 = FloatVector.fromMemorySegment(F, src, s + 3 * sld, NO);
            FloatVector r4 = r0, r5 = r0, r6 = r0, r7 = r0;
            if (TR > 4) {
                r4 = FloatVector.fromMemorySegment(F, src, s + 4 * sld, NO);
                r5 = FloatVector.fromMemorySegment(F, src, s + 5 * sld, NO);
                r6 = FloatVector.fromMemorySegment(F, src, s + 6 * sld, NO);
                r7 = FloatVector.fromMemorySegment(F, src, s + 7 * sld, NO);
                t = r0.blend(r4.rearrange(UP4), m4); r4 = r0.rearrange(DOWN4).blend(r4, m4); r0 = t;
                t = r1.blend(r5.rearrange(UP4), m4); r5 = r1.rearrange(DOWN4).blend(r5, m4); r1 = t;
                t = r2.blend(r6.rearrange(UP4), m4); r6 = r2.rearrange(DOWN4).blend(r6, m4); r2 = t;
                t = r3.blend(r7.rearrange(UP4), m4); r7 = r3.rearrange(DOWN4).blend(r7, m4); r3 = t;
            }
            t = r0.blend(r2.rearrange(UP2), m2); r2 = r0.rearrange(DOWN2).blend(r2, m2); r0 = t;
            t = r1.blend(r3.rearrange(UP2), m2); r3 = r1.rearrange(DOWN2).blend(r3, m2); r1 = t;
            t = r4.blend(r6.rearrange(UP2), m2); r6 = r4.rearrange(DOWN2).blend(r6, m2); r4 = t;
            t = r5.blend(r7.rearrange(UP2), m2); r7 = r5.rearrange(DOWN2).blend(r7, m2); r5 = t;
            t = r0.blend(r1.rearrange(UP1), m1); r1 = r0.rearrange(DOWN1).blend(r1, m1); r0 = t;
            t = r2.blend(r3.rearrange(UP1), m1); r3 = r2.rearrange(DOWN1).blend(r3, m1); r2 = t;
            t = r4.blend(r5.rearrange(UP1), m1); r5 = r4.rearrange(DOWN1).blend(r5, m1); r4 = t;
            t = r6.blend(r7.rearrange(UP1), m1); r7 = r6.rearrange(DOWN1).blend(r7, m1); r6 = t;
            r0.intoMemorySegment(dst, d, NO);
            r1.intoMemorySegment(dst, d + 1 * dld + odd, NO);
            r2.intoMemorySegment(dst, d + 2 * dld, NO);
            r3.intoMemorySegment(dst, d + 3 * dld + odd, NO);
            if (TR > 4) {
                r4.intoMemorySegment(dst, d + 4 * dld, NO);
                r5.intoMemorySegment(dst, d + 5 * dld + odd, NO);
                r6.intoMemorySegment(dst, d + 6 * dld, NO);
                r7.intoMemorySegment(dst, d + 7 * dld + odd, NO);
            }
        }
    }

    /**
     * Where a vector holds two blocks (V = 2·TR): in each of {@code blocks} blocks ({@code blockBytes} apart),
     * {@code pairs} pairs of vectors x at byte {@code base + m·step}, y {@code apart} bytes further on, become
     * x = its low half | y's low half, y = x's high half | its high half. One more butterfly stage, swapping a bit
     * of the vector index with the top bit of the lane index; in memory, so that transposeBlocks stays small enough
     * for C1 (with the masked stores that would place half vectors, it was not, and ran in the Java fallback).
     */
    private static void crossHalves(MemorySegment s, long base, int blocks, long blockBytes, long step, int pairs,
                                    long apart) {
        VectorMask<Float> high = HIGH_HALF.compare(VectorOperators.NE, 0f);
        for (int b = 0; b < blocks; b++) {
            for (int m = 0; m < pairs; m++) {
                long x = base + b * blockBytes + m * step;
                FloatVector low = FloatVector.fromMemorySegment(F, s, x, NO);
                FloatVector up = FloatVector.fromMemorySegment(F, s, x + apart, NO);
                low.blend(up.rearrange(HALF), high).intoMemorySegment(s, x, NO);
                low.rearrange(HALF).blend(up, high).intoMemorySegment(s, x + apart, NO);
            }
        }
    }

    @Override
    void packRows(MemorySegment src, long srcOff, long ld, int k, int cols, MemorySegment dst, long dstOff) {
        long sp = srcOff * Float.BYTES;
        long sk = ld * Float.BYTES;
        long dp = dstOff * Float.BYTES;
        if (cols == nr) {
            for (int p = 0; p < k; p++) {
                FloatVector.fromMemorySegment(F, src, sp, NO).intoMemorySegment(dst, dp, NO);
                FloatVector.fromMemorySegment(F, src, sp + VB, NO).intoMemorySegment(dst, dp + VB, NO);
                sp += sk;
                dp += RB;
            }
            return;
        }
        if (!VectorSupport.MASKED_MEMORY) {
            super.packRows(src, srcOff, ld, k, cols, dst, dstOff); // masked loads are not compiled (SSE, NEON)
            return;
        }
        // An edge panel: masked loads read only the columns that exist; the stores write the zero padding. The
        // second vector is loaded only where it holds columns, as in storeEdge: a masked load of no lanes still
        // costs one, and it reaches past the row's padding.
        VectorMask<Float> m0 = LANE.compare(VectorOperators.LT, (float) cols);
        VectorMask<Float> m1 = LANE.compare(VectorOperators.LT, (float) (cols - V));
        FloatVector zero = FloatVector.zero(F);
        boolean second = cols > V;
        for (int p = 0; p < k; p++) {
            FloatVector.fromMemorySegment(F, src, sp, NO, m0).intoMemorySegment(dst, dp, NO);
            if (second) {
                FloatVector.fromMemorySegment(F, src, sp + VB, NO, m1).intoMemorySegment(dst, dp + VB, NO);
            } else {
                zero.intoMemorySegment(dst, dp + VB, NO);
            }
            sp += sk;
            dp += RB;
        }
    }
}
