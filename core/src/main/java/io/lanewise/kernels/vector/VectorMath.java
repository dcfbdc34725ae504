package io.lanewise.kernels.vector;

import static io.lanewise.kernels.vector.VectorSupport.FMA;
import static io.lanewise.kernels.vector.VectorSupport.fma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exp family ({@link ExpForm}) over a row in memory: every activation that needs exp, its derivative
 * and softmax's numerators, from IEEE basic operations only (add, multiply, fused multiply-add, divide,
 * compare, integer shifts), so that they give the same bits interpreted, in C1 and in C2.
 *
 * <p>Why not {@link VectorOperators#EXP}/{@link VectorOperators#TANH}: compiled, they call the JDK's SVML
 * routines; interpreted or before C2, a scalar fallback per lane. The two differ in the last bit, so
 * which one ran depended on JIT timing, and two training runs with the same seed drifted apart. Why one
 * loop over rows in memory and not functions of vectors: C2 inlines a function of vectors only while its
 * caller stays small and its own compiled code does not exist yet; otherwise the vectors are boxed on the
 * heap at every call, and which happened depended on the order in which methods got compiled. Here the
 * only calls per element are the Vector API's own, which C2 always inlines.
 *
 * <p>exp: Cody–Waite reduction {@code w = n·ln2 + r}, |r| ≤ ln2/2, a degree-6 polynomial for e^r
 * (Cephes {@code expf}), scaled by 2^n built in the exponent bits; w clamped to [-87.3, 80], 0 returned
 * below -87.3 (where the true value is subnormal), ≤ 2 ulp against {@link Math#exp} (see
 * {@code VectorMathTest}). Above 80 only the logistic forms use it, where g = 1/(1 + e) is then below
 * 2e-35 and h = g·e is 1: the clamp keeps them normal floats, and keeps n within [-126, 116], so that
 * 2^n is one normal float. tanh below |z| = 0.625: an odd polynomial
 * (Cephes {@code tanhf}).
 *
 * <p>The elements past a row's last whole vector, and every element where the vector forms are not
 * compiled ({@link VectorSupport#FULL} false), go through {@link #lane}, the scalar twin: the same IEEE
 * operations in the same order, so an element gets the same bits wherever it sits.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    private static final float EXP_MAX = 80f;
    private static final float EXP_MIN = -87.3f;
    /** Where the cubic terms stop growing: past it every form has saturated, and z³ stays finite. */
    private static final float CUBIC_LIMIT = 4096f;
    private static final float E0 = 1.9875691500e-4f;
    private static final float E1 = 1.3981999507e-3f;
    private static final float E2 = 8.3334519073e-3f;
    private static final float E3 = 4.1665795894e-2f;
    private static final float E4 = 1.6666665459e-1f;
    private static final float E5 = 5.0000001201e-1f;
    private static final float T0 = -5.70498872745e-3f;
    private static final float T1 = 2.06390887954e-2f;
    private static final float T2 = -5.37397155531e-2f;
    private static final float T3 = 1.33314422036e-1f;
    private static final float T4 = -3.33332819422e-1f;

    private VectorMath() {
    }

    /**
     * {@code out = form(z, m)} with the given shift of w, over {@code cols} floats at byte offsets {@code zo} of {@code zs},
     * {@code mo} of {@code ms} (read by derivatives only) and {@code oo} of {@code os}. Each element
     * is read before its output is written, so {@code out} may be {@code z} or {@code m}.
     */
    static void row(ExpForm form, float shift, MemorySegment zs, long zo, MemorySegment ms, long mo,
                    MemorySegment os, long oo, int cols) {
        int bound = VectorSupport.FULL ? F.loopBound(cols) : 0;
        boolean derivative = form.derivative();
        boolean tanh = form.tanhBelow() > 0f;
        // Loop invariants. The two flags are too: C2 unswitches the loop on them, so each form runs only
        // its own terms, and the loop body has no call of ours. timesZ is all lanes or none, from a compare
        // (NEON's C2 compiles no maskAll), made only where the loop can run (SSE compiles no compares); on a
        // constant condition, so that C2 sees one mask and not a merge of two.
        VectorMask<Float> timesZ = !VectorSupport.FULL ? null
                : FloatVector.broadcast(F, form.timesZ() ? 1f : 0f).compare(VectorOperators.NE, 0f);
        FloatVector w1 = FloatVector.broadcast(F, form.w1());
        FloatVector w3 = FloatVector.broadcast(F, form.w3());
        FloatVector p0 = FloatVector.broadcast(F, form.p0());
        FloatVector q0 = FloatVector.broadcast(F, form.q0());
        FloatVector q1 = FloatVector.broadcast(F, form.q1());
        FloatVector q3 = FloatVector.broadcast(F, form.q3());
        FloatVector r = FloatVector.broadcast(F, form.r());
        FloatVector b = FloatVector.broadcast(F, form.b());
        FloatVector tanhBelow = FloatVector.broadcast(F, form.tanhBelow());
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector log2e = FloatVector.broadcast(F, LOG2E);
        FloatVector rounder = FloatVector.broadcast(F, ROUNDER);
        FloatVector ln2Hi = FloatVector.broadcast(F, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(F, -LN2_LO);
        int c = 0;
        for (; c < bound; c += F.length()) {
            long o = (long) c * Float.BYTES;
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zo + o, ORDER);
            FloatVector zc = z.max(-CUBIC_LIMIT).min(CUBIC_LIMIT);
            FloatVector w = z.mul(w1).add(w3.mul(zc.mul(zc).mul(zc))).add(shift);
            // e = exp(w): n = round(w·log2(e)) sits in the low bits of nr, and 2^n is built from them
            FloatVector x = w.max(EXP_MIN).min(EXP_MAX);
            FloatVector nr = FMA ? x.fma(log2e, rounder) : x.mul(log2e).add(rounder);
            FloatVector n = nr.sub(ROUNDER);
            FloatVector f = FMA ? n.fma(ln2Hi, x) : n.mul(ln2Hi).add(x);
            f = FMA ? n.fma(ln2Lo, f) : n.mul(ln2Lo).add(f);
            FloatVector p = FloatVector.broadcast(F, E0);
            p = FMA ? p.fma(f, FloatVector.broadcast(F, E1)) : p.mul(f).add(E1);
            p = FMA ? p.fma(f, FloatVector.broadcast(F, E2)) : p.mul(f).add(E2);
            p = FMA ? p.fma(f, FloatVector.broadcast(F, E3)) : p.mul(f).add(E3);
            p = FMA ? p.fma(f, FloatVector.broadcast(F, E4)) : p.mul(f).add(E4);
            p = FMA ? p.fma(f, FloatVector.broadcast(F, E5)) : p.mul(f).add(E5);
            FloatVector pf = p.mul(f);
            FloatVector er = (FMA ? pf.fma(f, f) : pf.mul(f).add(f)).add(1f);
            FloatVector scale = nr.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = er.mul(scale).blend(0f, w.compare(VectorOperators.LT, EXP_MIN));
            FloatVector g = one.div(e.add(1f));
            // Each branch stores its own result: a vector merged from two branches may be boxed on the heap.
            if (derivative) {
                // m·(p0·g + Q·g·h)
                FloatVector q = q3.mul(zc.mul(zc)).add(q1).mul(zc).add(q0);
                FloatVector gh = g.mul(g.mul(e));
                FloatVector m = FloatVector.fromMemorySegment(F, ms, mo + o, ORDER);
                m.mul(p0.mul(g).add(q.mul(gh))).intoMemorySegment(os, oo + o, ORDER);
            } else if (tanh) {
                // 2g − 1, and near 0: z·(1 + z²·poly(z²)), which keeps the sign of ±0
                FloatVector z2 = z.mul(z);
                FloatVector t = FloatVector.broadcast(F, T0);
                t = FMA ? t.fma(z2, FloatVector.broadcast(F, T1)) : t.mul(z2).add(T1);
                t = FMA ? t.fma(z2, FloatVector.broadcast(F, T2)) : t.mul(z2).add(T2);
                t = FMA ? t.fma(z2, FloatVector.broadcast(F, T3)) : t.mul(z2).add(T3);
                t = FMA ? t.fma(z2, FloatVector.broadcast(F, T4)) : t.mul(z2).add(T4);
                FloatVector small = z.mul(FMA ? t.fma(z2, one) : t.mul(z2).add(1f));
                p0.mul(g).add(r.mul(e)).add(b).blend(small, z.abs().compare(VectorOperators.LT, tanhBelow))
                        .intoMemorySegment(os, oo + o, ORDER);
            } else {
                // P·g + r·e + b
                p0.blend(z, timesZ).mul(g).add(r.mul(e)).add(b).intoMemorySegment(os, oo + o, ORDER);
            }
        }
        for (; c < cols; c++) {
            long o = (long) c * Float.BYTES;
            os.set(FLOAT, oo + o, lane(form, shift, zs.get(FLOAT, zo + o), derivative ? ms.get(FLOAT, mo + o) : 0f));
        }
    }

    /** The scalar twin of {@link #row} on one element: the same operations, the same bits. */
    static float lane(ExpForm form, float shift, float z, float m) {
        float zc = Math.min(Math.max(z, -CUBIC_LIMIT), CUBIC_LIMIT);
        float w = z * form.w1() + form.w3() * (zc * zc * zc) + shift;
        float x = Math.min(Math.max(w, EXP_MIN), EXP_MAX);
        float nr = fma(x, LOG2E, ROUNDER);
        float n = nr - ROUNDER;
        float f = fma(n, -LN2_HI, x);
        f = fma(n, -LN2_LO, f);
        float p = E0;
        p = fma(p, f, E1);
        p = fma(p, f, E2);
        p = fma(p, f, E3);
        p = fma(p, f, E4);
        p = fma(p, f, E5);
        float er = fma(p * f, f, f) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(nr) + 127) << 23);
        float e = w < EXP_MIN ? 0f : er * scale;
        float g = 1f / (e + 1f);
        if (form.derivative()) {
            float q = (form.q3() * (zc * zc) + form.q1()) * zc + form.q0();
            float gh = g * (g * e);
            return m * (form.p0() * g + q * gh);
        }
        if (form.tanhBelow() > 0f && Math.abs(z) < form.tanhBelow()) {
            float z2 = z * z;
            float t = T0;
            t = fma(t, z2, T1);
            t = fma(t, z2, T2);
            t = fma(t, z2, T3);
            t = fma(t, z2, T4);
            return z * fma(t, z2, 1f);
        }
        return (form.timesZ() ? z : form.p0()) * g + form.r() * e + form.b();
    }
}
