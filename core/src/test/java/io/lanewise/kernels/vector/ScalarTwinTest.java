package io.lanewise.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lanewise.kernels.KernelSelection;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scalar twins give the bits of the vector formulas, lane for lane: the kernels run them past a row's
 * last whole vector (and over whole rows where the vector forms are not compiled), so an element's result
 * must not depend on where it sits in its row. Checked on the formulas directly, and through the kernels on
 * rows whose tail repeats values of their first vector. Bits are compared as {@link Float#floatToIntBits} does:
 * every NaN is one NaN (the payload of a NaN the hardware makes is not specified by Java).
 */
class ScalarTwinTest {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int V = F.length();

    @BeforeAll
    static void vectorised() {
        Assumptions.assumeTrue(KernelSelection.isVectorized(), "vector kernels only");
    }

    /** A sweep of [-100, 100] with the edge values: ±0, ±∞, NaN, the clamps of exp, tiny and huge. */
    private static float[] points() {
        float[] edges = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 88.72283f, 88.72284f,
            -87.3f, -87.30001f, 0.625f, -0.625f, 0.3125f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, 1e-20f, -1e-20f, 1e20f, 44.36f, -43.65f};
        SeededRandom random = new SeededRandom(11);
        int n = 40_000;
        float[] z = new float[n + edges.length + V];
        for (int i = 0; i < n; i++) {
            z[i] = i % 2 == 0 ? (float) (-100 + 200.0 * i / n) : (float) (random.nextGaussian() * 3);
        }
        System.arraycopy(edges, 0, z, n, edges.length);
        return z;
    }

    /** Every form on {@link #points}, z as the multiplier reversed: each output against its scalar twin. */
    @Test
    void expFormTwinsGiveTheVectorBits() {
        float[] z = points();
        int n = z.length - z.length % V; // whole vectors only: the row's tail would run the twin itself
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zs = arena.allocate((long) n * Float.BYTES, 64);
            MemorySegment ms = arena.allocate((long) n * Float.BYTES, 64);
            MemorySegment out = arena.allocate((long) n * Float.BYTES, 64);
            for (int i = 0; i < n; i++) {
                zs.setAtIndex(ValueLayout.JAVA_FLOAT, i, z[i]);
                ms.setAtIndex(ValueLayout.JAVA_FLOAT, i, z[n - 1 - i]);
            }
            List<ExpForm> forms = new ArrayList<>(List.of(ExpForm.EXP));
            for (Activation.Kind kind : new Activation.Kind[] {Activation.Kind.SIGMOID, Activation.Kind.TANH,
                Activation.Kind.GELU, Activation.Kind.SILU}) {
                forms.add(ExpForm.of(kind));
                forms.add(ExpForm.derivativeOf(kind));
            }
            for (ExpForm form : forms) {
                for (float shift : new float[] {0f, -3.5f}) {
                    VectorMath.row(form, shift, zs, 0, ms, 0, out, 0, n);
                    for (int i = 0; i < n; i++) {
                        float x = zs.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        float expected = out.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        float actual = VectorMath.lane(form, shift, x, ms.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                                () -> form + " shift " + shift + " at z = " + x + ": vector " + expected
                                        + ", scalar twin " + actual);
                    }
                }
            }
        }
    }

    /** Rows of V + 3 columns whose last 3 elements repeat elements 0..2 of the same row, in every operand. */
    private static Matrix repeatingTail(Arena arena, SeededRandom random, int rows, double sigma, boolean positive) {
        int cols = V + 3;
        Matrix m = Matrix.wrap(arena.allocate((long) rows * cols * Float.BYTES, 64), rows, cols, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < V; c++) {
                double x = random.nextGaussian() * sigma;
                m.set(r, c, (float) (positive ? Math.abs(x) : x));
            }
            for (int c = 0; c < 3; c++) {
                m.set(r, V + c, m.get(r, c));
            }
        }
        return m;
    }

    private static void assertTailRepeatsHead(Matrix m, String what) {
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(Float.floatToIntBits(m.get(r, c)), Float.floatToIntBits(m.get(r, V + c)),
                        what + " row " + r + ": column " + (V + c) + " past the last whole vector differs from column " + c);
            }
        }
    }

    @Test
    void activationKernelsGiveTailElementsTheBitsOfVectorLanes() {
        SeededRandom random = new SeededRandom(12);
        VectorActivationKernels kernels = new VectorActivationKernels();
        try (Arena arena = Arena.ofConfined()) {
            Matrix z = repeatingTail(arena, random, 64, 4, false);
            Matrix dA = repeatingTail(arena, random, 64, 1, false);
            Matrix out = repeatingTail(arena, random, 64, 1, false);
            for (Activation f : new Activation[] {Activation.RELU, Activation.leakyRelu(0.01f), Activation.SIGMOID,
                Activation.TANH, Activation.GELU, Activation.SILU}) {
                kernels.forward(f, z, out);
                assertTailRepeatsHead(out, f + " forward");
                kernels.backward(f, z, dA, out);
                assertTailRepeatsHead(out, f + " backward");
            }
        }
    }

    @Test
    void optimizerKernelsGiveTailElementsTheBitsOfVectorLanes() {
        SeededRandom random = new SeededRandom(13);
        VectorOptimizerKernels kernels = new VectorOptimizerKernels();
        try (Arena arena = Arena.ofConfined()) {
            for (Optimizer spec : new Optimizer[] {Optimizer.sgd(0.01, 0, false).withWeightDecay(1e-4),
                Optimizer.sgd(0.01, 0.9, false).withWeightDecay(1e-4), Optimizer.sgd(0.01, 0.9, true),
                Optimizer.adam(1e-3).withWeightDecay(1e-4), Optimizer.adamW(1e-3, 0.01)}) {
                Matrix w = repeatingTail(arena, random, 16, 1, false);
                Matrix g = repeatingTail(arena, random, 16, 0.1, false);
                Matrix first = repeatingTail(arena, random, 16, 0.01, false);
                Matrix second = repeatingTail(arena, random, 16, 0.001, true);
                for (long step = 1; step <= 3; step++) {
                    kernels.update(spec, 0.01f, step, w, g, first, second);
                }
                assertTailRepeatsHead(w, spec + " parameters");
                assertTailRepeatsHead(first, spec + " first state");
                if (spec.kind() != Optimizer.Kind.SGD) {
                    assertTailRepeatsHead(second, spec + " second state");
                }
            }
        }
    }

    @Test
    void lossKernelsGiveTailElementsTheBitsOfVectorLanes() {
        SeededRandom random = new SeededRandom(14);
        VectorLossKernels kernels = new VectorLossKernels();
        try (Arena arena = Arena.ofConfined()) {
            Matrix logits = repeatingTail(arena, random, 8, 3, false);
            Matrix targets = repeatingTail(arena, random, 8, 0.3, true);
            for (int r = 0; r < targets.rows(); r++) {
                for (int c = 0; c < targets.cols(); c++) {
                    targets.set(r, c, Math.min(1f, targets.get(r, c)));
                }
            }
            Matrix out = repeatingTail(arena, random, 8, 1, false);
            kernels.softmax(logits, out);
            assertTailRepeatsHead(out, "softmax");
            kernels.sigmoidBinaryCrossEntropy(logits, targets, out);
            assertTailRepeatsHead(out, "binary cross-entropy gradient");
            kernels.meanSquaredError(logits, targets, out);
            assertTailRepeatsHead(out, "mean squared error gradient");
        }
    }
}
