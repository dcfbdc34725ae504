package io.lanewise.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.kernels.KernelSelection;
import io.lanewise.spec.Activation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath#row}'s exp and tanh forms against {@link Math#exp}/{@link Math#tanh} (in double, rounded
 * once) over the range they serve, in ulps of the true result: exp ≤ 2 ulp, tanh ≤ 3 ulp; and edge values.
 * The other forms are held to the reference by {@code ActivationKernelsTest}.
 */
class VectorMathTest {
    private static final ExpForm TANH = ExpForm.of(Activation.Kind.TANH);

    @BeforeAll
    static void vectorised() {
        Assumptions.assumeTrue(KernelSelection.isVectorized(), "vector kernels only");
    }

    /** The form on each of {@code xs}, through a row (whole vectors, then the scalar twin for the tail). */
    private static float[] row(ExpForm form, float[] xs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, xs);
            MemorySegment out = arena.allocate((long) xs.length * Float.BYTES, 64);
            VectorMath.row(form, 0f, in, 0, in, 0, out, 0, xs.length);
            return out.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    private static float one(ExpForm form, float x) {
        return row(form, new float[] {x})[0];
    }

    private static double worstUlps(ExpForm form, DoubleUnaryOperator exact, float from, float to, float step) {
        int n = (int) ((to - from) / step) + 1;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = from + i * step;
        }
        float[] out = row(form, xs);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double truth = exact.applyAsDouble(xs[i]);
            float rounded = (float) truth;
            if (rounded == 0f || Float.isInfinite(rounded)) {
                continue;
            }
            worst = Math.max(worst, Math.abs(out[i] - truth) / Math.ulp(rounded));
        }
        return worst;
    }

    @Test
    void expIsWithinTwoUlpOverItsRange() {
        double ulps = worstUlps(ExpForm.EXP, Math::exp, -87.3f, 80f, 1e-3f);
        System.out.println("VectorMath exp: max error " + ulps + " ulp over [-87.3, 80]");
        assertTrue(ulps <= 2, "exp error " + ulps + " ulp");
    }

    @Test
    void tanhIsWithinThreeUlp() {
        double ulps = Math.max(worstUlps(TANH, Math::tanh, -10f, 10f, 1e-4f),
                worstUlps(TANH, Math::tanh, -1e-3f, 1e-3f, 1e-7f));
        System.out.println("VectorMath tanh: max error " + ulps + " ulp over [-10, 10]");
        assertTrue(ulps <= 3, "tanh error " + ulps + " ulp");
    }

    @Test
    void edgeValues() {
        assertEquals(1f, one(ExpForm.EXP, 0f));
        assertEquals(0f, one(ExpForm.EXP, -100f));
        assertEquals(0f, one(ExpForm.EXP, Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(one(ExpForm.EXP, Float.NaN)));
        assertEquals(1f, one(TANH, 50f));
        assertEquals(-1f, one(TANH, Float.NEGATIVE_INFINITY));
        assertEquals(1f, one(TANH, Float.POSITIVE_INFINITY));
        assertEquals(-0f, one(TANH, -0f));
        assertEquals(1e-30f, one(TANH, 1e-30f));
        assertTrue(Float.isNaN(one(TANH, Float.NaN)));
        ExpForm sigmoid = ExpForm.of(Activation.Kind.SIGMOID);
        assertEquals(1f, one(sigmoid, Float.POSITIVE_INFINITY));
        assertEquals(0f, one(sigmoid, Float.NEGATIVE_INFINITY), 1e-30f);
        assertEquals(0.5f, one(sigmoid, 0f));
    }
}
