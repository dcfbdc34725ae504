package io.lanewise.kernels.vector;

import io.lanewise.kernels.OptimizerKernels;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels} on the Vector API. Each row runs unmasked over whole vectors, then once under
 * an {@code indexInRange} mask for the last partial vector: masking every iteration measured 2.4× slower
 * (SGD with momentum, 256 × 256, AVX-512), so the loop bodies are written twice.
 */
public final class VectorOptimizerKernels extends OptimizerKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    protected void sgdRule(Matrix w, Matrix g, float lr, float wd) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        FloatVector decayVector = FloatVector.broadcast(F, wd);
        FloatVector negativeRate = FloatVector.broadcast(F, -lr);
        int cols = w.cols();
        int bound = F.loopBound(cols);
        for (int r = 0; r < w.rows(); r++) {
            long wo = (long) r * w.stride() * Float.BYTES;
            long go = (long) r * g.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER);
                FloatVector grad = p.fma(decayVector, FloatVector.fromMemorySegment(F, gs, go + b, ORDER));
                grad.fma(negativeRate, p).intoMemorySegment(ws, wo + b, ORDER);
            }
            if (c < cols) {
                VectorMask<Float> m = F.indexInRange(c, cols);
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER, m);
                FloatVector grad = p.fma(decayVector, FloatVector.fromMemorySegment(F, gs, go + b, ORDER, m));
                grad.fma(negativeRate, p).intoMemorySegment(ws, wo + b, ORDER, m);
            }
        }
    }

    @Override
    protected void momentumRule(Matrix w, Matrix g, Matrix v, float lr, float wd, float mu,
                                float gradWeight, float velocityWeight) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        MemorySegment vs = v.segment();
        FloatVector decayVector = FloatVector.broadcast(F, wd);
        FloatVector negativeRate = FloatVector.broadcast(F, -lr);
        FloatVector momentum = FloatVector.broadcast(F, mu);
        FloatVector velocityWeights = FloatVector.broadcast(F, velocityWeight);
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
                FloatVector grad = p.fma(decayVector, FloatVector.fromMemorySegment(F, gs, go + b, ORDER));
                FloatVector vel = FloatVector.fromMemorySegment(F, vs, vo + b, ORDER).fma(momentum, grad);
                vel.intoMemorySegment(vs, vo + b, ORDER);
                vel.fma(velocityWeights, grad.mul(gradWeight)).fma(negativeRate, p).intoMemorySegment(ws, wo + b, ORDER);
            }
            if (c < cols) {
                VectorMask<Float> m = F.indexInRange(c, cols);
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER, m);
                FloatVector grad = p.fma(decayVector, FloatVector.fromMemorySegment(F, gs, go + b, ORDER, m));
                FloatVector vel = FloatVector.fromMemorySegment(F, vs, vo + b, ORDER, m).fma(momentum, grad);
                vel.intoMemorySegment(vs, vo + b, ORDER, m);
                vel.fma(velocityWeights, grad.mul(gradWeight)).fma(negativeRate, p).intoMemorySegment(ws, wo + b, ORDER, m);
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
        FloatVector l2Vector = FloatVector.broadcast(F, l2);
        FloatVector beta1Vector = FloatVector.broadcast(F, beta1);
        FloatVector beta2Vector = FloatVector.broadcast(F, beta2);
        FloatVector negativeStep = FloatVector.broadcast(F, -stepSize);
        FloatVector correction = FloatVector.broadcast(F, invSqrtC2);
        FloatVector epsilonVector = FloatVector.broadcast(F, epsilon);
        int cols = w.cols();
        int bound = F.loopBound(cols);
        for (int r = 0; r < w.rows(); r++) {
            long wo = (long) r * w.stride() * Float.BYTES;
            long go = (long) r * g.stride() * Float.BYTES;
            long mo = (long) r * m.stride() * Float.BYTES;
            long vo = (long) r * v.stride() * Float.BYTES;
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER);
                FloatVector grad = p.fma(l2Vector, FloatVector.fromMemorySegment(F, gs, go + b, ORDER));
                FloatVector m1 = FloatVector.fromMemorySegment(F, ms, mo + b, ORDER).fma(beta1Vector, grad.mul(oneMinusBeta1));
                FloatVector m2 = FloatVector.fromMemorySegment(F, vs, vo + b, ORDER)
                        .fma(beta2Vector, grad.mul(grad).mul(oneMinusBeta2));
                m1.intoMemorySegment(ms, mo + b, ORDER);
                m2.intoMemorySegment(vs, vo + b, ORDER);
                FloatVector denominator = m2.sqrt().fma(correction, epsilonVector);
                m1.div(denominator).fma(negativeStep, p.mul(decay)).intoMemorySegment(ws, wo + b, ORDER);
            }
            if (c < cols) {
                adamTail(ws, wo, gs, go, ms, mo, vs, vo, c, cols, l2, decay, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
                        stepSize, invSqrtC2, epsilon);
            }
        }
    }

    /**
     * The masked last vector of a row. A method of its own: with it inline, adamRule grew past what C1
     * compiles ("out of virtual registers"), stayed interpreted, and boxed every vector.
     */
    private static void adamTail(MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms, long mo,
                                 MemorySegment vs, long vo, int c, int cols, float l2, float decay, float beta1,
                                 float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float invSqrtC2,
                                 float epsilon) {
        VectorMask<Float> k = F.indexInRange(c, cols);
        long b = (long) c * Float.BYTES;
        FloatVector p = FloatVector.fromMemorySegment(F, ws, wo + b, ORDER, k);
        FloatVector grad = p.fma(FloatVector.broadcast(F, l2), FloatVector.fromMemorySegment(F, gs, go + b, ORDER, k));
        FloatVector m1 = FloatVector.fromMemorySegment(F, ms, mo + b, ORDER, k)
                .fma(FloatVector.broadcast(F, beta1), grad.mul(oneMinusBeta1));
        FloatVector m2 = FloatVector.fromMemorySegment(F, vs, vo + b, ORDER, k)
                .fma(FloatVector.broadcast(F, beta2), grad.mul(grad).mul(oneMinusBeta2));
        m1.intoMemorySegment(ms, mo + b, ORDER, k);
        m2.intoMemorySegment(vs, vo + b, ORDER, k);
        FloatVector denominator = m2.sqrt().fma(FloatVector.broadcast(F, invSqrtC2), FloatVector.broadcast(F, epsilon));
        m1.div(denominator).fma(FloatVector.broadcast(F, -stepSize), p.mul(decay)).intoMemorySegment(ws, wo + b, ORDER, k);
    }
}
