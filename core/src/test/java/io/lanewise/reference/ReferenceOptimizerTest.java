package io.lanewise.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.LearningRateSchedule;
import io.lanewise.spec.Optimizer;
import org.junit.jupiter.api.Test;

/** Each update rule against values worked by hand (in the comments). */
class ReferenceOptimizerTest {
    private static final double EXACT = 1e-12;

    /** Runs {@code steps} updates of one scalar parameter starting at w with a constant gradient. */
    private static double run(Optimizer spec, double w, double gradient, int steps) {
        ReferenceOptimizer optimizer = new ReferenceOptimizer(spec, new int[] {1});
        double[][] params = {{w}};
        for (int s = 0; s < steps; s++) {
            optimizer.step(params, new double[][] {{gradient}});
        }
        return params[0][0];
    }

    @Test
    void plainSgd() {
        // w = 1 − 0.1·0.5
        assertEquals(0.95, run(Optimizer.sgd(0.1), 1, 0.5, 1), EXACT);
    }

    @Test
    void sgdWithMomentum() {
        // v1 = 0.5, w1 = 1 − 0.05 = 0.95; v2 = 0.9·0.5 + 0.5 = 0.95, w2 = 0.95 − 0.095 = 0.855
        assertEquals(0.95, run(Optimizer.sgd(0.1, 0.9, false), 1, 0.5, 1), EXACT);
        assertEquals(0.855, run(Optimizer.sgd(0.1, 0.9, false), 1, 0.5, 2), EXACT);
    }

    @Test
    void sgdWithNesterovMomentum() {
        // v1 = 0.5, w1 = 1 − 0.1·(0.5 + 0.45) = 0.905; v2 = 0.95, w2 = 0.905 − 0.1·(0.5 + 0.855) = 0.7695
        assertEquals(0.905, run(Optimizer.sgd(0.1, 0.9, true), 1, 0.5, 1), EXACT);
        assertEquals(0.7695, run(Optimizer.sgd(0.1, 0.9, true), 1, 0.5, 2), EXACT);
    }

    @Test
    void sgdWeightDecayIsAddedToTheGradient() {
        // g' = 0.5 + 0.1·1 = 0.6, w = 1 − 0.06
        assertEquals(0.94, run(Optimizer.sgd(0.1).withWeightDecay(0.1), 1, 0.5, 1), EXACT);
    }

    @Test
    void adamFirstAndSecondSteps() {
        // step 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25: w = 1 − 0.1·0.5/(0.5 + 1e-8)
        assertEquals(1 - 0.1 * 0.5 / (0.5 + 1e-8), run(Optimizer.adam(0.1), 1, 0.5, 1), EXACT);
        // step 2: m = 0.095, m̂ = 0.095/0.19 = 0.5; v = 0.00049975, v̂ = 0.00049975/0.001999 = 0.25
        assertEquals(1 - 2 * 0.1 * 0.5 / (0.5 + 1e-8), run(Optimizer.adam(0.1), 1, 0.5, 2), 1e-10);
        // Adam's step does not depend on the gradient's scale: g = −2 moves w up by ≈ lr
        assertEquals(1 + 0.1 * 2 / (2 + 1e-8), run(Optimizer.adam(0.1), 1, -2, 1), EXACT);
    }

    @Test
    void adamL2DecayAndAdamWDecoupledDecayDiffer() {
        // Adam + L2: g' = 0.6, m̂ = 0.6, v̂ = 0.36: w = 1 − 0.1·0.6/(0.6 + 1e-8)
        assertEquals(1 - 0.1 * 0.6 / (0.6 + 1e-8), run(Optimizer.adam(0.1).withWeightDecay(0.1), 1, 0.5, 1), EXACT);
        // AdamW: w = 1 − 0.1·0.1·1 = 0.99 first, then − 0.1·0.5/(0.5 + 1e-8)
        assertEquals(0.99 - 0.1 * 0.5 / (0.5 + 1e-8), run(Optimizer.adamW(0.1, 0.1), 1, 0.5, 1), EXACT);
    }

    @Test
    void clipsByGlobalNormAcrossTensors() {
        ReferenceOptimizer optimizer = new ReferenceOptimizer(Optimizer.sgd(1).withClipNorm(1), new int[] {1, 1});
        double[][] params = {{0}, {0}};
        double[][] grads = {{3}, {4}};
        double norm = optimizer.step(params, grads);
        assertEquals(5, norm, EXACT);
        // scale = 1 / (5 + 1e-6)
        assertEquals(-3 / (5 + 1e-6), params[0][0], EXACT);
        assertEquals(-4 / (5 + 1e-6), params[1][0], EXACT);
        // below the limit nothing is scaled
        assertEquals(0.5, run(Optimizer.sgd(1).withClipNorm(1), 1, 0.5, 1), EXACT);
    }

    @Test
    void followsItsSchedule() {
        // rates 0.25, 0.5 during warm-up: w = 1 − 0.25 − 0.5
        Optimizer warm = Optimizer.sgd(LearningRateSchedule.warmup(4, LearningRateSchedule.constant(1)), 0, false);
        assertEquals(0.25, run(warm, 1, 1, 2), EXACT);
    }

    @Test
    void schedulesGiveHandWorkedRates() {
        assertEquals(0.25, LearningRateSchedule.step(1, 10, 0.5).rate(25), EXACT);
        assertEquals(1, LearningRateSchedule.step(1, 10, 0.5).rate(9), EXACT);
        LearningRateSchedule cosine = LearningRateSchedule.cosine(1, 100, 0.1);
        assertEquals(1, cosine.rate(0), EXACT);
        assertEquals(0.55, cosine.rate(50), EXACT);
        assertEquals(0.1, cosine.rate(100), EXACT);
        assertEquals(0.1, cosine.rate(1000), EXACT);
        LearningRateSchedule warm = LearningRateSchedule.warmup(4, LearningRateSchedule.constant(2));
        assertEquals(0.5, warm.rate(0), EXACT);
        assertEquals(2, warm.rate(3), EXACT);
        assertEquals(2, warm.rate(10), EXACT);
    }

    @Test
    void rejectsTensorsOfTheWrongSize() {
        ReferenceOptimizer optimizer = new ReferenceOptimizer(Optimizer.sgd(1), new int[] {2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> optimizer.step(new double[][] {{1, 2}}, new double[][] {{1}}));
        assertTrue(e.getMessage().contains("expected 2 elements"), e.getMessage());
    }
}
