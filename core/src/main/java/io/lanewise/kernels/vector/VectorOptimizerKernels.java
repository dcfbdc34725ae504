package io.lanewise.kernels.vector;

import static io.lanewise.kernels.vector.VectorSupport.FMA;
import static io.lanewise.kernels.vector.VectorSupport.fma;

import io.lanewise.kernels.OptimizerKernels;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels} on the Vector API. Each row runs over whole vectors, then the elements past the
 * last whole vector one at a time with the same IEEE operations ({@link VectorSupport#fma} and its scalar
 * twin), so every parameter gets the same bits wherever it sits in its row, and no masked operation is
 * needed (see {@link VectorSupport}).
 *
 * <p>Hyperparameters are broadcast inside the loops, not before them: a vector held in a local across a
 * loop's entry comes into an on-stack-replacement compilation as a plain object of unknown class, and the
 * Vector API calls on it are then neither bound statically nor intrinsified. Adam needs a vector square
 * root, which C2 compiles only with AVX ({@link VectorSupport#FULL}); without it, Adam runs the scalar
 * twin over whole rows.
 */
public final class VectorOptimizerKernels extends OptimizerKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    protected void sgdRule(Matrix w, Matrix g, float lr, float wd) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        float negativeRate = -lr;
        int cols = w.cols();
        int bound = F.loopBound(cols);
        for (int r = 0; r < w.rows(); r++) {
            long wo = (long) r * w.stride() * Float.BYTES;
            long go = (long) r * g.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER);
                FloatVector grad = (FMA ? p.fma(FloatVector.broadcast(F, wd), FloatVector.fromMemorySegment(F, gs, go + b, ORDER)) : p.mul(FloatVector.broadcast(F, wd)).add(FloatVector.fromMemorySegment(F, gs, go + b, ORDER)));
                (FMA ? grad.fma(FloatVector.broadcast(F, negativeRate), p) : grad.mul(FloatVector.broadcast(F, negativeRate)).add(p)).intoMemorySegment(ws, wo + b, ORDER);
            }
            for (; c < cols; c++) {
                long b = (long) c * Float.BYTES;
                float p = ws.get(FLOAT, wo + b);
                float grad = fma(p, wd, gs.get(FLOAT, go + b));
                ws.set(FLOAT, wo + b, fma(grad, negativeRate, p));
            }
        }
    }

    @Override
    protected void momentumRule(Matrix w, Matrix g, Matrix v, float lr, float wd, float mu,
                                float gradWeight, float velocityWeight) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        MemorySegment vs = v.segment();
        float negativeRate = -lr;
        int cols = w.cols();
        int bound = F.loopBound(cols);
        for (int r = 0; r < w.rows(); r++) {
            long wo = (long) r * w.stride() * Float.BYTES;
            long go = (long) r * g.stride() * Float.BYTES;
            long vo = (long) r * v.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER);
                FloatVector grad = (FMA ? p.fma(FloatVector.broadcast(F, wd), FloatVector.fromMemorySegment(F, gs, go + b, ORDER)) : p.mul(FloatVector.broadcast(F, wd)).add(FloatVector.fromMemorySegment(F, gs, go + b, ORDER)));
                FloatVector vel = (FMA ? FloatVector.fromMemorySegment(F, vs, vo + b, ORDER).fma(FloatVector.broadcast(F, mu), grad) : FloatVector.fromMemorySegment(F, vs, vo + b, ORDER).mul(FloatVector.broadcast(F, mu)).add(grad));
                vel.intoMemorySegment(vs, vo + b, ORDER);
                FloatVector step = (FMA ? vel.fma(FloatVector.broadcast(F, velocityWeight), grad.mul(gradWeight)) : vel.mul(FloatVector.broadcast(F, velocityWeight)).add(grad.mul(gradWeight)));
                (FMA ? step.fma(FloatVector.broadcast(F, negativeRate), p) : step.mul(FloatVector.broadcast(F, negativeRate)).add(p)).intoMemorySegment(ws, wo + b, ORDER);
            }
            for (; c < cols; c++) {
                long b = (long) c * Float.BYTES;
                float p = ws.get(FLOAT, wo + b);
                float grad = fma(p, wd, gs.get(FLOAT, go + b));
                float vel = fma(vs.get(FLOAT, vo + b), mu, grad);
                vs.set(FLOAT, vo + b, vel);
                ws.set(FLOAT, wo + b, fma(fma(vel, velocityWeight, grad * gradWeight), negativeRate, p));
            }
        }
    }

    @Override
    protected void adamRule(Matrix w, Matrix g, Matrix m, Matrix v, float l2, float decay,
                            float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                            float stepSize, float invSqrtC2, float epsilon) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        float negativeStep = -stepSize;
        int cols = w.cols();
        int bound = VectorSupport.FULL ? F.loopBound(cols) : 0;
        for (int r = 0; r < w.rows(); r++) {
            long wo = (long) r * w.stride() * Float.BYTES;
            long go = (long) r * g.stride() * Float.BYTES;
            long mo = (long) r * m.stride() * Float.BYTES;
            long vo = (long) r * v.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER);
                FloatVector grad = (FMA ? p.fma(FloatVector.broadcast(F, l2), FloatVector.fromMemorySegment(F, gs, go + b, ORDER)) : p.mul(FloatVector.broadcast(F, l2)).add(FloatVector.fromMemorySegment(F, gs, go + b, ORDER)));
                FloatVector m1 = (FMA ? FloatVector.fromMemorySegment(F, ms, mo + b, ORDER).fma(FloatVector.broadcast(F, beta1), grad.mul(oneMinusBeta1)) : FloatVector.fromMemorySegment(F, ms, mo + b, ORDER).mul(FloatVector.broadcast(F, beta1)).add(grad.mul(oneMinusBeta1)));
                FloatVector m2 = (FMA ? FloatVector.fromMemorySegment(F, vs, vo + b, ORDER).fma(FloatVector.broadcast(F, beta2), grad.mul(grad).mul(oneMinusBeta2)) : FloatVector.fromMemorySegment(F, vs, vo + b, ORDER).mul(FloatVector.broadcast(F, beta2)).add(grad.mul(grad).mul(oneMinusBeta2)));
                m1.intoMemorySegment(ms, mo + b, ORDER);
                m2.intoMemorySegment(vs, vo + b, ORDER);
                FloatVector denominator = (FMA ? m2.sqrt().fma(FloatVector.broadcast(F, invSqrtC2), FloatVector.broadcast(F, epsilon)) : m2.sqrt().mul(FloatVector.broadcast(F, invSqrtC2)).add(FloatVector.broadcast(F, epsilon)));
                (FMA ? m1.div(denominator).fma(FloatVector.broadcast(F, negativeStep), p.mul(decay)) : m1.div(denominator).mul(FloatVector.broadcast(F, negativeStep)).add(p.mul(decay))).intoMemorySegment(ws, wo + b, ORDER);
            }
            for (; c < cols; c++) {
                long b = (long) c * Float.BYTES;
                float p = ws.get(FLOAT, wo + b);
                float grad = fma(p, l2, gs.get(FLOAT, go + b));
                float m1 = fma(ms.get(FLOAT, mo + b), beta1, grad * oneMinusBeta1);
                float m2 = fma(vs.get(FLOAT, vo + b), beta2, grad * grad * oneMinusBeta2);
                ms.set(FLOAT, mo + b, m1);
                vs.set(FLOAT, vo + b, m2);
                // The square root of a float through double is the correctly rounded float square root.
                float denominator = fma((float) Math.sqrt(m2), invSqrtC2, epsilon);
                ws.set(FLOAT, wo + b, fma(m1 / denominator, negativeStep, p * decay));
            }
        }
    }
}
