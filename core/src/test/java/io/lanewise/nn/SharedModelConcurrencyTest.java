package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Several predicting threads and one thread that trains and publishes: every prediction equals the
 * output of one published snapshot, never a mix of two. Bounded in publications and predictions.
 */
class SharedModelConcurrencyTest {
    private static final int PUBLICATIONS = 300;
    private static final int READERS = 3;

    @Test
    void everyPredictionComesFromOnePublishedSnapshot() throws Exception {
        MlpSpec spec = MlpSpec.builder(32).dense(64, Activation.TANH).dense(8, Activation.IDENTITY).seed(3).build();
        float[] probe = new float[32];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = (i - 16) / 8f;
        }
        Set<String> published = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<List<String>> seen = new ArrayList<>();
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.5)).batchSize(8).build();
             SharedModel shared = SharedModel.of(network);
             SharedModel witness = SharedModel.of(network);
             Predictor expected = witness.newPredictor(1)) {
            float[] out = new float[8];
            expected.predict(probe, out);
            published.add(Arrays.toString(out));
            CountDownLatch ready = new CountDownLatch(READERS);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < READERS; t++) {
                List<String> mine = new ArrayList<>();
                seen.add(mine);
                Thread reader = new Thread(() -> {
                    try (Predictor predictor = shared.newPredictor(1)) {
                        float[] o = new float[8];
                        ready.countDown();
                        while (!done.get() && mine.size() < 200_000) {
                            predictor.predict(probe, o);
                            mine.add(Arrays.toString(o));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            ready.await();
            SeededRandom random = new SeededRandom(1);
            float[] x = new float[8 * 32];
            int[] labels = new int[8];
            for (int p = 0; p < PUBLICATIONS; p++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                for (int r = 0; r < 8; r++) {
                    labels[r] = random.nextInt(8);
                }
                trainer.step(x, labels);
                witness.publish(network);
                expected.predict(probe, out);
                published.add(Arrays.toString(out)); // recorded before the readers can see it
                shared.publish(network);
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertEquals(null, failure.get(), "a reader failed");
            assertEquals(PUBLICATIONS, shared.publications());
        }
        int total = 0;
        Set<String> distinct = new java.util.HashSet<>();
        for (List<String> mine : seen) {
            for (String prediction : mine) {
                assertTrue(published.contains(prediction), "a prediction matches no published snapshot: " + prediction);
                distinct.add(prediction);
            }
            total += mine.size();
        }
        assertTrue(total > 0, "no predictions were made");
        assertTrue(distinct.size() > 1, "readers only ever saw one snapshot; the test did not exercise publication");
    }

    @Test
    void publishNeverWaitsEvenWhenEveryOlderSnapshotIsStillBeingRead() {
        MlpSpec spec = MlpSpec.builder(4).dense(3, Activation.IDENTITY).build();
        try (Network network = Network.create(spec); SharedModel model = SharedModel.of(network)) {
            List<Predictor> stalled = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                stalled.add(model.newPredictor(1));
            }
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
                for (Predictor p : stalled) {
                    p.reading = model.current(); // a reader descheduled mid-prediction on each snapshot in turn
                    model.publish(network);
                }
                model.publish(network);
            });
            stalled.forEach(p -> p.reading = null);
            stalled.forEach(Predictor::close);
        }
    }

    @Test
    void closeWaitsForPredictionsInFlightAndRefusesLaterOnes() throws Exception {
        MlpSpec spec = MlpSpec.builder(4).dense(3, Activation.IDENTITY).build();
        try (Network network = Network.create(spec)) {
            SharedModel model = SharedModel.of(network);
            Predictor predictor = model.newPredictor(1);
            Snapshot inFlight = model.current();
            predictor.reading = inFlight; // a prediction in progress on another thread
            Thread closer = new Thread(model::close);
            closer.start();
            closer.join(300);
            assertTrue(closer.isAlive(), "close() returned while a prediction was in flight");
            assertTrue(inFlight.isOpen(), "the snapshot being read was freed under its reader");
            predictor.reading = null;
            closer.join(10_000);
            assertTrue(!closer.isAlive() && !inFlight.isOpen(), "close() finished once the prediction had");
            IllegalStateException later = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> predictor.predict(new float[4], new float[3]));
            assertTrue(later.getMessage().contains("shared model used after close()"), later.getMessage());
            predictor.close();
            model.close(); // idempotent
        }
    }
}
