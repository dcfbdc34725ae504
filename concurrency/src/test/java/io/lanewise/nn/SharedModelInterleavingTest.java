package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/**
 * {@link SharedModel}'s snapshot protocol under Fray: each test runs many times, and at every synchronisation
 * point (a volatile access, a lock, a thread's start or join) Fray chooses which thread goes on, exploring
 * the interleavings of a publisher, readers and a closer systematically rather than by chance.
 *
 * <p>What that granularity sees: a prediction runs one GEMM per layer, and the GEMM's check that it is open
 * reads a volatile, so another thread may run between two layers of a prediction. A publication that overwrote
 * the snapshot being read would show as an output mixing two models' layers, which matches no published model;
 * a close that freed it would show as a failure other than the model's own "used after close()". Loading a
 * snapshot has no synchronisation point, so Fray sees a publication as one step.
 *
 * <p>The networks have two layers and distinct weights, and every output is compared bit for bit with what
 * a predictor of a model of its own gives for each network.
 */
@ExtendWith(FrayTestExtension.class)
class SharedModelInterleavingTest {
    /** Interleavings explored per test; each takes a few milliseconds. */
    private static final int ITERATIONS = 1000;
    private static final MlpSpec SPEC = MlpSpec.builder(4).dense(3, Activation.TANH).dense(2, Activation.IDENTITY)
            .build();
    private static final float[] ROW = {0.5f, -1f, 1.5f, -2f};
    private static final String CLOSED = "shared model used after close()";

    @FrayTest(iterations = ITERATIONS)
    void predictionsWhilePublishingAndClosingSeeOneModelOrAreRefused() throws InterruptedException {
        Network[] networks = networks(3);
        float[][] outputs = outputsOf(networks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SharedModel model = SharedModel.of(networks[0]);
        Predictor predictor = model.newPredictor(1);
        Thread publisher = new Thread(guarded(failure, () -> {
            for (int n = 1; n < networks.length; n++) {
                try {
                    model.publish(networks[n]);
                } catch (IllegalStateException e) {
                    assertEquals(CLOSED, e.getMessage());
                    return;
                }
            }
        }));
        Thread reader = new Thread(guarded(failure, () -> {
            int newest = 0;
            boolean refused = false;
            for (int i = 0; i < 3; i++) {
                float[] out = new float[SPEC.outputWidth()];
                try {
                    predictor.predict(ROW, out);
                } catch (IllegalStateException e) {
                    assertEquals(CLOSED, e.getMessage(), "a prediction failed other than by being refused");
                    refused = true;
                    continue;
                }
                assertTrue(!refused, "a prediction ran after one was refused because the model was closed");
                int seen = publishedModel(outputs, out);
                assertTrue(seen >= newest, "a prediction saw model " + seen + " after one had seen model " + newest);
                newest = seen;
            }
        }));
        Thread closer = new Thread(guarded(failure, model::close));
        startAndJoin(publisher, reader, closer);
        assertNull(failure.get());
        assertEquals(0, model.snapshotBytes(), "close() left snapshots allocated");
        predictor.close();
        closeAll(networks);
    }

    @FrayTest(iterations = ITERATIONS)
    void predictorsComingAndGoingLeavePublishASpareAndFreeNoSnapshotInUse() throws InterruptedException {
        Network[] networks = networks(3);
        float[][] outputs = outputsOf(networks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SharedModel model = SharedModel.of(networks[0]);
        Predictor steady = model.newPredictor(1);
        Thread publisher = new Thread(guarded(failure, () -> {
            for (int n : new int[] {1, 2, 1}) {
                model.publish(networks[n]);
            }
        }));
        Thread reader = new Thread(guarded(failure, () -> predictTwice(steady, outputs)));
        Thread churn = new Thread(guarded(failure, () -> {
            for (int i = 0; i < 2; i++) {
                try (Predictor passing = model.newPredictor(1)) {
                    predictTwice(passing, outputs);
                }
            }
        }));
        startAndJoin(publisher, reader, churn);
        assertNull(failure.get());
        assertEquals(3 * Snapshot.bytesFor(SPEC), model.snapshotBytes(), "one open predictor: three snapshots");
        steady.close();
        model.close();
        assertEquals(0, model.snapshotBytes(), "close() left snapshots allocated");
        closeAll(networks);
    }

    private static void predictTwice(Predictor predictor, float[][] outputs) {
        for (int i = 0; i < 2; i++) {
            float[] out = new float[SPEC.outputWidth()];
            predictor.predict(ROW, out);
            publishedModel(outputs, out);
        }
    }

    /** The index of the network whose output this is, bit for bit; a mix of two is a torn read. */
    private static int publishedModel(float[][] outputs, float[] out) {
        for (int n = 0; n < outputs.length; n++) {
            if (Arrays.equals(outputs[n], out)) {
                return n;
            }
        }
        throw new AssertionError("torn read: " + Arrays.toString(out) + " is the output of no published network "
                + Arrays.deepToString(outputs));
    }

    private static Network[] networks(int count) {
        Network[] networks = new Network[count];
        for (int n = 0; n < count; n++) {
            networks[n] = Network.create(MlpSpec.builder(SPEC.inputWidth()).dense(3, Activation.TANH)
                    .dense(2, Activation.IDENTITY).seed(n + 1).build());
        }
        return networks;
    }

    private static float[][] outputsOf(Network[] networks) {
        float[][] outputs = new float[networks.length][SPEC.outputWidth()];
        for (int n = 0; n < networks.length; n++) {
            try (SharedModel alone = SharedModel.of(networks[n]); Predictor p = alone.newPredictor(1)) {
                p.predict(ROW, outputs[n]);
            }
        }
        return outputs;
    }

    private static Runnable guarded(AtomicReference<Throwable> failure, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                throw t;
            }
        };
    }

    private static void startAndJoin(Thread... threads) throws InterruptedException {
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void closeAll(Network[] networks) {
        for (Network n : networks) {
            n.close();
        }
    }
}
