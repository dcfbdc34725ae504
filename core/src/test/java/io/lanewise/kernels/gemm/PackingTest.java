package io.lanewise.kernels.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packing of this JVM's kernel ({@link GemmKernel.Holder#INSTANCE}: the vector one at whichever width and ISA
 * level the JVM runs, transposing in registers) against the scalar reference of the same tile shape, bit for bit:
 * on edges around every vector width, row strides longer than the row, odd offsets, and destinations full of
 * garbage beforehand, so missing zero padding and writes outside the panels fail too.
 */
class PackingTest {
    private static final int[] SIZES = {1, 3, 4, 7, 8, 15, 16, 17, 24, 31, 32, 33, 127, 257};
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final float GARBAGE = -9876.5f;
    /** Floats past the end of every destination: nothing may be written there. */
    private static final int TAIL = 40;

    private final GemmKernel kernel = GemmKernel.Holder.INSTANCE;
    private final GemmKernel reference = new ScalarGemmKernel(kernel.mr, kernel.nr);
    private final Arena arena = Arena.ofConfined();
    private final SplittableRandom random = new SplittableRandom(9);

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void packColumnsMatchesReference() {
        for (int k : SIZES) {
            for (int cols : SIZES) {
                if (cols > kernel.nr) {
                    continue;
                }
                int variant = random.nextInt(4);
                long ld = k + (variant == 0 ? 0 : variant == 1 ? 1 : 5 + random.nextInt(30));
                long srcOff = random.nextInt(8);
                long dstOff = variant % 2 == 0 ? 0 : 1 + random.nextInt(7);
                MemorySegment src = source(srcOff + cols * ld);
                long dstFloats = dstOff + (long) k * kernel.nr + TAIL;
                MemorySegment expected = garbage(dstFloats);
                MemorySegment actual = garbage(dstFloats);
                reference.packColumns(src, srcOff, ld, k, cols, expected, dstOff);
                kernel.packColumns(src, srcOff, ld, k, cols, actual, dstOff);
                assertSameBits(expected, actual, "packColumns k=" + k + " cols=" + cols + " ld=" + ld + " srcOff=" + srcOff
                        + " dstOff=" + dstOff + " nr=" + kernel.nr);
            }
        }
    }

    @Test
    void packRowMajorAMatchesReference() {
        for (int k : SIZES) {
            for (int rows : SIZES) {
                int variant = random.nextInt(4);
                long lda = k + (variant == 0 ? 0 : variant == 1 ? 3 : 5 + random.nextInt(30));
                checkPackA(rows, k, lda, 1, rows * lda);
            }
        }
    }

    @Test
    void packTransposedAMatchesReference() {
        for (int k : SIZES) {
            for (int rows : SIZES) {
                long lda = rows + random.nextInt(20);
                checkPackA(rows, k, 1, lda, k * lda);
            }
        }
    }

    /** The same once C2 has compiled the packing: the tests above may have run only its Java fallback. */
    @Test
    void compiledPackingMatchesReference() {
        MemorySegment src = source(300L * 300);
        MemorySegment dst = garbage(300L * 300);
        for (int i = 0; i < 3000; i++) {
            kernel.packColumns(src, 1, 300, 256, kernel.nr, dst, 3);
            kernel.packA(src, 1, 300, 1, 2 * Math.max(kernel.mr, 16), 256, dst, 3);
            kernel.packA(src, 1, 1, 300, 2 * Math.max(kernel.mr, 16), 256, dst, 3);
        }
        packColumnsMatchesReference();
        packRowMajorAMatchesReference();
        packTransposedAMatchesReference();
    }

    private void checkPackA(int rows, int k, long aRs, long aKs, long floats) {
        long aOff = random.nextInt(8);
        long dstOff = random.nextBoolean() ? 0 : 1 + random.nextInt(7);
        MemorySegment a = source(aOff + floats);
        int panels = (rows + kernel.mr - 1) / kernel.mr;
        long dstFloats = dstOff + (long) panels * k * kernel.mr + TAIL;
        MemorySegment expected = garbage(dstFloats);
        MemorySegment actual = garbage(dstFloats);
        reference.packA(a, aOff, aRs, aKs, rows, k, expected, dstOff);
        kernel.packA(a, aOff, aRs, aKs, rows, k, actual, dstOff);
        assertSameBits(expected, actual, "packA rows=" + rows + " k=" + k + " aRs=" + aRs + " aKs=" + aKs + " aOff=" + aOff
                + " dstOff=" + dstOff + " mr=" + kernel.mr);
    }

    /** Distinct values (so a float in the wrong place shows), with signed zeros among them. */
    private MemorySegment source(long floats) {
        MemorySegment s = arena.allocate(floats * Float.BYTES, 64);
        for (long i = 0; i < floats; i++) {
            s.setAtIndex(FLOAT, i, i % 97 == 5 ? -0f : (float) (random.nextDouble() * 2 - 1));
        }
        return s;
    }

    private MemorySegment garbage(long floats) {
        MemorySegment s = arena.allocate(floats * Float.BYTES, 64);
        for (long i = 0; i < floats; i++) {
            s.setAtIndex(FLOAT, i, GARBAGE);
        }
        return s;
    }

    private static void assertSameBits(MemorySegment expected, MemorySegment actual, String what) {
        for (long i = 0; i < expected.byteSize() / Float.BYTES; i++) {
            int e = Float.floatToRawIntBits(expected.getAtIndex(FLOAT, i));
            int g = Float.floatToRawIntBits(actual.getAtIndex(FLOAT, i));
            if (e != g) {
                fail(what + ": float " + i + " of the destination: expected " + Float.intBitsToFloat(e) + ", got "
                        + Float.intBitsToFloat(g));
            }
        }
    }
}
