package io.lanewise.kernels.vector;

import static io.lanewise.kernels.vector.VectorSupport.fma;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh on float vectors from IEEE basic operations only (add, multiply, fused multiply-add,
 * divide, compare, integer shifts), so that they give the same bits interpreted, in C1 and in C2.
 *
 * <p>Why not {@link VectorOperators#EXP}/{@link VectorOperators#TANH}: compiled, they call the JDK's SVML
 * routines; interpreted or before C2, a scalar fallback per lane. The two differ in the last bit, so
 * which one ran depended on JIT timing, and two training runs with the same seed drifted apart (most
 * with threads, where workers warm up at their own pace). Determinism needs one definition.
 *
 * <p>exp: Cody–Waite reduction {@code x = n·ln2 + r}, |r| ≤ ln2/2, a degree-6 polynomial for e^r
 * (Cephes {@code expf}), scaled by 2^n built in the exponent bits; inputs clamped to [-87.3, 88.72283]
 * (below -87.3, where the true value is subnormal, 0 is returned). Max
 * error measured against {@link Math#exp} over that range: see {@code VectorMathTest} (≤ 2 ulp).
 * tanh: an odd polynomial for |x| &lt; 0.625 (Cephes {@code tanhf}), {@code 1 − 2 / (e^{2|x|} + 1)} above,
 * the sign restored; ≤ 3 ulp.
 *
 * <p>The vector forms run only where {@link VectorSupport#FULL} (hardware FMA among it), so they fuse
 * directly. {@link #expLane} and {@link #tanhLane} are the scalar twins, the same IEEE operations on
 * one float, for the elements past a row's last whole vector and, where the vector forms are not compiled,
 * for every element: without hardware FMA their {@code fma} is a multiply and an add, rounded twice, still
 * within those bounds.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    private static final float EXP_MAX = 88.72283f;
    private static final float EXP_MIN = -87.3f;

    private VectorMath() {
    }

    /** e^x lane-wise; 0 below {@code -87.3}, +∞ above 88.72, NaN for NaN. */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector n = c.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER)).sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector er = p.mul(r).fma(r, r).add(1f);
        // 2^n as two factors 2^(n/2), so that n = 128 (and -126) stay within normal exponents.
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scaled = er.mul(s1).mul(s2);
        // Beyond the clamp: overflow to +∞, underflow to 0, NaN stays NaN.
        scaled = scaled.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return scaled.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /** tanh x lane-wise. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector p = FloatVector.broadcast(F, -5.70498872745e-3f);
        p = p.fma(z, FloatVector.broadcast(F, 2.06390887954e-2f));
        p = p.fma(z, FloatVector.broadcast(F, -5.37397155531e-2f));
        p = p.fma(z, FloatVector.broadcast(F, 1.33314422036e-1f));
        p = p.fma(z, FloatVector.broadcast(F, -3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(a, a);
        FloatVector large = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(exp(a.add(a)).add(1f)));
        FloatVector magnitude = large.blend(small, a.compare(VectorOperators.LT, 0.625f));
        IntVector sign = x.reinterpretAsInts().lanewise(VectorOperators.AND, 0x80000000);
        return magnitude.reinterpretAsInts().lanewise(VectorOperators.OR, sign).reinterpretAsFloats();
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations, the same bits. */
    public static float expLane(float x) {
        float c = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float n = fma(c, LOG2E, ROUNDER) - ROUNDER;
        float r = fma(n, -LN2_HI, c);
        r = fma(n, -LN2_LO, r);
        float p = 1.9875691500e-4f;
        p = fma(p, r, 1.3981999507e-3f);
        p = fma(p, r, 8.3334519073e-3f);
        p = fma(p, r, 4.1665795894e-2f);
        p = fma(p, r, 1.6666665459e-1f);
        p = fma(p, r, 5.0000001201e-1f);
        float er = fma(p * r, r, r) + 1f;
        int ni = (int) n;
        int half = ni >> 1;
        float s1 = Float.intBitsToFloat((half + 127) << 23);
        float s2 = Float.intBitsToFloat((ni - half + 127) << 23);
        float scaled = er * s1 * s2;
        if (x > EXP_MAX) {
            return Float.POSITIVE_INFINITY;
        }
        return x < EXP_MIN ? 0f : scaled;
    }

    /** The scalar twin of {@link #tanh(FloatVector)}: the same operations, the same bits. */
    public static float tanhLane(float x) {
        float a = Math.abs(x);
        float magnitude;
        if (a < 0.625f) {
            float z = a * a;
            float p = -5.70498872745e-3f;
            p = fma(p, z, 2.06390887954e-2f);
            p = fma(p, z, -5.37397155531e-2f);
            p = fma(p, z, 1.33314422036e-1f);
            p = fma(p, z, -3.33332819422e-1f);
            magnitude = fma(p * z, a, a);
        } else {
            magnitude = 1f - 2f / (expLane(a + a) + 1f);
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) | (Float.floatToRawIntBits(x) & 0x80000000));
    }
}
