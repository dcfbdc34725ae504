package io.lanewise.spec;

/**
 * How parameters are updated from their gradients, with PyTorch's conventions:
 * <ul>
 *   <li>SGD: {@code g += wd·w; v = μ·v + g; w -= lr·(nesterov ? g + μ·v : v)} (plain SGD when μ = 0);</li>
 *   <li>Adam: {@code g += wd·w; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 *       w -= lr · (m / (1-β1^t)) / (√(v / (1-β2^t)) + ε)};</li>
 *   <li>AdamW: Adam without the {@code g += wd·w}, and {@code w -= lr·wd·w} first (decoupled decay).</li>
 * </ul>
 * Weight decay applies to every parameter, biases included. With {@code clipNorm > 0}, all gradients are
 * first scaled by {@code clipNorm / (norm + 1e-6)} when their global L2 norm exceeds {@code clipNorm}.
 * Immutable; the {@code with...} methods return a modified copy.
 *
 * @param kind        SGD, ADAM or ADAMW
 * @param schedule    the learning rate per step
 * @param momentum    SGD momentum μ in [0, 1)
 * @param nesterov    SGD Nesterov momentum (needs μ &gt; 0)
 * @param beta1       Adam's first-moment decay in [0, 1)
 * @param beta2       Adam's second-moment decay in [0, 1)
 * @param epsilon     Adam's denominator term, positive
 * @param weightDecay non-negative decay factor
 * @param clipNorm    global gradient-norm limit; 0 for none
 */
public record Optimizer(Kind kind, LearningRateSchedule schedule, double momentum, boolean nesterov,
                        double beta1, double beta2, double epsilon, double weightDecay, double clipNorm) {

    /** The update rules. */
    public enum Kind {
        /** Stochastic gradient descent, optionally with (Nesterov) momentum. */
        SGD,
        /** Adam with L2 weight decay added to the gradient. */
        ADAM,
        /** Adam with decoupled weight decay. */
        ADAMW
    }

    /** Clipping adds this to the norm before dividing, as PyTorch's clip_grad_norm_ does. */
    public static final double CLIP_EPSILON = 1e-6;

    /** Validates every hyperparameter, naming the one out of range. */
    public Optimizer {
        if (kind == null || schedule == null) {
            throw new IllegalArgumentException("optimizer kind and learning-rate schedule must not be null");
        }
        checkUnitInterval("momentum", momentum);
        checkUnitInterval("beta1", beta1);
        checkUnitInterval("beta2", beta2);
        if (nesterov && !(momentum > 0)) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0, got " + momentum);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be positive and finite, got " + epsilon);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be >= 0 and finite, got " + weightDecay);
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be >= 0 and finite (0 = off), got " + clipNorm);
        }
    }

    private static void checkUnitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }

    /** Plain SGD at a constant rate. */
    public static Optimizer sgd(double learningRate) {
        return sgd(LearningRateSchedule.constant(learningRate), 0, false);
    }

    /** SGD with momentum, optionally Nesterov. */
    public static Optimizer sgd(double learningRate, double momentum, boolean nesterov) {
        return sgd(LearningRateSchedule.constant(learningRate), momentum, nesterov);
    }

    /** SGD on a schedule. */
    public static Optimizer sgd(LearningRateSchedule schedule, double momentum, boolean nesterov) {
        return new Optimizer(Kind.SGD, schedule, momentum, nesterov, 0.9, 0.999, 1e-8, 0, 0);
    }

    /** Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public static Optimizer adam(double learningRate) {
        return adam(LearningRateSchedule.constant(learningRate));
    }

    /** Adam on a schedule. */
    public static Optimizer adam(LearningRateSchedule schedule) {
        return new Optimizer(Kind.ADAM, schedule, 0, false, 0.9, 0.999, 1e-8, 0, 0);
    }

    /** AdamW with decoupled weight decay {@code weightDecay} (PyTorch's default is 0.01). */
    public static Optimizer adamW(double learningRate, double weightDecay) {
        return new Optimizer(Kind.ADAMW, LearningRateSchedule.constant(learningRate), 0, false, 0.9, 0.999, 1e-8,
                weightDecay, 0);
    }

    /** This optimizer with another weight decay. */
    public Optimizer withWeightDecay(double decay) {
        return new Optimizer(kind, schedule, momentum, nesterov, beta1, beta2, epsilon, decay, clipNorm);
    }

    /** This optimizer with gradient clipping by global norm ({@code 0} turns it off). */
    public Optimizer withClipNorm(double norm) {
        return new Optimizer(kind, schedule, momentum, nesterov, beta1, beta2, epsilon, weightDecay, norm);
    }

    /** This optimizer with Adam's betas and epsilon. */
    public Optimizer withAdamParameters(double b1, double b2, double eps) {
        return new Optimizer(kind, schedule, momentum, nesterov, b1, b2, eps, weightDecay, clipNorm);
    }

    /** This optimizer with another schedule. */
    public Optimizer withSchedule(LearningRateSchedule s) {
        return new Optimizer(kind, s, momentum, nesterov, beta1, beta2, epsilon, weightDecay, clipNorm);
    }

    /** Number of state slots per parameter: 1 for SGD with momentum, 2 for Adam(W), 0 for plain SGD. */
    public int stateSlots() {
        return switch (kind) {
            case SGD -> momentum > 0 ? 1 : 0;
            case ADAM, ADAMW -> 2;
        };
    }
}
