package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.memory.Storage;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceMlp;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PredictorTest {
    private static final MlpSpec SPEC = MlpSpec.builder(37).dense(129, Activation.GELU).dense(33, Activation.SILU)
            .dense(10, Activation.IDENTITY).seed(12).build();

    private static float[] input(int rows) {
        float[] x = new float[rows * 37];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        return x;
    }

    @Test
    void batchOneAndBatchesAgreeWithTheReference() {
        ReferenceMlp reference = new ReferenceMlp(SPEC);
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor predictor = model.newPredictor(17)) {
            for (int rows : new int[] {1, 2, 3, 8, 9, 17}) {
                float[] x = input(rows);
                float[] out = new float[rows * 10];
                predictor.predict(x, out);
                double[] expected = reference.predict(DoubleMatrix.of(rows, 37, x)).data();
                for (int i = 0; i < out.length; i++) {
                    assertEquals(expected[i], out[i], 1e-4 + 1e-4 * Math.abs(expected[i]), rows + " rows, output " + i);
                }
                if (rows == 1) {
                    int best = 0;
                    for (int c = 1; c < 10; c++) {
                        best = expected[c] > expected[best] ? c : best;
                    }
                    assertEquals(best, predictor.predictClass(x));
                }
            }
        }
    }

    @Test
    void packingSpaceIsSizedToTheServingPath() {
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor one = model.newPredictor(1); Predictor many = model.newPredictor(64)) {
            // Batch 1 packs nothing: only the micro-kernel's dense tile (1 KB at 512 bits), not 4.5 MB of blocks.
            assertTrue(one.gemmBytes() <= 1024, one.gemmBytes() + " bytes of GEMM packing space at batch 1");
            // Above 4 rows, panels of A for the batch's rows over one block of K (64 × 1024 floats, 256 KB, tiles
            // of 6 rows rounding up to 66) and the dense tile, not blocks sized for any call.
            assertTrue(many.gemmBytes() <= 66 * 1024 * 4 + 1024, many.gemmBytes() + " bytes of GEMM packing space at batch 64");
        }
    }

    private static Storage twoMatrices() {
        Storage.Builder plan = Storage.builder();
        plan.matrix(3, 37);
        plan.matrix(3, 10);
        return plan.allocate();
    }

    @Test
    void everyInputFormGivesTheSameOutput() {
        float[] x = input(3);
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor predictor = model.newPredictor(3); Arena arena = Arena.ofConfined();
             Storage io = twoMatrices()) {
            float[] expected = new float[30];
            predictor.predict(x, expected);

            MemorySegment in = arena.allocate(3 * 37 * 4 + 8);
            MemorySegment out = arena.allocate(30 * 4 + 4);
            ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < x.length; i++) {
                in.set(le, 8 + 4L * i, x[i]);
            }
            predictor.predict(in, 8, 3, out, 4);
            for (int i = 0; i < 30; i++) {
                assertEquals(expected[i], out.get(le, 4 + 4L * i));
            }

            UnsafeBuffer bin = new UnsafeBuffer(new byte[3 * 37 * 4 + 12]);
            UnsafeBuffer bout = new UnsafeBuffer(new byte[30 * 4]);
            for (int i = 0; i < x.length; i++) {
                bin.putFloat(12 + 4 * i, x[i], ByteOrder.LITTLE_ENDIAN);
            }
            predictor.predict(bin, 12, 3, bout, 0);
            for (int i = 0; i < 30; i++) {
                assertEquals(expected[i], bout.getFloat(4 * i, ByteOrder.LITTLE_ENDIAN));
            }

            io.matrix(0).copyFrom(x);
            predictor.predict(io.matrix(0), io.matrix(1));
            assertArrayEquals(expected, io.matrix(1).toArray());
        }
    }

    @Test
    void rejectsBadShapesAndUseAfterClose() {
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network)) {
            Predictor predictor = model.newPredictor(2);
            IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                    () -> predictor.predict(new float[40], new float[10]));
            assertTrue(partial.getMessage().contains("whole rows of 37 floats, got 40"), partial.getMessage());
            IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                    () -> predictor.predict(new float[37], new float[9]));
            assertTrue(output.getMessage().contains("expected an output of 10 floats"), output.getMessage());
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> predictor.predict(new float[3 * 37], new float[30]));
            assertTrue(big.getMessage().contains("1..2 rows, got 3"), big.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.newPredictor(0));
            predictor.close();
            assertThrows(IllegalStateException.class, () -> predictor.predict(new float[37], new float[10]));
            MlpSpec other = MlpSpec.builder(37).dense(10, Activation.IDENTITY).build();
            try (Network wrong = Network.create(other)) {
                IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> model.publish(wrong));
                assertTrue(shape.getMessage().contains("network shapes differ"), shape.getMessage());
            }
        }
    }

    @Test
    void neverNamesAClassForNaNScores() {
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor predictor = model.newPredictor(1)) {
            float[] row = input(1);
            int finite = predictor.predictClass(row);
            assertTrue(finite >= 0 && finite < 10);
            row[5] = Float.NaN;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> predictor.predictClass(row));
            assertTrue(e.getMessage().contains("is NaN, so no class can be named"), e.getMessage());
            float[] out = new float[10];
            predictor.predict(row, out); // documented: non-finite input gives non-finite output, unchecked
            assertTrue(Float.isNaN(out[0]));
            assertThrows(IllegalStateException.class, () -> Predictor.bestClass(out, 0, 10));
        }
        assertEquals(2, Predictor.bestClass(new float[] {9, 0, 1, 5, 1}, 1, 4));
        assertEquals(0, Predictor.bestClass(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, 2));
    }

    @Test
    void aPredictorUsedByTwoThreadsAtOnceSaysItBelongsToOne() throws Exception {
        MlpSpec wide = MlpSpec.builder(256).dense(512, Activation.RELU).dense(10, Activation.IDENTITY).seed(1).build();
        try (Network network = Network.create(wide); SharedModel model = SharedModel.of(network);
             Predictor shared = model.newPredictor(8)) {
            float[] x = new float[8 * 256];
            java.util.concurrent.atomic.AtomicReference<Throwable> seen = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            Runnable hammer = () -> {
                float[] out = new float[8 * 10];
                try {
                    start.await();
                    for (int i = 0; i < 20_000 && seen.get() == null; i++) {
                        shared.predict(x, out);
                    }
                } catch (Throwable t) {
                    seen.compareAndSet(null, t);
                }
            };
            Thread a = new Thread(hammer);
            Thread b = new Thread(hammer);
            a.start();
            b.start();
            a.join(60_000);
            b.join(60_000);
            Throwable t = seen.get();
            assertTrue(t instanceof IllegalStateException, "expected IllegalStateException, got " + t);
            assertTrue(t.getMessage().contains("a predictor belongs to one thread at a time"), t.getMessage());
            float[] out = new float[10];
            shared.predict(new float[256], out); // usable again once the calls are over
        }
    }
}
