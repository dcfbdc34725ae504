package io.lanewise.kernels;

import static io.lanewise.kernels.KernelTestSupport.assertClose;
import static io.lanewise.kernels.KernelTestSupport.assertPaddingUntouched;
import static io.lanewise.kernels.KernelTestSupport.gaussian;
import static io.lanewise.kernels.KernelTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lanewise.kernels.KernelTestSupport.Shape;
import io.lanewise.kernels.vector.VectorReductionKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.reference.ReferenceOptimizer;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReductionKernelsTest {
    /** Unit roundoff of float: a float sum of n terms is within (n − 1)·u·Σ|x| of the exact sum. */
    private static final double U = 0x1p-24;

    static List<ReductionKernels> implementations() {
        return List.of(new ScalarReductionKernels(), new VectorReductionKernels());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void columnSumsMatchTheExactSumsWithinTheSummationBound(ReductionKernels kernels) {
        SeededRandom random = new SeededRandom(31);
        for (Shape shape : KernelTestSupport.shapes(9)) {
            float[] v = gaussian(random, shape.rows() * shape.cols(), 1);
            try (Arena arena = Arena.ofConfined()) {
                Matrix m = matrix(arena, shape, v);
                Matrix sums = matrix(arena, new Shape(1, shape.cols(), shape.cols()));
                kernels.columnSums(m, sums);
                for (int c = 0; c < shape.cols(); c++) {
                    double exact = 0;
                    double magnitude = 0;
                    for (int r = 0; r < shape.rows(); r++) {
                        exact += v[r * shape.cols() + c];
                        magnitude += Math.abs(v[r * shape.cols() + c]);
                    }
                    assertClose(exact, sums.get(0, c), shape.rows() * U * magnitude, 0, "column " + c + " of " + shape);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void columnSumsNeedARowAsWideAsTheMatrix(ReductionKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix m = matrix(arena, new Shape(3, 5, 5));
            assertThrows(IllegalArgumentException.class, () -> kernels.columnSums(m, matrix(arena, new Shape(1, 4, 4))));
            assertThrows(IllegalArgumentException.class, () -> kernels.columnSums(m, matrix(arena, new Shape(2, 5, 5))));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sumOfSquaresAndGlobalNormMatchTheReference(ReductionKernels kernels) {
        SeededRandom random = new SeededRandom(32);
        List<Shape> shapes = KernelTestSupport.shapes(10);
        try (Arena arena = Arena.ofConfined()) {
            Matrix[] ms = new Matrix[shapes.size()];
            double[][] dense = new double[shapes.size()][];
            int maxCols = 0;
            for (int i = 0; i < ms.length; i++) {
                Shape shape = shapes.get(i);
                float[] v = gaussian(random, shape.rows() * shape.cols(), 1 + i);
                ms[i] = matrix(arena, shape, v);
                dense[i] = new double[v.length];
                for (int j = 0; j < v.length; j++) {
                    dense[i][j] = v[j];
                }
                double expected = ReferenceOptimizer.globalNorm(new double[][] {dense[i]});
                // Squares in float (one rounding), a row of cols of them summed in float, rows in double.
                assertClose(expected * expected, kernels.sumOfSquares(ms[i]), 0, (shape.cols() + 1) * U,
                        "sum of squares " + shape);
                maxCols = Math.max(maxCols, shape.cols());
            }
            assertClose(ReferenceOptimizer.globalNorm(dense), kernels.globalNorm(ms), 0, (maxCols + 1) * U,
                    "global norm");
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void scaleMultipliesEveryElementAndNothingElse(ReductionKernels kernels) {
        SeededRandom random = new SeededRandom(33);
        for (Shape shape : KernelTestSupport.shapes(11)) {
            float[] v = gaussian(random, shape.rows() * shape.cols(), 1);
            try (Arena arena = Arena.ofConfined()) {
                Matrix m = matrix(arena, shape, v);
                kernels.scale(m, 0.37f);
                float[] actual = m.toArray();
                for (int i = 0; i < v.length; i++) {
                    assertEquals(v[i] * 0.37f, actual[i], "element " + i + " of " + shape);
                }
                assertPaddingUntouched(m, "scale " + shape);
            }
        }
    }

    /**
     * Within the limit, clipping still runs the scale kernel, by exactly 1: a kernel run only on the steps that clip
     * can be too rare for C2 to compile, and its vectors are then heap objects (AllocationTest).
     */
    @Test
    void clippingScalesEveryGradientOnEveryCallByOneWithinTheLimit() {
        ReductionKernels vector = new VectorReductionKernels();
        List<Float> factors = new ArrayList<>();
        ReductionKernels recording = new ReductionKernels() {
            @Override
            public void columnSums(Matrix m, Matrix sums) {
                vector.columnSums(m, sums);
            }

            @Override
            public double sumOfSquares(Matrix m) {
                return vector.sumOfSquares(m);
            }

            @Override
            public void scale(Matrix m, float factor) {
                factors.add(factor);
                vector.scale(m, factor);
            }
        };
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = matrix(arena, new Shape(2, 3, 16), new float[] {3, -0f, 0, 0, 0, 0});
            Matrix b = matrix(arena, new Shape(1, 17, 17), new float[17]);
            b.set(0, 16, 4);
            assertEquals(5.0, recording.clipByGlobalNorm(new Matrix[] {a, b}, 5.0), 1e-6);
            assertEquals(List.of(1f, 1f), factors);
            assertEquals(3f, a.get(0, 0));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(a.get(0, 1)));
            assertEquals(4f, b.get(0, 16));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void clippingScalesOnlyWhenTheNormExceedsTheLimit(ReductionKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = matrix(arena, new Shape(2, 3, 16), new float[] {3, 0, 0, 0, 0, 0});
            Matrix b = matrix(arena, new Shape(1, 17, 17), new float[17]);
            b.set(0, 16, 4);
            Matrix[] grads = {a, b};
            assertEquals(5.0, kernels.clipByGlobalNorm(grads, 10.0), 1e-6);
            assertEquals(3f, a.get(0, 0));
            assertEquals(5.0, kernels.clipByGlobalNorm(grads, 1.0), 1e-6);
            double scale = 1.0 / (5.0 + Optimizer.CLIP_EPSILON);
            assertEquals(3 * scale, a.get(0, 0), 1e-7);
            assertEquals(4 * scale, b.get(0, 16), 1e-7);
            assertThrows(IllegalArgumentException.class, () -> kernels.clipByGlobalNorm(grads, 0));
        }
    }
}
