package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a {@link SharedModel} costs, as its javadoc states it: {@code P + 2} snapshots for {@code P} open
 * predictors, each the packed weights and the bias rows (about 4 bytes per parameter), counted from the
 * allocations themselves; and that shrinking the pool never frees a snapshot in use.
 */
class SharedModelMemoryTest {
    private static final MlpSpec MNIST = MlpSpec.builder(784).dense(256, Activation.RELU).dense(10, Activation.IDENTITY)
            .build();

    @Test
    void aModelHoldsTwoSnapshotsMoreThanItHasPredictorsOfAboutFourBytesPerParameter() {
        long snapshot = Snapshot.bytesFor(MNIST);
        long weightBytes = 4L * MNIST.parameterCount();
        assertTrue(snapshot >= weightBytes && snapshot <= weightBytes * 103 / 100,
                "a snapshot takes " + snapshot + " bytes for " + weightBytes + " bytes of float parameters");
        try (Network network = Network.create(MNIST); SharedModel model = SharedModel.of(network)) {
            assertEquals(2 * snapshot, model.snapshotBytes(), "no predictor");
            List<Predictor> predictors = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                predictors.add(model.newPredictor(4));
                assertEquals((p + 2) * snapshot, model.snapshotBytes(), p + " predictors");
            }
            predictors.removeFirst().close();
            assertEquals(4 * snapshot, model.snapshotBytes(), "a closed predictor's snapshot is freed");
            model.close();
            assertEquals(0, model.snapshotBytes(), "close frees every snapshot");
            predictors.forEach(Predictor::close);
        }
    }

    @Test
    void closingAPredictorNeverFreesTheCurrentSnapshotOrOneBeingRead() {
        MlpSpec spec = MlpSpec.builder(4).dense(3, Activation.IDENTITY).seed(5).build();
        float[] row = {1, -2, 3, -4};
        try (Network network = Network.create(spec); SharedModel model = SharedModel.of(network)) {
            Predictor first = model.newPredictor(1);
            Predictor second = model.newPredictor(1);
            Predictor leaving = model.newPredictor(1);
            float[] before = new float[3];
            first.predict(row, before);
            // two readers descheduled mid-prediction, on two different snapshots
            first.reading = model.current();
            model.publish(network);
            second.reading = model.current();
            model.publish(network);
            List<Snapshot> inUse = List.of(first.reading, second.reading, model.current());
            leaving.close();
            for (Snapshot s : inUse) {
                assertTrue(s.isOpen(), "a snapshot in use was freed when a predictor closed");
            }
            first.reading = null;
            second.reading = null;
            float[] after = new float[3];
            first.predict(row, after);
            assertArrayEquals(before, after);
            first.close();
            second.close();
            assertEquals(2 * Snapshot.bytesFor(spec), model.snapshotBytes());
        }
    }
}
