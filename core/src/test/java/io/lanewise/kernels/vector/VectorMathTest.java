package io.lanewise.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.kernels.KernelProvider;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath} against {@link Math#exp}/{@link Math#tanh} (in double, rounded once) over the whole
 * float range it serves, in ulps of the true result: exp ≤ 2 ulp, tanh ≤ 3 ulp; and the edge values.
 */
class VectorMathTest {
    private static final int LANES = VectorSupport.FLOATS.length();

    @BeforeAll
    static void vectorised() {
        Assumptions.assumeTrue(KernelProvider.isVectorized(), "vector kernels only: the scalar mode has no VectorMath");
    }

    private interface Op {
        FloatVector apply(FloatVector v);
    }

    private static float one(Op op, float x) {
        return op.apply(FloatVector.broadcast(VectorSupport.FLOATS, x)).lane(0);
    }

    private static double worstUlps(Op op, java.util.function.DoubleUnaryOperator exact, float from, float to, float step) {
        double worst = 0;
        float[] xs = new float[LANES];
        float[] out = new float[LANES];
        for (float x = from; x <= to; ) {
            for (int i = 0; i < LANES; i++, x += step) {
                xs[i] = x;
            }
            op.apply(FloatVector.fromArray(VectorSupport.FLOATS, xs, 0)).intoArray(out, 0);
            for (int i = 0; i < LANES; i++) {
                double truth = exact.applyAsDouble(xs[i]);
                float rounded = (float) truth;
                if (rounded == 0f || Float.isInfinite(rounded)) {
                    continue;
                }
                worst = Math.max(worst, Math.abs(out[i] - truth) / Math.ulp(rounded));
            }
        }
        return worst;
    }

    @Test
    void expIsWithinTwoUlpOverItsRange() {
        double ulps = worstUlps(VectorMath::exp, Math::exp, -87.3f, 88.72f, 1e-3f);
        System.out.println("VectorMath.exp: max error " + ulps + " ulp over [-87.3, 88.72]");
        assertTrue(ulps <= 2, "exp error " + ulps + " ulp");
    }

    @Test
    void tanhIsWithinThreeUlp() {
        double ulps = Math.max(worstUlps(VectorMath::tanh, Math::tanh, -10f, 10f, 1e-4f),
                worstUlps(VectorMath::tanh, Math::tanh, -1e-3f, 1e-3f, 1e-7f));
        System.out.println("VectorMath.tanh: max error " + ulps + " ulp over [-10, 10]");
        assertTrue(ulps <= 3, "tanh error " + ulps + " ulp");
    }

    @Test
    void edgeValues() {
        assertEquals(1f, one(VectorMath::exp, 0f));
        assertEquals(Float.POSITIVE_INFINITY, one(VectorMath::exp, 89f));
        assertEquals(Float.POSITIVE_INFINITY, one(VectorMath::exp, Float.POSITIVE_INFINITY));
        assertEquals(0f, one(VectorMath::exp, -100f));
        assertEquals(0f, one(VectorMath::exp, Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(one(VectorMath::exp, Float.NaN)));
        assertEquals(1f, one(VectorMath::tanh, 50f));
        assertEquals(-1f, one(VectorMath::tanh, Float.NEGATIVE_INFINITY));
        assertEquals(-0f, one(VectorMath::tanh, -0f));
        assertEquals(1e-30f, one(VectorMath::tanh, 1e-30f));
        assertTrue(Float.isNaN(one(VectorMath::tanh, Float.NaN)));
    }
}
