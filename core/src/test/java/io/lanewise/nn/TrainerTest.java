package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final MlpSpec SPEC = MlpSpec.builder(3).dense(8, Activation.RELU).dense(4, Activation.IDENTITY)
            .seed(1).build();

    private static float[] snapshot(Network n) {
        float[] w0 = n.weights(0).toArray();
        float[] w1 = n.weights(1).toArray();
        float[] all = java.util.Arrays.copyOf(w0, w0.length + w1.length);
        System.arraycopy(w1, 0, all, w0.length, w1.length);
        return all;
    }

    @Test
    void packingSpaceIsSizedToTheModelAndBatch() {
        // 3-8-4 at batch 16: the largest GEMM is 16×8 over K = 16, so a few kilobytes, not 1.2 MB of whole blocks.
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(16).build()) {
            assertTrue(trainer.gemmBytes() <= 16 * 1024, trainer.gemmBytes() + " bytes of GEMM packing space");
        }
    }

    @Test
    void learnsTwoSpiralsThroughTheEpochRunner() {
        MlpSpec spec = MlpSpec.builder(2).dense(64, Activation.TANH).dense(64, Activation.TANH)
                .dense(2, Activation.IDENTITY).seed(7).build();
        ClassificationData train = TwoSpirals.generate(500, 0.02, 1);
        ClassificationData test = TwoSpirals.generate(200, 0.02, 2);
        int[] batches = new int[1];
        int[] lastRows = new int[1];
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.adam(0.01)).batchSize(64).build()) {
            EpochRunner runner = new EpochRunner(trainer, train, 3);
            TrainingListener counter = new TrainingListener() {
                @Override
                public void onBatch(int epoch, int batch, int rows, double loss) {
                    batches[0]++;
                    lastRows[0] = rows;
                }
            };
            double first = runner.runEpoch(counter);
            double last = first;
            for (int e = 1; e < 150; e++) {
                last = runner.runEpoch(counter);
            }
            assertEquals(150 * 8, batches[0], "500 rows in batches of 64 make 8 batches an epoch");
            assertEquals(500 - 7 * 64, lastRows[0], "the last batch is smaller");
            assertTrue(last < first / 10, "loss fell only from " + first + " to " + last);
            try (SharedModel model = SharedModel.of(network); Predictor predictor = model.newPredictor(1)) {
                int correct = 0;
                float[] row = new float[2];
                for (int r = 0; r < test.rows(); r++) {
                    System.arraycopy(test.features(), 2 * r, row, 0, 2);
                    correct += predictor.predictClass(row) == test.labels()[r] ? 1 : 0;
                }
                assertTrue(correct >= 0.95 * test.rows(), "held-out accuracy " + correct + "/" + test.rows());
            }
        }
    }

    @Test
    void everyInputFormGivesTheSameStep() {
        float[] x = {0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f};
        int[] labels = {9, 3, 1}; // the batch's labels are [3, 1] at offset 1
        float[][] results = new float[4][];
        for (int form = 0; form < 4; form++) {
            try (Network network = Network.create(SPEC);
                 Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(4).build();
                 Arena arena = Arena.ofConfined();
                 Storage staged = Storage.ofMatrix(2, 3)) {
                switch (form) {
                    case 0 -> trainer.step(x, new int[] {3, 1});
                    case 1 -> {
                        staged.matrix(0).copyFrom(x);
                        trainer.step(staged.matrix(0), labels, 1);
                    }
                    case 2 -> {
                        MemorySegment segment = arena.allocate(4 + 24);
                        for (int i = 0; i < 6; i++) {
                            segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4 + 4L * i, x[i]);
                        }
                        trainer.step(segment, 4, 2, labels, 1);
                    }
                    default -> {
                        UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 + 24]);
                        for (int i = 0; i < 6; i++) {
                            buffer.putFloat(8 + 4 * i, x[i], ByteOrder.LITTLE_ENDIAN);
                        }
                        trainer.step(buffer, 8, 2, labels, 1);
                    }
                }
                results[form] = snapshot(network);
            }
        }
        for (int form = 1; form < 4; form++) {
            assertArrayEquals(results[0], results[form], "input form " + form);
        }
    }

    @Test
    void badInputIsRejectedBeforeAnythingChanges() {
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, Optimizer.adam(0.1)).batchSize(4).build()) {
            float[] before = snapshot(network);
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(new float[7], new int[] {0, 1}));
            assertTrue(width.getMessage().contains("expected 6 input floats (2 rows of 3), got 7"), width.getMessage());
            IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(new float[6], new int[] {0, 4}));
            assertTrue(label.getMessage().contains("label 4 at row 1"), label.getMessage());
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(new float[15], new int[] {0, 1, 2, 3, 0}));
            assertTrue(big.getMessage().contains("1..4 rows, got 5"), big.getMessage());
            IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(new float[6], new float[8]));
            assertTrue(kind.getMessage().contains("takes integer class labels"), kind.getMessage());
            float[] nan = {Float.NaN, 0, 0, 0, 0, 0};
            IllegalStateException loss = assertThrows(IllegalStateException.class,
                    () -> trainer.step(nan, new int[] {0, 1}));
            assertTrue(loss.getMessage().contains("loss is NaN at step 0"), loss.getMessage());
            assertArrayEquals(before, snapshot(network), "parameters changed by rejected steps");
            assertEquals(0, trainer.steps());
            trainer.close();
            assertThrows(IllegalStateException.class, () -> trainer.step(new float[6], new int[] {0, 1}));
        }
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(null, Optimizer.sgd(0.1)));
        try (Network network = Network.create(SPEC)) {
            assertThrows(IllegalArgumentException.class, () -> Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(0));
            assertThrows(IllegalArgumentException.class, () -> Trainer.builder(network, Optimizer.sgd(0.1)).threads(0));
        }
    }

    @Test
    void aBatchSizeBeyondMemoryIsAnIllegalArgumentStatingTheBytes() {
        MlpSpec spec = MlpSpec.builder(784).dense(256, Activation.RELU).dense(10, Activation.IDENTITY).build();
        try (Network network = Network.create(spec)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.builder(network, Optimizer.adam(1e-3)).batchSize(Integer.MAX_VALUE).build());
            assertTrue(e.getMessage().startsWith("a trainer with batch size 2147483647 would need "), e.getMessage());
            assertTrue(e.getMessage().contains(" bytes (") && e.getMessage().contains("GiB) of off-heap memory"),
                    e.getMessage());
            try (SharedModel model = SharedModel.of(network)) {
                IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                        () -> model.newPredictor(Integer.MAX_VALUE));
                assertTrue(p.getMessage().startsWith("a predictor with max batch 2147483647 would need "), p.getMessage());
            }
        }
    }

    @Test
    void aForgottenTrainerStopsItsWorkersOnceUnreachable() throws InterruptedException {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Network network = Network.create(SPEC)) {
            Trainer.builder(network, Optimizer.sgd(0.1)).batchSize(4).threads(3).build(); // never closed
            java.util.List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.getName().startsWith("lanewise-gemm-")).toList();
            assertEquals(2, workers.size(), "two workers besides the caller");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (workers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
            }
            assertTrue(workers.stream().noneMatch(Thread::isAlive), "the workers of an unreachable trainer stopped");
        }
    }

    @Test
    void regressionTakesFloatTargetRows() {
        MlpSpec spec = MlpSpec.builder(2).dense(16, Activation.TANH).dense(1, Activation.IDENTITY)
                .loss(Loss.MEAN_SQUARED_ERROR).seed(2).build();
        float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        float[] y = {0, 1, 1, 0};
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.adam(0.05)).batchSize(4).build()) {
            double loss = 0;
            for (int i = 0; i < 500; i++) {
                loss = trainer.step(x, y);
            }
            assertTrue(loss < 0.01, "XOR regression loss " + loss);
            IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(new float[2], new int[] {0}));
            assertTrue(array.getMessage().contains("takes float target rows of width 1"), array.getMessage());
            IllegalArgumentException gathered = assertThrows(IllegalArgumentException.class,
                    () -> trainer.stepGathered(x, new int[] {0, 1, 1, 0}, new int[] {0, 1}, 0, 2));
            assertTrue(gathered.getMessage().contains("takes float target rows"), gathered.getMessage());
            try (Storage one = Storage.ofMatrix(1, 2)) {
                IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                        () -> trainer.step(one.matrix(0), new int[] {0}, 0));
                assertTrue(labels.getMessage().contains("takes float target rows of width 1"), labels.getMessage());
            }
        }
    }
}
