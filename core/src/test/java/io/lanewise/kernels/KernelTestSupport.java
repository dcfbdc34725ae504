package io.lanewise.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.lanewise.memory.Matrix;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Shapes, padded matrices and tolerance checks shared by the kernel tests. */
public final class KernelTestSupport {
    /** Awkward widths and heights around the vector lengths (8 and 16 floats). */
    static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 127, 129, 257, 1000};
    /** What the padding of every test matrix holds: a kernel that writes it breaks the check. */
    public static final float SENTINEL = -12345.678f;
    /** Cap on rows·cols per random shape, so the suite stays fast. */
    private static final int MAX_ELEMENTS = 40_000;

    private KernelTestSupport() {
    }

    /** A shape and the row stride to give it. */
    public record Shape(int rows, int cols, int stride) {
        @Override
        public String toString() {
            return rows + "x" + cols + " stride " + stride;
        }
    }

    /**
     * Every size in {@link #SIZES} as a width (with a random height) and as a height (with a random width),
     * each with a stride of exactly the width, the padded width, or a few floats more (unaligned rows).
     */
    static List<Shape> shapes(long seed) {
        SeededRandom random = new SeededRandom(seed);
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            shapes.add(shape(random, SIZES[random.nextInt(SIZES.length)], SIZES[i], i));
            shapes.add(shape(random, SIZES[i], SIZES[random.nextInt(SIZES.length)], i + 1));
        }
        return shapes;
    }

    private static Shape shape(SeededRandom random, int rows, int cols, int variant) {
        int r = Math.max(1, Math.min(rows, MAX_ELEMENTS / cols));
        int stride = switch (variant % 3) {
            case 0 -> cols;
            case 1 -> Matrix.paddedStride(cols);
            default -> cols + 1 + random.nextInt(19);
        };
        return new Shape(r, cols, stride);
    }

    /** A matrix of {@code shape} in {@code arena}, 64-byte aligned, its padding holding {@link #SENTINEL}. */
    public static Matrix matrix(Arena arena, Shape shape) {
        long floats = (long) shape.rows() * shape.stride();
        MemorySegment segment = arena.allocate(floats * Float.BYTES, 64);
        for (long i = 0; i < floats; i++) {
            segment.setAtIndex(ValueLayout.JAVA_FLOAT, i, SENTINEL);
        }
        return Matrix.wrap(segment, shape.rows(), shape.cols(), shape.stride());
    }

    /** A matrix of {@code shape} holding {@code values} (dense row-major). */
    static Matrix matrix(Arena arena, Shape shape, float[] values) {
        Matrix m = matrix(arena, shape);
        m.copyFrom(values);
        return m;
    }

    /** {@code n} floats, normal with standard deviation {@code sigma}. */
    static float[] gaussian(SeededRandom random, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }

    /**
     * Fails unless every padding float of {@code m} (between cols and stride, the last row's too where the view
     * has it) still holds {@link #SENTINEL}.
     */
    public static void assertPaddingUntouched(Matrix m, String what) {
        MemorySegment s = m.segment();
        long floats = s.byteSize() / Float.BYTES;
        for (int r = 0; r < m.rows(); r++) {
            for (int c = m.cols(); c < m.stride() && (long) r * m.stride() + c < floats; c++) {
                float v = s.getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * m.stride() + c);
                if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(SENTINEL)) {
                    fail(what + ": padding at row " + r + ", column " + c + " was written: " + v);
                }
            }
        }
    }

    /** Fails unless {@code |actual − expected| ≤ atol + rtol·|expected|} for every element. */
    static void assertClose(DoubleMatrix expected, Matrix actual, double atol, double rtol, String what) {
        assertEquals(expected.rows(), actual.rows(), what + ": rows");
        assertEquals(expected.cols(), actual.cols(), what + ": cols");
        for (int r = 0; r < expected.rows(); r++) {
            for (int c = 0; c < expected.cols(); c++) {
                assertClose(expected.get(r, c), actual.get(r, c), atol, rtol, what + " at (" + r + ", " + c + ")");
            }
        }
    }

    /** Fails unless {@code |actual − expected| ≤ atol + rtol·|expected|}. */
    static void assertClose(double expected, double actual, double atol, double rtol, String what) {
        double bound = atol + rtol * Math.abs(expected);
        if (!(Math.abs(actual - expected) <= bound)) {
            fail(what + ": expected " + expected + " ± " + bound + ", got " + actual);
        }
    }
}
