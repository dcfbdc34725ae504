package io.lanewise.kernels;

import static io.lanewise.kernels.KernelTestSupport.gaussian;
import static io.lanewise.kernels.KernelTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lanewise.kernels.KernelTestSupport.Shape;
import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.kernels.vector.VectorLossKernels;
import io.lanewise.kernels.vector.VectorReductionKernels;
import io.lanewise.kernels.vector.VectorSupport;
import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels add the lanes of a vector in the one order {@code VectorSupport} documents, a halving
 * tree, checked to the bit against a scalar model of the kernel: an order that changes with the JIT (that of
 * {@code reduceLanes(ADD)}: in sequence interpreted, a tree once C2 compiled) made parameters depend on JIT
 * timing. Elements past a row's last whole vector are added to the tree's sum in column order. Widths are
 * awkward on purpose: whole vectors, a partial one, and rows shorter than one vector. Multiply-adds are
 * fused where the hardware fuses them ({@link VectorSupport#fma}).
 */
class LaneSumOrderTest {
    private static final int[] WIDTHS = {1, 5, 8, 13, 16, 31, 64, 203};

    private final int lanes = KernelSelection.vectorBits() / Float.SIZE;

    @BeforeEach
    void vectorKernelsOnly() {
        assumeTrue(KernelSelection.isVectorized(), "the scalar kernels add in sequence");
    }

    /** The halving tree: lane i += lane i + h, for h = lanes/2, ..., 1; then lane 0. */
    private static float laneSum(float[] lanes) {
        float[] t = lanes.clone();
        for (int h = t.length / 2; h > 0; h /= 2) {
            for (int i = 0; i < h; i++) {
                t[i] += t[i + h];
            }
        }
        return t[0];
    }

    @Test
    void sumOfSquaresAddsEachRowsLanesInTheHalvingTree() {
        SeededRandom random = new SeededRandom(41);
        try (Arena arena = Arena.ofConfined()) {
            for (int cols : WIDTHS) {
                Shape shape = new Shape(3, cols, cols + 3);
                float[] v = gaussian(random, 3 * cols, 1);
                double expected = 0;
                for (int r = 0; r < 3; r++) {
                    float[] acc = new float[lanes];
                    int whole = cols - cols % lanes;
                    for (int c = 0; c < whole; c++) {
                        float x = v[r * cols + c];
                        acc[c % lanes] = VectorSupport.fma(x, x, acc[c % lanes]);
                    }
                    float sum = laneSum(acc);
                    for (int c = whole; c < cols; c++) {
                        float x = v[r * cols + c];
                        sum = VectorSupport.fma(x, x, sum);
                    }
                    expected += sum;
                }
                double actual = new VectorReductionKernels().sumOfSquares(matrix(arena, shape, v));
                assertEquals(expected, actual, "width " + cols);
            }
        }
    }

    @Test
    void meanSquaredErrorAddsEachRowsLanesInTheHalvingTree() {
        SeededRandom random = new SeededRandom(42);
        try (Arena arena = Arena.ofConfined()) {
            for (int cols : WIDTHS) {
                Shape shape = new Shape(2, cols, cols);
                float[] y = gaussian(random, 2 * cols, 1);
                float[] t = gaussian(random, 2 * cols, 1);
                double total = 0;
                for (int r = 0; r < 2; r++) {
                    float[] acc = new float[lanes];
                    int whole = cols - cols % lanes;
                    for (int c = 0; c < whole; c++) {
                        float d = y[r * cols + c] - t[r * cols + c];
                        acc[c % lanes] = VectorSupport.fma(d, d, acc[c % lanes]);
                    }
                    float sum = laneSum(acc);
                    for (int c = whole; c < cols; c++) {
                        float d = y[r * cols + c] - t[r * cols + c];
                        sum = VectorSupport.fma(d, d, sum);
                    }
                    total += sum;
                }
                double loss = new VectorLossKernels().meanSquaredError(matrix(arena, shape, y), matrix(arena, shape, t),
                        matrix(arena, shape));
                assertEquals(total / (2.0 * cols), loss, "width " + cols);
            }
        }
    }

    @Test
    void gemmDotProductsForFewRowsAddLanesInTheHalvingTree() {
        // NT with at most 4 rows takes dot products of rows: lanes of (fused) multiply-adds over whole vectors,
        // summed by the tree, plus the rest of the row added in sequence. K stays within one block of K.
        SeededRandom random = new SeededRandom(43);
        int m = 3;
        int n = 7;
        try (Arena arena = Arena.ofConfined(); Gemm gemm = Gemm.create()) {
            for (int k : WIDTHS) {
                float[] a = gaussian(random, m * k, 1);
                float[] b = gaussian(random, n * k, 1);
                Matrix c = matrix(arena, new Shape(m, n, n));
                Matrix am = matrix(arena, new Shape(m, k, k), a);
                gemm.multiply(GemmOp.NT, 1f, am, matrix(arena, new Shape(n, k, k), b), 0f, c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float[] acc = new float[lanes];
                        int whole = k - k % lanes;
                        for (int p = 0; p < whole; p++) {
                            acc[p % lanes] = VectorSupport.fma(a[i * k + p], b[j * k + p], acc[p % lanes]);
                        }
                        float tail = 0f;
                        for (int p = whole; p < k; p++) {
                            tail += a[i * k + p] * b[j * k + p];
                        }
                        assertEquals(laneSum(acc) + tail, c.get(i, j), "C[" + i + "][" + j + "], K = " + k);
                    }
                }
            }
        }
    }
}
