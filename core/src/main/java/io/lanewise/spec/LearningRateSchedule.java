package io.lanewise.spec;

/**
 * The learning rate as a function of the optimizer step (0 for the first update). Called once per
 * step, never per element.
 */
public sealed interface LearningRateSchedule {

    /** The learning rate for update number {@code step} (0-based). */
    double rate(long step);

    /** Always {@code rate}. */
    static LearningRateSchedule constant(double rate) {
        return new Constant(rate);
    }

    /** {@code rate · gamma^floor(step / every)}. */
    static LearningRateSchedule step(double rate, long every, double gamma) {
        return new Step(rate, every, gamma);
    }

    /** Cosine from {@code rate} at step 0 down to {@code min} at {@code totalSteps}, then {@code min}. */
    static LearningRateSchedule cosine(double rate, long totalSteps, double min) {
        return new Cosine(rate, totalSteps, min);
    }

    /** Linear warm-up: {@code then.rate(0) · (step + 1) / steps} for the first steps, then {@code then} from its step 0. */
    static LearningRateSchedule warmup(long steps, LearningRateSchedule then) {
        return new Warmup(steps, then);
    }

    private static void checkRate(String what, double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + rate);
        }
    }

    private static void checkSteps(String what, long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + steps);
        }
    }

    /** A constant rate. */
    record Constant(double value) implements LearningRateSchedule {
        /** Validates. */
        public Constant {
            checkRate("learning rate", value);
        }

        @Override
        public double rate(long step) {
            return value;
        }
    }

    /** Step decay. */
    record Step(double initial, long every, double gamma) implements LearningRateSchedule {
        /** Validates. */
        public Step {
            checkRate("learning rate", initial);
            checkSteps("step decay interval", every);
            checkRate("step decay gamma", gamma);
        }

        @Override
        public double rate(long step) {
            return initial * Math.pow(gamma, (double) (step / every));
        }
    }

    /** Cosine annealing. */
    record Cosine(double initial, long totalSteps, double min) implements LearningRateSchedule {
        /** Validates. */
        public Cosine {
            checkRate("learning rate", initial);
            checkSteps("cosine total steps", totalSteps);
            if (!(min >= 0) || min > initial) {
                throw new IllegalArgumentException("cosine minimum must be in [0, " + initial + "], got " + min);
            }
        }

        @Override
        public double rate(long step) {
            if (step >= totalSteps) {
                return min;
            }
            return min + 0.5 * (initial - min) * (1 + Math.cos(Math.PI * step / totalSteps));
        }
    }

    /** Linear warm-up in front of another schedule. */
    record Warmup(long steps, LearningRateSchedule then) implements LearningRateSchedule {
        /** Validates. */
        public Warmup {
            checkSteps("warm-up steps", steps);
            if (then == null) {
                throw new IllegalArgumentException("warm-up needs a schedule to hand over to");
            }
        }

        @Override
        public double rate(long step) {
            return step < steps ? then.rate(0) * (step + 1) / steps : then.rate(step - steps);
        }
    }
}
