package io.lanewise.kernels.gemm;

import static io.lanewise.kernels.KernelTestSupport.assertPaddingUntouched;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lanewise.kernels.KernelTestSupport;
import io.lanewise.kernels.Kernels;
import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceActivations;
import io.lanewise.reference.ReferenceGemm;
import io.lanewise.spec.Activation;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GEMM against its reference twin ({@link ReferenceGemm}, in double) on awkward shapes, strides, ops,
 * alphas and betas, in whichever vector width this JVM runs ({@code -Dlanewise.vector}).
 *
 * <p>Tolerance per element: {@code |got - ref| ≤ atol + rtol·|ref|} with {@code rtol = atol = 2·K·2⁻²⁴}
 * scaled by {@code max(1, |alpha|) + |beta|}: float rounding in a K-term sum of products of values in
 * [-1, 1] grows at most linearly with K, and the observed error is far below this.
 */
class GemmTest {
    static final int[] DIMS = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 127, 129, 257};
    static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {0f, 1f}, {-0.75f, 0.5f}, {2.5f, 0f}, {0f, 0f}};

    private final Arena arena = Arena.ofShared();

    @AfterEach
    void free() {
        arena.close();
    }

    static Stream<Arguments> shapes() {
        SplittableRandom r = new SplittableRandom(42);
        List<Arguments> cases = new ArrayList<>();
        for (GemmOp op : GemmOp.values()) {
            for (int i = 0; i < 40; i++) {
                int m = DIMS[r.nextInt(DIMS.length)];
                int k = DIMS[r.nextInt(DIMS.length)];
                int n = DIMS[r.nextInt(DIMS.length)];
                float[] ab = ALPHA_BETA[i % ALPHA_BETA.length];
                cases.add(Arguments.of(op, m, k, n, ab[0], ab[1], i % 3 == 0 ? 0 : 1 + r.nextInt(19)));
            }
            // The MLP shapes, one side of 1000, a K longer than one block and M = 1..8 for the row path.
            int[][] fixed = {{128, 784, 256}, {128, 128, 10}, {1, 784, 256}, {1000, 33, 17}, {5, 1000, 40},
                    {16, 600, 1000}, {4, 300, 70}, {8, 9, 33}, {6, 513, 65}, {2, 2, 2},
                    // A transposed A's narrow last panel at the widths tileColumns ends at: 30, 15 (30 = 16 + 14), 5;
                    // and N = 10 over two blocks of K, its B read in place from the second block's rows.
                    {33, 127, 30}, {17, 1000, 5}, {37, 1500, 10}};
            for (int[] s : fixed) {
                cases.add(Arguments.of(op, s[0], s[1], s[2], 1f, 0f, 0));
                cases.add(Arguments.of(op, s[0], s[1], s[2], 0.5f, -1.5f, 5));
            }
            // Every residue of M against the tile height, on an N of several panels plus a narrow edge: with a
            // K of two blocks (2 × 135) that pack A into panels, and with a K short enough to read A in place.
            for (int m : new int[] {1, 3, 5, 11, 12, 13, 25, 127, 128, 129, 1000}) {
                cases.add(Arguments.of(op, m, 270, 70, 1f, 0f, 0));
                cases.add(Arguments.of(op, m, 270, 70, -0.75f, 0.5f, 3));
                cases.add(Arguments.of(op, m, 20, 70, -0.75f, 0.5f, 3));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3} alpha={4} beta={5} pad={6}")
    @MethodSource("shapes")
    void matchesReference(GemmOp op, int m, int k, int n, float alpha, float beta, int pad) {
        SplittableRandom r = new SplittableRandom(m * 31L + k * 17L + n);
        Matrix a = op.transposeA() ? random(r, k, m, pad) : random(r, m, k, pad);
        Matrix b = op.transposeB() ? random(r, n, k, pad) : random(r, k, n, pad);
        Matrix c = random(r, m, n, pad);
        if (beta == 0f) {
            c.fill(Float.NaN);
        }
        DoubleMatrix expected = beta == 0f ? DoubleMatrix.zeros(m, n) : DoubleMatrix.of(c);
        ReferenceGemm.gemm(op, alpha, DoubleMatrix.of(a), DoubleMatrix.of(b), beta, expected);
        try (Gemm gemm = Gemm.create()) {
            gemm.multiply(op, alpha, a, b, beta, c);
        }
        assertClose(expected, c, k, Math.max(1f, Math.abs(alpha)) + Math.abs(beta));
    }

    @Test
    void largeSquareNnAcrossBlocks() {
        SplittableRandom r = new SplittableRandom(7);
        Matrix a = random(r, 257, 1000, 3);
        Matrix b = random(r, 1000, 1100, 0);
        Matrix c = random(r, 257, 1100, 0);
        DoubleMatrix expected = DoubleMatrix.of(c);
        ReferenceGemm.gemm(GemmOp.NN, 1.0, DoubleMatrix.of(a), DoubleMatrix.of(b), 0.25, expected);
        try (Gemm gemm = Gemm.create()) {
            gemm.multiply(GemmOp.NN, 1f, a, b, 0.25f, c);
        }
        assertClose(expected, c, 1000, 1.25f);
    }

    static Stream<Arguments> epilogues() {
        List<Arguments> cases = new ArrayList<>();
        Activation[] fs = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.01f), Activation.SIGMOID,
                Activation.TANH, Activation.GELU, Activation.SILU};
        int[][] shapes = {{1, 33, 17}, {3, 300, 40}, {128, 128, 10}, {37, 257, 65}, {16, 31, 32}, {9, 600, 3}};
        int i = 0;
        for (GemmOp op : GemmOp.values()) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(op, s[0], s[1], s[2], fs[i++ % fs.length]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "forward {0} {1}x{2}x{3} {4}")
    @MethodSource("epilogues")
    void forwardEpilogueAddsBiasAndActivates(GemmOp op, int m, int k, int n, Activation f) {
        SplittableRandom r = new SplittableRandom(k);
        Matrix a = op.transposeA() ? random(r, k, m, 2) : random(r, m, k, 2);
        Matrix b = op.transposeB() ? random(r, n, k, 0) : random(r, k, n, 0);
        Matrix bias = random(r, 1, n, 0);
        Matrix c = random(r, m, n, 1);
        Matrix zOut = random(r, m, n, 3);
        c.fill(Float.NaN);
        DoubleMatrix z = DoubleMatrix.zeros(m, n);
        ReferenceGemm.gemm(op, 1.0, DoubleMatrix.of(a), DoubleMatrix.of(b), 0.0, z);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                z.set(i, j, z.get(i, j) + bias.get(0, j));
            }
        }
        DoubleMatrix expected = ReferenceActivations.apply(f, z);
        try (Gemm gemm = Gemm.create()) {
            gemm.multiply(op, a, b, c, bias, f, zOut);
            assertClose(z, zOut, k, 2f);
            assertClose(expected, c, k, 2f);
            // Without bias and without keeping Z.
            Matrix plain = random(r, m, n, 0);
            gemm.multiply(op, a, b, plain, null, f, null);
            DoubleMatrix noBias = DoubleMatrix.zeros(m, n);
            ReferenceGemm.gemm(op, 1.0, DoubleMatrix.of(a), DoubleMatrix.of(b), 0.0, noBias);
            assertClose(ReferenceActivations.apply(f, noBias), plain, k, 2f);
        }
    }

    /**
     * The epilogues give the bits of the separate passes they stand for: the product, then {@code + bias}, then the
     * activation kernel (forward); the product, then the derivative kernel (backward). Full panels at every width
     * (n a multiple of 64 plus an edge) and one block of K, where ReLU, LeakyReLU and the identity take the fused
     * path; sigmoid keeps the row calls.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fusedEpilogues")
    void epiloguesGiveTheBitsOfTheSeparatePasses(GemmOp op, Activation f) {
        int m = 37;
        int k = 257;
        int n = 133;
        SplittableRandom r = new SplittableRandom(11);
        Matrix a = op.transposeA() ? random(r, k, m, 2) : random(r, m, k, 2);
        Matrix b = op.transposeB() ? random(r, n, k, 0) : random(r, k, n, 0);
        Matrix bias = random(r, 1, n, 0);
        Matrix zIn = random(r, m, n, 3);
        Matrix fused = random(r, m, n, 1);
        Matrix fusedZ = random(r, m, n, 0);
        Matrix product = random(r, m, n, 0);
        Matrix separate = random(r, m, n, 2);
        try (Gemm gemm = Gemm.create()) {
            gemm.multiply(op, 1f, a, b, 0f, product);
            gemm.multiply(op, a, b, fused, bias, f, fusedZ);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    product.set(i, j, product.get(i, j) + bias.get(0, j));
                }
            }
            assertArrayEquals(product.toArray(), fusedZ.toArray(), "Z");
            Kernels.ACTIVATIONS.forward(f, product, separate);
            assertArrayEquals(separate.toArray(), fused.toArray(), "f(Z)");
            gemm.multiply(op, 1f, a, b, 0f, product);
            gemm.multiplyTimesDerivative(op, a, b, fused, f, zIn);
            Kernels.ACTIVATIONS.backward(f, zIn, product, separate);
            assertArrayEquals(separate.toArray(), fused.toArray(), "dA ⊙ f'(Z)");
        }
    }

    static Stream<Arguments> fusedEpilogues() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmOp op : GemmOp.values()) {
            for (Activation f : new Activation[] {Activation.RELU, Activation.leakyRelu(0.01f), Activation.IDENTITY,
                    Activation.SIGMOID}) {
                cases.add(Arguments.of(op, f));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "backward {0} {1}x{2}x{3} {4}")
    @MethodSource("epilogues")
    void backwardEpilogueMultipliesByDerivative(GemmOp op, int m, int k, int n, Activation f) {
        SplittableRandom r = new SplittableRandom(n);
        Matrix a = op.transposeA() ? random(r, k, m, 0) : random(r, m, k, 0);
        Matrix b = op.transposeB() ? random(r, n, k, 5) : random(r, k, n, 5);
        Matrix z = random(r, m, n, 4);
        Matrix c = random(r, m, n, 0);
        c.fill(Float.NaN);
        DoubleMatrix expected = DoubleMatrix.zeros(m, n);
        ReferenceGemm.gemm(op, 1.0, DoubleMatrix.of(a), DoubleMatrix.of(b), 0.0, expected);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                expected.set(i, j, expected.get(i, j) * ReferenceActivations.derivative(f, z.get(i, j)));
            }
        }
        try (Gemm gemm = Gemm.create()) {
            gemm.multiplyTimesDerivative(op, a, b, c, f, z);
        }
        assertClose(expected, c, k, 2f);
    }

    @ParameterizedTest(name = "packed {0}x{1}x{2} transposed={3}")
    @MethodSource("packedShapes")
    void packedOperandMatchesReference(int m, int k, int n, boolean transposed) {
        SplittableRandom r = new SplittableRandom(m + k + n);
        Matrix a = random(r, m, k, 1);
        Matrix b = transposed ? random(r, n, k, 3) : random(r, k, n, 3);
        Matrix bias = random(r, 1, n, 0);
        Matrix c = random(r, m, n, 0);
        Matrix expected = random(r, m, n, 0);
        GemmOp op = transposed ? GemmOp.NT : GemmOp.NN;
        PackedMatrix packed = PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(k, n), Matrix.ALIGNMENT_BYTES), k, n);
        packed.pack(b, transposed);
        try (Gemm gemm = Gemm.create()) {
            gemm.multiply(op, 1f, a, b, 0f, expected);
            gemm.multiply(1f, a, packed, 0f, c);
            try (Gemm serving = Gemm.forPackedB(m)) {
                Matrix sized = random(r, m, n, 0);
                serving.multiply(1f, a, packed, 0f, sized);
                assertArrayEquals(c.toArray(), sized.toArray(), "a context sized for packed B alone");
            }
            DoubleMatrix ref = DoubleMatrix.zeros(m, n);
            ReferenceGemm.gemm(op, 1.0, DoubleMatrix.of(a), DoubleMatrix.of(b), 0.0, ref);
            assertClose(ref, c, k, 1f);
            // The same kernels on the same panels give the same bits as packing on the fly, except where
            // NT with few rows takes dot products instead of packing.
            if (!transposed || m > Gemm.ROW_PATH_MAX_M) {
                assertArrayEquals(expected.toArray(), c.toArray());
            }
            gemm.multiply(a, packed, c, bias, Activation.TANH, null);
            DoubleMatrix z = ref.copy();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    z.set(i, j, ref.get(i, j) + bias.get(0, j));
                }
            }
            assertClose(ReferenceActivations.apply(Activation.TANH, z), c, k, 2f);
        }
    }

    /**
     * A row of C has the same bits whether it came through the row path (up to {@link Gemm#ROW_PATH_MAX_M} rows,
     * four packed panels at a time) or through a tile: both sum each element in one chain over K, in order, and
     * finish it the same way. So a prediction does not depend on the batch it came in.
     */
    @ParameterizedTest(name = "K={0} N={1} packed B={2}")
    @MethodSource("rowShapes")
    void aRowHasTheSameBitsOnTheRowPathAsInATile(int k, int n, boolean packedB) {
        int m = 37;
        SplittableRandom r = new SplittableRandom(k * 31L + n);
        Matrix a = random(r, m, k, 1);
        Matrix b = random(r, k, n, 3);
        Matrix bias = random(r, 1, n, 0);
        Matrix all = random(r, m, n, 0);
        PackedMatrix packed = PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(k, n), Matrix.ALIGNMENT_BYTES), k, n);
        packed.pack(b, false);
        try (Gemm gemm = Gemm.create()) {
            multiply(gemm, packedB, a, b, packed, all, bias);
            for (int first : new int[] {0, 5, 33}) {
                int rows = Math.min(Gemm.ROW_PATH_MAX_M, m - first);
                for (int count : new int[] {1, rows}) {
                    Matrix few = random(r, count, n, 0);
                    multiply(gemm, packedB, a.rowRange(first, count), b, packed, few, bias);
                    for (int i = 0; i < count; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(Float.floatToRawIntBits(all.get(first + i, j)), Float.floatToRawIntBits(few.get(i, j)),
                                    "row " + (first + i) + " of " + count + " at column " + j);
                        }
                    }
                }
            }
        }
    }

    private static void multiply(Gemm gemm, boolean packedB, Matrix a, Matrix b, PackedMatrix packed, Matrix c,
                                 Matrix bias) {
        if (packedB) {
            gemm.multiply(a, packed, c, bias, Activation.RELU, null);
        } else {
            gemm.multiply(GemmOp.NN, a, b, c, bias, Activation.RELU, null);
        }
    }

    static Stream<Arguments> rowShapes() {
        return Stream.of(Arguments.of(784, 256, true), Arguments.of(784, 256, false), Arguments.of(17, 10, true),
                Arguments.of(300, 33, false), Arguments.of(1, 200, true), Arguments.of(1030, 150, true),
                Arguments.of(2100, 129, false), Arguments.of(31, 4 * 64 + 3, true));
    }

    static Stream<Arguments> packedShapes() {
        return Stream.of(Arguments.of(1, 784, 256, false), Arguments.of(1, 784, 256, true), Arguments.of(3, 17, 10, false),
                Arguments.of(8, 300, 33, true), Arguments.of(130, 513, 47, false), Arguments.of(2, 1, 1, true));
    }

    @ParameterizedTest(name = "threads={0}")
    @MethodSource("threadCounts")
    void threadsGiveTheSameBitsAsOneThread(int threads) {
        SplittableRandom r = new SplittableRandom(threads);
        try (Gemm one = Gemm.create(); Gemm many = Gemm.create(threads)) {
            int[][] shapes = {{129, 300, 257}, {3, 70, 1000}, {64, 64, 10}, {200, 1100, 2100}};
            for (GemmOp op : GemmOp.values()) {
                for (int[] s : shapes) {
                    int m = s[0], k = s[1], n = s[2];
                    Matrix a = op.transposeA() ? random(r, k, m, 0) : random(r, m, k, 0);
                    Matrix b = op.transposeB() ? random(r, n, k, 0) : random(r, k, n, 0);
                    Matrix z = random(r, m, n, 0);
                    Matrix c1 = random(r, m, n, 0);
                    Matrix c2 = random(r, m, n, 0);
                    c2.copyFrom(c1);
                    one.multiply(op, 0.5f, a, b, 2f, c1);
                    many.multiply(op, 0.5f, a, b, 2f, c2);
                    assertArrayEquals(c1.toArray(), c2.toArray(), op + " " + m + "x" + k + "x" + n);
                    // ReLU: a transcendental f' may round differently in the interpreter and in compiled code.
                    one.multiplyTimesDerivative(op, a, b, c1, Activation.RELU, z);
                    many.multiplyTimesDerivative(op, a, b, c2, Activation.RELU, z);
                    assertArrayEquals(c1.toArray(), c2.toArray(), op + " backward " + m + "x" + k + "x" + n);
                }
            }
        }
    }

    static Stream<Integer> threadCounts() {
        return Stream.of(2, 3);
    }

    @Test
    void rejectsMismatchedShapesAndUseAfterClose() {
        SplittableRandom r = new SplittableRandom(1);
        Matrix a = random(r, 4, 5, 0);
        Matrix b = random(r, 6, 7, 0);
        Matrix c = random(r, 4, 7, 0);
        Gemm gemm = Gemm.create(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gemm.multiply(GemmOp.NN, 1f, a, b, 0f, c));
        assertTrue(e.getMessage().contains("inner dimensions"), e.getMessage());
        Matrix b57 = random(r, 5, 7, 0);
        assertThrows(IllegalArgumentException.class,
                () -> gemm.multiply(GemmOp.NN, a, b57, c, random(r, 1, 6, 0), Activation.RELU, null));
        assertThrows(IllegalArgumentException.class,
                () -> gemm.multiply(GemmOp.NN, a, b57, c, null, Activation.RELU, random(r, 4, 6, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> gemm.multiplyTimesDerivative(GemmOp.NN, a, b57, c, Activation.RELU, random(r, 3, 7, 0)));
        assertThrows(IllegalArgumentException.class, () -> gemm.multiply(GemmOp.NN, a, b57, c, null, null, null));
        PackedMatrix p = PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(6, 7), 64), 6, 7);
        assertThrows(IllegalArgumentException.class, () -> gemm.multiply(1f, a, p, 0f, c));
        assertThrows(IllegalArgumentException.class, () -> p.pack(b57, false));
        assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(6, 7) + 64, 64).asSlice(4), 6, 7));
        gemm.multiply(GemmOp.NN, 1f, a, b57, 0f, c);
        gemm.close();
        gemm.close();
        assertThrows(IllegalStateException.class, () -> gemm.multiply(GemmOp.NN, 1f, a, b57, 0f, c));
        assertThrows(IllegalArgumentException.class, () -> Gemm.create(0));
    }

    @Test
    void aContextForPackedBHoldsATileAndRefusesWhatItWasNotSizedFor() {
        SplittableRandom r = new SplittableRandom(2);
        Matrix a = random(r, 5, 6, 0);
        Matrix b = random(r, 6, 7, 0);
        Matrix c = random(r, 5, 7, 0);
        PackedMatrix p = PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(6, 7), 64), 6, 7);
        p.pack(b, false);
        try (Gemm one = Gemm.forPackedB(1); Gemm five = Gemm.forPackedB(5); Gemm any = Gemm.create()) {
            GemmKernel kernel = GemmKernel.Holder.INSTANCE;
            long tile = (long) kernel.mr * kernel.nr * Float.BYTES;
            assertEquals(tile, one.bytes());
            // Panels of A for 5 rows over one block of K: whole tiles of mr rows, or a narrow panel's nr rows; and
            // a dense tile of nr rows with tileColumns' scratch.
            long panelRows = Math.max((5 + kernel.mr - 1) / kernel.mr * kernel.mr, kernel.nr);
            long columnsTile = (long) kernel.nr * (kernel.nr + GemmKernel.COLUMN_GROUP) * Float.BYTES;
            assertEquals(columnsTile + panelRows * Gemm.KC * Float.BYTES, five.bytes());
            assertTrue(any.bytes() > 1_000_000, any.bytes() + " bytes");
            five.multiply(1f, a, p, 0f, c);
            IllegalStateException unpacked = assertThrows(IllegalStateException.class,
                    () -> five.multiply(GemmOp.NN, 1f, a, b, 0f, c));
            assertTrue(unpacked.getMessage().contains("only by a PackedMatrix"), unpacked.getMessage());
            IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> one.multiply(1f, a, p, 0f, c));
            assertTrue(rows.getMessage().contains("at most 1 rows of C, got 5x7"), rows.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Gemm.forPackedB(0));
    }

    @Test
    void aContextSizedToItsCallsGivesTheSameBitsAndRefusesLargerOnes() {
        SplittableRandom r = new SplittableRandom(3);
        int maxM = 130;
        int maxN = 140;
        int maxK = 300;
        // The largest shape splits over the two threads (130·140·100 multiply-adds is above the threshold) and
        // takes two blocks of K; the others are the edges: one row, one column, one step, tails of every tile.
        int[][] shapes = {{maxM, maxN, 100}, {maxM, maxN, maxK}, {1, 1, 1}, {3, 17, 33}, {5, maxN, 257}, {maxM, 1, 7},
            {9, 10, maxK}};
        try (Gemm sized = Gemm.create(2, maxM, maxN, maxK); Gemm any = Gemm.create(2)) {
            assertTrue(sized.bytes() < any.bytes() / 2, sized.bytes() + " bytes against " + any.bytes());
            for (GemmOp op : GemmOp.values()) {
                for (int[] shape : shapes) {
                    int m = shape[0];
                    int n = shape[1];
                    int k = shape[2];
                    Matrix a = op.transposeA() ? random(r, k, m, 3) : random(r, m, k, 3);
                    Matrix b = op.transposeB() ? random(r, n, k, 1) : random(r, k, n, 1);
                    Matrix expected = random(r, m, n, 0);
                    Matrix got = random(r, m, n, 0);
                    any.multiply(op, 1f, a, b, 0f, expected);
                    sized.multiply(op, 1f, a, b, 0f, got);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(Float.floatToRawIntBits(expected.get(i, j)), Float.floatToRawIntBits(got.get(i, j)),
                                    op + " " + m + "x" + n + "x" + k + " at (" + i + ", " + j + ")");
                        }
                    }
                }
            }
            Matrix wide = random(r, 2, maxN + 1, 0);
            IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
                    () -> sized.multiply(GemmOp.NN, 1f, random(r, 2, 3, 0), random(r, 3, maxN + 1, 0), 0f, wide));
            assertTrue(columns.getMessage().contains("at most 140 columns of C and 300 steps of K, got C 2x141"),
                    columns.getMessage());
            IllegalArgumentException depth = assertThrows(IllegalArgumentException.class,
                    () -> sized.multiply(GemmOp.NN, 1f, random(r, 2, maxK + 1, 0), random(r, maxK + 1, 3, 0), 0f,
                            random(r, 2, 3, 0)));
            assertTrue(depth.getMessage().contains("K = 301"), depth.getMessage());
            IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                    () -> sized.multiply(GemmOp.NN, 1f, random(r, maxM + 1, 3, 0), random(r, 3, 2, 0), 0f,
                            random(r, maxM + 1, 2, 0)));
            assertTrue(rows.getMessage().contains("at most 130 rows of C"), rows.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Gemm.create(1, 1, 0, 1));
    }

    private Matrix random(SplittableRandom r, int rows, int cols, int pad) {
        Matrix m = KernelTestSupport.matrix(arena, new KernelTestSupport.Shape(rows, cols, cols + pad));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (float) (r.nextDouble() * 2 - 1));
            }
        }
        return m;
    }

    /** Within tolerance of {@code expected}, and nothing written to {@code got}'s padding. */
    private static void assertClose(DoubleMatrix expected, Matrix got, int k, float scale) {
        assertPaddingUntouched(got, "the result");
        double tol = 2.0 * k * 0x1p-24 * scale;
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                double e = expected.get(i, j);
                double g = got.get(i, j);
                if (!(Math.abs(g - e) <= tol + tol * Math.abs(e))) {
                    fail("element (" + i + ", " + j + ") of " + got.shape() + ": expected " + e + ", got " + g
                            + " (tolerance " + (tol + tol * Math.abs(e)) + ", K=" + k + ")");
                }
            }
        }
    }
}
