package io.lanewise.kernels;

import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@link OptimizerKernels} one float at a time: the fallback path. */
public final class ScalarOptimizerKernels extends OptimizerKernels {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    @Override
    protected void sgdRule(Matrix w, Matrix g, float lr, float wd) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        for (int r = 0; r < w.rows(); r++) {
            long wi = (long) r * w.stride();
            long gi = (long) r * g.stride();
            for (int c = 0; c < w.cols(); c++) {
                float p = ws.getAtIndex(FLOAT, wi + c);
                float grad = Math.fma(wd, p, gs.getAtIndex(FLOAT, gi + c));
                ws.setAtIndex(FLOAT, wi + c, Math.fma(-lr, grad, p));
            }
        }
    }

    @Override
    protected void momentumRule(Matrix w, Matrix g, Matrix v, float lr, float wd, float mu,
                                float gradWeight, float velocityWeight) {
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        MemorySegment vs = v.segment();
        for (int r = 0; r < w.rows(); r++) {
            long wi = (long) r * w.stride();
            long gi = (long) r * g.stride();
            long vi = (long) r * v.stride();
            for (int c = 0; c < w.cols(); c++) {
                float p = ws.getAtIndex(FLOAT, wi + c);
                float grad = Math.fma(wd, p, gs.getAtIndex(FLOAT, gi + c));
                float vel = Math.fma(mu, vs.getAtIndex(FLOAT, vi + c), grad);
                vs.setAtIndex(FLOAT, vi + c, vel);
                ws.setAtIndex(FLOAT, wi + c, Math.fma(-lr, Math.fma(velocityWeight, vel, gradWeight * grad), p));
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
        for (int r = 0; r < w.rows(); r++) {
            long wi = (long) r * w.stride();
            long gi = (long) r * g.stride();
            long mi = (long) r * m.stride();
            long vi = (long) r * v.stride();
            for (int c = 0; c < w.cols(); c++) {
                float p = ws.getAtIndex(FLOAT, wi + c);
                float grad = Math.fma(l2, p, gs.getAtIndex(FLOAT, gi + c));
                float m1 = Math.fma(beta1, ms.getAtIndex(FLOAT, mi + c), oneMinusBeta1 * grad);
                float m2 = Math.fma(beta2, vs.getAtIndex(FLOAT, vi + c), oneMinusBeta2 * grad * grad);
                ms.setAtIndex(FLOAT, mi + c, m1);
                vs.setAtIndex(FLOAT, vi + c, m2);
                float denominator = Math.fma((float) Math.sqrt(m2), invSqrtC2, epsilon);
                ws.setAtIndex(FLOAT, wi + c, Math.fma(-stepSize, m1 / denominator, decay * p));
            }
        }
    }
}
