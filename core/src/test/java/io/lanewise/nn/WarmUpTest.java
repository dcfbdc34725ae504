package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SharedModel#warmUp} and {@link Trainer#warmUp}: they cover the batch sizes in use, stop on convergence or
 * budget, change nothing that training or prediction returns, and run while other threads predict and publish.
 */
class WarmUpTest {
    private static final MlpSpec SPEC = MlpSpec.builder(24).dense(40, Activation.RELU).dense(20, Activation.TANH)
            .dense(5, Activation.IDENTITY).seed(8).build();
    /** Over at once: a warm-up then makes exactly one round. */
    private static final Duration SPENT = Duration.ofNanos(1);

    private static float[] rows(int count, int width) {
        float[] x = new float[count * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i * 0.61);
        }
        return x;
    }

    @Test
    void badBudgetsAreRefused() {
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(8).build()) {
            for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-5), null}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.warmUp(bad));
                assertTrue(e.getMessage().contains("positive duration, got " + bad), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> trainer.warmUp(bad));
            }
        }
    }

    @Test
    void closedModelsAndTrainersAreRefused() {
        Network network = Network.create(SPEC);
        SharedModel model = SharedModel.of(network);
        Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(8).build();
        model.close();
        trainer.close();
        assertThrows(IllegalStateException.class, () -> model.warmUp(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, () -> trainer.warmUp(Duration.ofSeconds(1)));
        network.close();
    }

    @Test
    void aModelWarmUpCoversBatchOneAndEveryOpenPredictorsBatch() {
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network)) {
            assertEquals(1, model.warmUp(SPENT).calls(), "no predictors: batch 1 only");
            try (Predictor a = model.newPredictor(1); Predictor b = model.newPredictor(8);
                 Predictor c = model.newPredictor(32); Predictor d = model.newPredictor(8)) {
                WarmUp w = model.warmUp(SPENT);
                assertEquals(3, w.calls(), "one round at batch 1, 8 and 32");
                assertEquals(false, w.converged());
                assertTrue(w.finalLatency().toNanos() > 0 && w.elapsed().toNanos() > 0, w.toString());
            }
        }
    }

    @Test
    void aModelWarmUpConvergesBeforeAGenerousBudgetAndChangesNoPrediction() {
        float[] x = rows(8, 24);
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor one = model.newPredictor(1); Predictor eight = model.newPredictor(8)) {
            float[] before1 = new float[5];
            float[] before8 = new float[40];
            one.predict(Arrays.copyOf(x, 24), before1);
            eight.predict(x, before8);

            WarmUp w = model.warmUp(Duration.ofSeconds(60));
            assertTrue(w.converged(), () -> "did not converge: " + w);
            assertTrue(w.elapsed().compareTo(Duration.ofSeconds(60)) < 0, w.toString());
            assertTrue(w.calls() > 2, w.toString());

            float[] after1 = new float[5];
            float[] after8 = new float[40];
            one.predict(Arrays.copyOf(x, 24), after1);
            eight.predict(x, after8);
            assertArrayEquals(before1, after1);
            assertArrayEquals(before8, after8);
            assertEquals(0, model.publications(), "a warm-up publishes nothing");
            model.publish(network); // the warm-up's own predictor is gone: publishing finds a spare at once
            assertEquals(1, model.publications());
        }
    }

    /** Trains 3 epochs, warming up (or not) before the first and between epochs; returns every parameter and state. */
    private static float[][] train(Optimizer optimizer, int threads, boolean warm) {
        MlpSpec spec = MlpSpec.builder(2).dense(48, Activation.GELU).dense(24, Activation.RELU)
                .dense(2, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(5).build();
        ClassificationData data = TwoSpirals.generate(300, 0.05, 2);
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).threads(threads).build()) {
            EpochRunner runner = new EpochRunner(trainer, data, 3);
            List<float[]> out = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                if (warm) {
                    WarmUp w = trainer.warmUp(Duration.ofMillis(150));
                    assertTrue(w.calls() >= 1, w.toString());
                }
                runner.runEpoch(TrainingListener.NONE);
            }
            out.add(new float[] {trainer.steps(), runner.shuffleState()});
            for (int l = 0; l < spec.depth(); l++) {
                out.add(network.weights(l).toArray());
                out.add(network.biases(l).toArray());
            }
            for (int t = 0; t < 2 * spec.depth(); t++) {
                for (int slot = 0; slot < 2; slot++) {
                    if (trainer.optimizerState(t, slot) != null) {
                        out.add(trainer.optimizerState(t, slot).toArray());
                    }
                }
            }
            return out.toArray(new float[0][]);
        }
    }

    @ParameterizedTest(name = "{0}, {1} thread(s)")
    @CsvSource({"adam, 1", "adam, 2", "sgd-clipped, 1"})
    void trainingGivesTheSameBitsWithAndWithoutWarmUp(String name, int threads) {
        Optimizer optimizer = name.equals("adam") ? Optimizer.adam(0.01)
                : Optimizer.sgd(0.05, 0.9, true).withClipNorm(0.5);
        float[][] cold = train(optimizer, threads, false);
        float[][] warm = train(optimizer, threads, true);
        assertEquals(cold.length, warm.length);
        for (int t = 0; t < cold.length; t++) {
            assertArrayEquals(cold[t], warm[t], "tensor " + t + " (0: step count and shuffle state)");
        }
    }

    @Test
    void aTrainerWarmUpCoversTheBatchOneRowLessAndOneRow() {
        try (Network network = Network.create(SPEC);
             Trainer eight = Trainer.builder(network, Optimizer.adam(0.01)).batchSize(8).build();
             Trainer two = Trainer.builder(network, Optimizer.adam(0.01)).batchSize(2).build();
             Trainer one = Trainer.builder(network, Optimizer.adam(0.01)).batchSize(1).build()) {
            assertEquals(3, eight.warmUp(SPENT).calls(), "one round: 8, 7 and 1 rows");
            assertEquals(2, two.warmUp(SPENT).calls(), "one round: 2 and 1 rows");
            assertEquals(1, one.warmUp(SPENT).calls(), "one round: 1 row");
        }
    }

    @Test
    void aTrainerWarmUpTakesTheLossesFloatTargets() {
        MlpSpec spec = MlpSpec.builder(6).dense(9, Activation.SIGMOID).dense(3, Activation.IDENTITY)
                .loss(Loss.MEAN_SQUARED_ERROR).seed(2).build();
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(4).build()) {
            float[] before = network.weights(0).toArray();
            WarmUp w = trainer.warmUp(SPENT);
            assertEquals(3, w.calls(), "one round: 4, 3 and 1 rows");
            assertEquals(0, trainer.steps());
            assertArrayEquals(before, network.weights(0).toArray());
        }
    }

    @Test
    void aModelWarmsUpWhileOtherThreadsPredictAndPublish() throws Exception {
        float[] probe = rows(1, 24);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor witness = model.newPredictor(1)) {
            float[] expected = new float[5];
            witness.predict(probe, expected);
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> threads = new ArrayList<>();
            long[] predictions = new long[2];
            for (int t = 0; t < 2; t++) {
                int index = t;
                threads.add(new Thread(() -> {
                    try (Predictor p = model.newPredictor(4)) {
                        float[] out = new float[5];
                        started.countDown();
                        while (!done.get()) {
                            p.predict(probe, out);
                            if (!Arrays.equals(expected, out)) {
                                throw new AssertionError("prediction changed: " + Arrays.toString(out));
                            }
                            predictions[index]++;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            // The same weights published again and again: the snapshots turn over while the warm-up reads them.
            threads.add(new Thread(() -> {
                started.countDown();
                while (!done.get()) {
                    model.publish(network);
                }
            }));
            threads.forEach(Thread::start);
            started.await();
            WarmUp first = model.warmUp(Duration.ofMillis(300));
            WarmUp second = model.warmUp(Duration.ofMillis(300));
            done.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get(), () -> "a serving thread failed: " + failure.get());
            assertTrue(first.calls() > 2 && second.calls() > 2, first + "; " + second);
            assertTrue(predictions[0] > 0 && predictions[1] > 0, "the serving threads made no predictions");
            assertTrue(model.publications() > 0, "nothing was published during the warm-up");
        }
    }
}
