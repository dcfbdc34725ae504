import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Would a 12-row packed tile beat the 8-row one at AVX-512, in the loop nest's conditions (B's KC×32 panel
 * streamed from L2 by every row tile, A's panels from L2)? Both tiles are written as VectorGemmKernel.tilePacked
 * is (packed panels, offsets linear in p, sums stored to a dense tile); the loop nest is GemmLoops.block's for
 * one block: every panel of B against every row tile of A. Prints GFLOPS per round, the two alternating.
 *   java --add-modules jdk.incubator.vector TileRows.java KC N M ROUNDS
 */
public class TileRows {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int V = F.length();
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ByteOrder NO = ByteOrder.nativeOrder();
    static final long VB = V * 4L, RB = 2 * VB;

    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), m = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int nr = 2 * V, panels = n / nr;
        Arena arena = Arena.ofShared();
        MemorySegment a = arena.allocate((long) m * kc * 4, 64), b = arena.allocate((long) n * kc * 4, 64);
        MemorySegment s = arena.allocate(12L * nr * 4, 64);
        for (long i = 0; i < a.byteSize() / 4; i++) a.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i));
        for (long i = 0; i < b.byteSize() / 4; i++) b.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.cos(i));
        double flops = 2.0 * m * n * kc;
        for (int r = -20; r < rounds; r++) {
            double g8 = run(8, a, b, s, kc, panels, m, flops), g12 = run(12, a, b, s, kc, panels, m, flops);
            if (r >= 0) System.out.printf("round %2d  8 rows %6.1f  12 rows %6.1f GFLOPS  12/8 %.3f%n", r, g8, g12, g12 / g8);
        }
    }

    static double run(int rows, MemorySegment a, MemorySegment b, MemorySegment s, int kc, int panels, int m, double flops) {
        long t0 = System.nanoTime(), calls = 0;
        while (System.nanoTime() - t0 < 400_000_000L) {
            for (int q = 0; q < panels; q++) {
                long bOff = (long) q * kc * 2 * V;
                for (int t = 0; t + rows <= m; t += rows) {
                    if (rows == 8) tile8(a, (long) t * kc, b, bOff, kc, s); else tile12(a, (long) t * kc, b, bOff, kc, s);
                }
            }
            calls++;
        }
        int used = m - m % rows;
        return calls * flops * used / m / (System.nanoTime() - t0);
    }

    static void tile8(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        long a0 = aOff * 4, b0 = bOff * 4;
        long r0 = a0, r1 = r0 + 4, r2 = r0 + 8, r3 = r0 + 12, r4 = r0 + 16, r5 = r0 + 20, r6 = r0 + 24, r7 = r0 + 28;
        for (int p = 0; p < k; p++) {
            long ap = (long) p * 32, bp = b0 + (long) p * RB;
            FloatVector x, y = FloatVector.fromMemorySegment(F, b, bp, NO), z = FloatVector.fromMemorySegment(F, b, bp + VB, NO);
            x = FloatVector.broadcast(F, a.get(FLOAT, r0 + ap)); c00 = x.fma(y, c00); c01 = x.fma(z, c01);
            x = FloatVector.broadcast(F, a.get(FLOAT, r1 + ap)); c10 = x.fma(y, c10); c11 = x.fma(z, c11);
            x = FloatVector.broadcast(F, a.get(FLOAT, r2 + ap)); c20 = x.fma(y, c20); c21 = x.fma(z, c21);
            x = FloatVector.broadcast(F, a.get(FLOAT, r3 + ap)); c30 = x.fma(y, c30); c31 = x.fma(z, c31);
            x = FloatVector.broadcast(F, a.get(FLOAT, r4 + ap)); c40 = x.fma(y, c40); c41 = x.fma(z, c41);
            x = FloatVector.broadcast(F, a.get(FLOAT, r5 + ap)); c50 = x.fma(y, c50); c51 = x.fma(z, c51);
            x = FloatVector.broadcast(F, a.get(FLOAT, r6 + ap)); c60 = x.fma(y, c60); c61 = x.fma(z, c61);
            x = FloatVector.broadcast(F, a.get(FLOAT, r7 + ap)); c70 = x.fma(y, c70); c71 = x.fma(z, c71);
        }
        c00.intoMemorySegment(s, 0, NO); c01.intoMemorySegment(s, VB, NO); c10.intoMemorySegment(s, RB, NO); c11.intoMemorySegment(s, RB + VB, NO);
        c20.intoMemorySegment(s, 2 * RB, NO); c21.intoMemorySegment(s, 2 * RB + VB, NO); c30.intoMemorySegment(s, 3 * RB, NO); c31.intoMemorySegment(s, 3 * RB + VB, NO);
        c40.intoMemorySegment(s, 4 * RB, NO); c41.intoMemorySegment(s, 4 * RB + VB, NO); c50.intoMemorySegment(s, 5 * RB, NO); c51.intoMemorySegment(s, 5 * RB + VB, NO);
        c60.intoMemorySegment(s, 6 * RB, NO); c61.intoMemorySegment(s, 6 * RB + VB, NO); c70.intoMemorySegment(s, 7 * RB, NO); c71.intoMemorySegment(s, 7 * RB + VB, NO);
    }

    static void tile12(MemorySegment a, long aOff, MemorySegment b, long bOff, int k, MemorySegment s) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00, c90 = c00, c91 = c00, ca0 = c00, ca1 = c00, cb0 = c00, cb1 = c00;
        long a0 = aOff * 4, b0 = bOff * 4;
        for (int p = 0; p < k; p++) {
            long ap = a0 + (long) p * 48, bp = b0 + (long) p * RB;
            FloatVector x, y = FloatVector.fromMemorySegment(F, b, bp, NO), z = FloatVector.fromMemorySegment(F, b, bp + VB, NO);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap)); c00 = x.fma(y, c00); c01 = x.fma(z, c01);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 4)); c10 = x.fma(y, c10); c11 = x.fma(z, c11);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 8)); c20 = x.fma(y, c20); c21 = x.fma(z, c21);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 12)); c30 = x.fma(y, c30); c31 = x.fma(z, c31);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 16)); c40 = x.fma(y, c40); c41 = x.fma(z, c41);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 20)); c50 = x.fma(y, c50); c51 = x.fma(z, c51);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 24)); c60 = x.fma(y, c60); c61 = x.fma(z, c61);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 28)); c70 = x.fma(y, c70); c71 = x.fma(z, c71);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 32)); c80 = x.fma(y, c80); c81 = x.fma(z, c81);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 36)); c90 = x.fma(y, c90); c91 = x.fma(z, c91);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 40)); ca0 = x.fma(y, ca0); ca1 = x.fma(z, ca1);
            x = FloatVector.broadcast(F, a.get(FLOAT, ap + 44)); cb0 = x.fma(y, cb0); cb1 = x.fma(z, cb1);
        }
        c00.intoMemorySegment(s, 0, NO); c01.intoMemorySegment(s, VB, NO); c10.intoMemorySegment(s, RB, NO); c11.intoMemorySegment(s, RB + VB, NO);
        c20.intoMemorySegment(s, 2 * RB, NO); c21.intoMemorySegment(s, 2 * RB + VB, NO); c30.intoMemorySegment(s, 3 * RB, NO); c31.intoMemorySegment(s, 3 * RB + VB, NO);
        c40.intoMemorySegment(s, 4 * RB, NO); c41.intoMemorySegment(s, 4 * RB + VB, NO); c50.intoMemorySegment(s, 5 * RB, NO); c51.intoMemorySegment(s, 5 * RB + VB, NO);
        c60.intoMemorySegment(s, 6 * RB, NO); c61.intoMemorySegment(s, 6 * RB + VB, NO); c70.intoMemorySegment(s, 7 * RB, NO); c71.intoMemorySegment(s, 7 * RB + VB, NO);
        c80.intoMemorySegment(s, 8 * RB, NO); c81.intoMemorySegment(s, 8 * RB + VB, NO); c90.intoMemorySegment(s, 9 * RB, NO); c91.intoMemorySegment(s, 9 * RB + VB, NO);
        ca0.intoMemorySegment(s, 10 * RB, NO); ca1.intoMemorySegment(s, 10 * RB + VB, NO); cb0.intoMemorySegment(s, 11 * RB, NO); cb1.intoMemorySegment(s, 11 * RB + VB, NO);
    }
}
