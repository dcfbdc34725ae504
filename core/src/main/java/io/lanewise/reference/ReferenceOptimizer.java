package io.lanewise.reference;

import io.lanewise.spec.Optimizer;

/**
 * The update rules of {@link Optimizer}, in double, over a list of parameter tensors, with the state
 * they keep (SGD's velocity; Adam's first and second moments) and the step count. Not thread safe.
 */
public final class ReferenceOptimizer {
    private final Optimizer spec;
    private final double[][] first;
    private final double[][] second;
    private long steps;

    /** An optimizer for tensors of the given sizes, its state at zero. */
    public ReferenceOptimizer(Optimizer spec, int[] tensorSizes) {
        this.spec = spec;
        this.first = new double[tensorSizes.length][];
        this.second = new double[tensorSizes.length][];
        for (int i = 0; i < tensorSizes.length; i++) {
            first[i] = new double[tensorSizes[i]];
            second[i] = new double[tensorSizes[i]];
        }
    }

    /** Updates done so far. */
    public long steps() {
        return steps;
    }

    /** SGD's velocity or Adam's first moment, per tensor (live, not a copy). */
    public double[][] firstMoment() {
        return first;
    }

    /** Adam's second moment, per tensor (live, not a copy). */
    public double[][] secondMoment() {
        return second;
    }

    /** The L2 norm of all gradients together. */
    public static double globalNorm(double[][] grads) {
        double sum = 0;
        for (double[] g : grads) {
            for (double v : g) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * One update of every tensor: clips {@code grads} in place if the spec asks, then updates
     * {@code params} and the state.
     *
     * @return the global gradient norm before clipping
     * @throws IllegalArgumentException if the tensors do not match the sizes given at construction
     */
    public double step(double[][] params, double[][] grads) {
        if (params.length != first.length || grads.length != first.length) {
            throw new IllegalArgumentException("expected " + first.length + " parameter and gradient tensors, got "
                    + params.length + " and " + grads.length);
        }
        for (int i = 0; i < first.length; i++) {
            if (params[i].length != first[i].length || grads[i].length != first[i].length) {
                throw new IllegalArgumentException("tensor " + i + ": expected " + first[i].length
                        + " elements, got parameters " + params[i].length + " and gradients " + grads[i].length);
            }
        }
        double norm = globalNorm(grads);
        if (spec.clipNorm() > 0 && norm > spec.clipNorm()) {
            double scale = spec.clipNorm() / (norm + Optimizer.CLIP_EPSILON);
            for (double[] g : grads) {
                for (int j = 0; j < g.length; j++) {
                    g[j] *= scale;
                }
            }
        }
        double lr = spec.schedule().rate(steps);
        steps++;
        for (int i = 0; i < params.length; i++) {
            switch (spec.kind()) {
                case SGD -> sgd(params[i], grads[i], first[i], lr);
                case ADAM, ADAMW -> adam(params[i], grads[i], first[i], second[i], lr);
            }
        }
        return norm;
    }

    private void sgd(double[] w, double[] g, double[] v, double lr) {
        double mu = spec.momentum();
        for (int j = 0; j < w.length; j++) {
            double grad = g[j] + spec.weightDecay() * w[j];
            if (mu == 0) {
                w[j] -= lr * grad;
                continue;
            }
            v[j] = mu * v[j] + grad;
            w[j] -= lr * (spec.nesterov() ? grad + mu * v[j] : v[j]);
        }
    }

    private void adam(double[] w, double[] g, double[] m, double[] v, double lr) {
        boolean decoupled = spec.kind() == Optimizer.Kind.ADAMW;
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double correction1 = 1 - Math.pow(b1, steps);
        double correction2 = 1 - Math.pow(b2, steps);
        for (int j = 0; j < w.length; j++) {
            double grad = g[j];
            if (decoupled) {
                w[j] -= lr * spec.weightDecay() * w[j];
            } else {
                grad += spec.weightDecay() * w[j];
            }
            m[j] = b1 * m[j] + (1 - b1) * grad;
            v[j] = b2 * v[j] + (1 - b2) * grad * grad;
            w[j] -= lr * (m[j] / correction1) / (Math.sqrt(v[j] / correction2) + spec.epsilon());
        }
    }
}
