package io.lanewise.kernels;

import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Optimizer;

/**
 * The update rules of {@link Optimizer}, each in one pass over a parameter matrix, its gradient and its
 * state, as the float twins of {@link io.lanewise.reference.ReferenceOptimizer}. The engine calls them
 * per parameter matrix right after its gradient exists; the learning rate and the step count come from
 * the caller, so schedules and clipping stay outside. The gradient is read, never written.
 *
 * <p>The public methods check their arguments and fold the hyperparameters into a few float
 * coefficients once per call; subclasses implement only the element loops. Stateless, thread safe,
 * allocation free.
 */
public abstract class OptimizerKernels {
    /** For subclasses. */
    protected OptimizerKernels() {
    }

    /**
     * One SGD update ({@code spec.kind()} must be SGD): {@code g' = g + wd·w}; with momentum μ,
     * {@code v = μ·v + g'} and {@code w -= lr·(nesterov ? g' + μ·v : v)}; without, {@code w -= lr·g'}.
     *
     * @param velocity the momentum state, shaped like {@code w}; ignored (may be null) when μ = 0
     * @throws IllegalArgumentException if a shape differs or the spec is not SGD
     */
    public final void sgd(Optimizer spec, float lr, Matrix w, Matrix g, Matrix velocity) {
        if (spec.kind() != Optimizer.Kind.SGD) {
            throw new IllegalArgumentException("sgd needs an SGD spec, got " + spec.kind());
        }
        float wd = (float) spec.weightDecay();
        float mu = (float) spec.momentum();
        if (mu == 0f) {
            KernelChecks.sameShape(w, "gradient", g);
            sgdRule(w, g, lr, wd);
        } else {
            KernelChecks.optimizerOperands(w, g, velocity, null);
            // Nesterov's step g' + μ·v and the classic step v as one branch-free form a·g' + b·v.
            boolean nesterov = spec.nesterov();
            momentumRule(w, g, velocity, lr, wd, mu, nesterov ? 1f : 0f, nesterov ? mu : 1f);
        }
    }

    /**
     * One Adam or AdamW update ({@code spec.kind()} decides): Adam adds {@code wd·w} to the gradient,
     * AdamW multiplies {@code w} by {@code 1 − lr·wd} first; then {@code m = β1·m + (1−β1)·g},
     * {@code v = β2·v + (1−β2)·g²} and {@code w -= (lr / c1) · m / (√v / √c2 + ε)} with the bias
     * corrections {@code c1 = 1 − β1^step}, {@code c2 = 1 − β2^step} computed here, once per call, in double.
     *
     * @param step the 1-based number of this update (1 on the first step)
     * @throws IllegalArgumentException if a shape differs, the spec is SGD, or {@code step < 1}
     */
    public final void adam(Optimizer spec, float lr, long step, Matrix w, Matrix g, Matrix m, Matrix v) {
        if (spec.kind() == Optimizer.Kind.SGD) {
            throw new IllegalArgumentException("adam needs an ADAM or ADAMW spec, got SGD");
        }
        if (step < 1) {
            throw new IllegalArgumentException("the Adam step count is 1-based, got " + step);
        }
        KernelChecks.optimizerOperands(w, g, m, v);
        double wd = spec.weightDecay();
        boolean decoupled = spec.kind() == Optimizer.Kind.ADAMW;
        double c1 = 1 - Math.pow(spec.beta1(), step);
        double c2 = 1 - Math.pow(spec.beta2(), step);
        // Adam's L2 term and AdamW's decay as one branch-free form: g' = g + l2·w, w' = decay·w.
        // 1 − β is rounded from double: 1f − 0.999f would be off by 1.3e-5 relative.
        adamRule(w, g, m, v, decoupled ? 0f : (float) wd, decoupled ? (float) (1 - lr * wd) : 1f,
                (float) spec.beta1(), (float) (1 - spec.beta1()), (float) spec.beta2(), (float) (1 - spec.beta2()),
                (float) (lr / c1), (float) (1 / Math.sqrt(c2)), (float) spec.epsilon());
    }

    /**
     * The update {@code spec} describes: {@link #sgd} or {@link #adam}.
     *
     * @param first  SGD's velocity or Adam's first moment (unused by plain SGD)
     * @param second Adam's second moment (unused by SGD)
     */
    public final void update(Optimizer spec, float lr, long step, Matrix w, Matrix g, Matrix first, Matrix second) {
        if (spec.kind() == Optimizer.Kind.SGD) {
            sgd(spec, lr, w, g, first);
        } else {
            adam(spec, lr, step, w, g, first, second);
        }
    }

    /** {@code w -= lr·(g + wd·w)}; shapes already checked. */
    protected abstract void sgdRule(Matrix w, Matrix g, float lr, float wd);

    /**
     * {@code g' = g + wd·w; v = μ·v + g'; w -= lr·(gradWeight·g' + velocityWeight·v)}, where Nesterov
     * passes (1, μ) and classic momentum (0, 1); shapes already checked.
     */
    protected abstract void momentumRule(Matrix w, Matrix g, Matrix v, float lr, float wd, float mu,
                                         float gradWeight, float velocityWeight);

    /**
     * {@code g' = g + l2·w; w = decay·w; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
     * w -= stepSize·m / (√v·invSqrtC2 + ε)}; shapes already checked.
     */
    protected abstract void adamRule(Matrix w, Matrix g, Matrix m, Matrix v, float l2, float decay,
                                     float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                     float stepSize, float invSqrtC2, float epsilon);
}
