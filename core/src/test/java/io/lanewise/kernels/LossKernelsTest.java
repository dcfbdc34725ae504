package io.lanewise.kernels;

import static io.lanewise.kernels.KernelTestSupport.SENTINEL;
import static io.lanewise.kernels.KernelTestSupport.assertClose;
import static io.lanewise.kernels.KernelTestSupport.assertPaddingUntouched;
import static io.lanewise.kernels.KernelTestSupport.gaussian;
import static io.lanewise.kernels.KernelTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.kernels.KernelTestSupport.Shape;
import io.lanewise.kernels.vector.VectorLossKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceLosses;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LossKernelsTest {
    /** Probabilities: exp within 1 ulp, a row sum of up to 1000 floats. */
    private static final double PROBABILITY_ATOL = 1e-9;
    private static final double PROBABILITY_RTOL = 2e-6;
    /** Mean losses: float row sums, then double. */
    private static final double LOSS_ATOL = 2e-6;
    private static final double LOSS_RTOL = 2e-6;

    static List<LossKernels> implementations() {
        return List.of(new ScalarLossKernels(), new VectorLossKernels());
    }

    /** Normal logits of scale 5, every third row shifted by ±1000 to need the stable form. */
    private static float[] logits(SeededRandom random, Shape shape) {
        float[] z = gaussian(random, shape.rows() * shape.cols(), 5);
        for (int r = 0; r < shape.rows(); r += 3) {
            float shift = r % 2 == 0 ? 1000f : -1000f;
            for (int c = 0; c < shape.cols(); c++) {
                z[r * shape.cols() + c] += shift;
            }
        }
        return z;
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void softmaxMatchesTheReference(LossKernels kernels) {
        SeededRandom random = new SeededRandom(21);
        for (Shape shape : KernelTestSupport.shapes(5)) {
            float[] z = logits(random, shape);
            DoubleMatrix expected = ReferenceLosses.softmax(DoubleMatrix.of(shape.rows(), shape.cols(), z));
            try (Arena arena = Arena.ofConfined()) {
                Matrix zm = matrix(arena, shape, z);
                Matrix p = matrix(arena, shape);
                kernels.softmax(zm, p);
                assertClose(expected, p, PROBABILITY_ATOL, PROBABILITY_RTOL, "softmax " + shape);
                assertPaddingUntouched(p, "softmax " + shape);
                kernels.softmax(zm, zm);
                assertClose(expected, zm, PROBABILITY_ATOL, PROBABILITY_RTOL, "softmax in place " + shape);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void softmaxCrossEntropyMatchesTheReferenceOnABatchViewOfTheLabels(LossKernels kernels) {
        SeededRandom random = new SeededRandom(22);
        for (Shape shape : KernelTestSupport.shapes(6)) {
            float[] z = logits(random, shape);
            int offset = random.nextInt(5);
            int[] allLabels = new int[offset + shape.rows() + 3];
            for (int i = 0; i < allLabels.length; i++) {
                allLabels[i] = random.nextInt(shape.cols());
            }
            int[] batchLabels = java.util.Arrays.copyOfRange(allLabels, offset, offset + shape.rows());
            DoubleMatrix expected = DoubleMatrix.zeros(shape.rows(), shape.cols());
            double expectedLoss = ReferenceLosses.softmaxCrossEntropy(DoubleMatrix.of(shape.rows(), shape.cols(), z),
                    batchLabels, expected);
            // (p − 1)/batch at the label cancels when p ≈ 1: p's error (a float sum of cols terms) over batch.
            double atol = (shape.cols() + 4) * 0x1p-24 / shape.rows();
            try (Arena arena = Arena.ofConfined()) {
                Matrix zm = matrix(arena, shape, z);
                Matrix dZ = matrix(arena, shape);
                double loss = kernels.softmaxCrossEntropy(zm, allLabels, offset, dZ);
                assertClose(expectedLoss, loss, LOSS_ATOL, LOSS_RTOL, "loss " + shape);
                assertClose(expected, dZ, atol, PROBABILITY_RTOL, "dZ " + shape);
                assertPaddingUntouched(dZ, "dZ " + shape);
                double inPlace = kernels.softmaxCrossEntropy(zm, allLabels, offset, zm);
                assertEquals(loss, inPlace, "in place changes the loss " + shape);
                assertClose(expected, zm, atol, PROBABILITY_RTOL, "dZ in place " + shape);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aLabelOutOfRangeIsNamedAndNothingIsWritten(LossKernels kernels) {
        Shape shape = new Shape(4, 17, 32);
        try (Arena arena = Arena.ofConfined()) {
            Matrix z = matrix(arena, shape, new float[4 * 17]);
            Matrix dZ = matrix(arena, shape);
            int[] labels = {9, 0, 3, 16, 17, 2};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernels.softmaxCrossEntropy(z, labels, 1, dZ));
            assertTrue(e.getMessage().contains("label 17 at row 3"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.softmaxCrossEntropy(z, new int[] {0, -1, 0, 0}, 0, dZ));
            assertThrows(IllegalArgumentException.class, () -> kernels.softmaxCrossEntropy(z, labels, 3, dZ));
            assertThrows(IllegalArgumentException.class, () -> kernels.softmaxCrossEntropy(z, labels, -1, dZ));
            assertUnwritten(dZ);
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void meanSquaredErrorMatchesTheReference(LossKernels kernels) {
        SeededRandom random = new SeededRandom(23);
        for (Shape shape : KernelTestSupport.shapes(7)) {
            int n = shape.rows() * shape.cols();
            float[] y = gaussian(random, n, 2);
            float[] t = gaussian(random, n, 2);
            DoubleMatrix expected = DoubleMatrix.zeros(shape.rows(), shape.cols());
            double expectedLoss = ReferenceLosses.meanSquaredError(DoubleMatrix.of(shape.rows(), shape.cols(), y),
                    DoubleMatrix.of(shape.rows(), shape.cols(), t), expected);
            try (Arena arena = Arena.ofConfined()) {
                Matrix ym = matrix(arena, shape, y);
                Matrix tm = matrix(arena, shape, t);
                Matrix dY = matrix(arena, shape);
                double loss = kernels.meanSquaredError(ym, tm, dY);
                assertClose(expectedLoss, loss, LOSS_ATOL, LOSS_RTOL, "loss " + shape);
                // 2(y − t)/n: the float difference and one product, exact up to two roundings.
                assertClose(expected, dY, 0, 2.5e-7, "dY " + shape);
                assertPaddingUntouched(dY, "dY " + shape);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sigmoidBinaryCrossEntropyMatchesTheReference(LossKernels kernels) {
        SeededRandom random = new SeededRandom(24);
        for (Shape shape : KernelTestSupport.shapes(8)) {
            int n = shape.rows() * shape.cols();
            float[] x = gaussian(random, n, 6);
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = switch (i % 4) {
                    case 0 -> 0f;
                    case 1 -> 1f;
                    default -> (float) random.nextDouble();
                };
            }
            DoubleMatrix expected = DoubleMatrix.zeros(shape.rows(), shape.cols());
            double expectedLoss = ReferenceLosses.sigmoidBinaryCrossEntropy(
                    DoubleMatrix.of(shape.rows(), shape.cols(), x), DoubleMatrix.of(shape.rows(), shape.cols(), t),
                    expected);
            try (Arena arena = Arena.ofConfined()) {
                Matrix xm = matrix(arena, shape, x);
                Matrix tm = matrix(arena, shape, t);
                Matrix dZ = matrix(arena, shape);
                double loss = kernels.sigmoidBinaryCrossEntropy(xm, tm, dZ);
                assertClose(expectedLoss, loss, LOSS_ATOL, LOSS_RTOL, "loss " + shape);
                // sigmoid(x) − t cancels when they are close: a float ulp of 1, over n.
                assertClose(expected, dZ, 1.2e-7 / n, 5e-7, "dZ " + shape);
                assertPaddingUntouched(dZ, "dZ " + shape);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aTargetOutsideTheUnitIntervalIsNamedAndNothingIsWritten(LossKernels kernels) {
        Shape shape = new Shape(3, 33, 40);
        for (float bad : new float[] {1.5f, -0.25f, Float.NaN}) {
            try (Arena arena = Arena.ofConfined()) {
                Matrix x = matrix(arena, shape, new float[3 * 33]);
                float[] t = new float[3 * 33];
                t[2 * 33 + 32] = bad;
                Matrix tm = matrix(arena, shape, t);
                Matrix dZ = matrix(arena, shape);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> kernels.sigmoidBinaryCrossEntropy(x, tm, dZ));
                assertTrue(e.getMessage().contains("row 2, column 32"), e.getMessage());
                assertUnwritten(dZ);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void mismatchedShapesAreRejected(LossKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = matrix(arena, new Shape(3, 5, 5));
            Matrix b = matrix(arena, new Shape(4, 5, 5));
            assertThrows(IllegalArgumentException.class, () -> kernels.softmax(a, b));
            assertThrows(IllegalArgumentException.class, () -> kernels.softmaxCrossEntropy(a, new int[3], 0, b));
            assertThrows(IllegalArgumentException.class, () -> kernels.meanSquaredError(a, b, a));
            assertThrows(IllegalArgumentException.class, () -> kernels.sigmoidBinaryCrossEntropy(a, a, b));
        }
    }

    private static void assertUnwritten(Matrix m) {
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                assertEquals(SENTINEL, m.get(r, c), "element (" + r + ", " + c + ") was written");
            }
        }
    }
}
