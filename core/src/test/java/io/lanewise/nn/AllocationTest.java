package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Counts the bytes allocated over warm training steps and predictions, through every entry point ({@code float[]},
 * {@link Matrix}, {@link MemorySegment}, Agrona buffers, gathered rows, the predicted class) and with a second
 * GEMM thread: exactly 0. Vectors in interpreted or C1 code are heap objects, and when C2 compiles (or
 * deoptimizes and recompiles) a kernel depends on the background compiler; so windows are measured until
 * {@value #CHECKED_WINDOWS} in a row allocate nothing, and the test fails if that does not happen within
 * {@value #WARM_WINDOWS} windows. A single empty window is not enough: an allocation that recurs every few
 * windows fails. (Requiring every window after the first empty one to be empty failed 1 run in 3 with 80 bytes,
 * one boxed 512-bit vector: a deoptimization after the kernels had been compiled, the kernels' known gap in the
 * README.) (JMH's {@code -prof gc} gives the same verdict per operation; see bench/.)
 */
class AllocationTest {
    /** At most this many windows. */
    private static final int WARM_WINDOWS = 80;
    /** Consecutive windows that must allocate nothing. */
    private static final int CHECKED_WINDOWS = 5;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final MlpSpec SPEC = MlpSpec.builder(64).dense(48, Activation.RELU).dense(32, Activation.GELU)
            .dense(10, Activation.IDENTITY).seed(2).build();
    /** Wide enough that the middle GEMMs of a batch of 32 (32 x 256 x 128 = 2^20 multiply-adds) reach a worker. */
    private static final MlpSpec WIDE = MlpSpec.builder(64).dense(256, Activation.RELU).dense(128, Activation.GELU)
            .dense(10, Activation.IDENTITY).seed(2).build();
    private static final int BATCH = 32;

    /** Bytes allocated so far by {@code others} and this thread, read last so the count's own work is outside it. */
    private static long allocated(List<Thread> others) {
        long bytes = 0;
        for (int i = 0; i < others.size(); i++) {
            bytes += THREADS.getThreadAllocatedBytes(others.get(i).threadId());
        }
        return bytes + THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Runs {@code window} until {@value #CHECKED_WINDOWS} in a row allocate nothing; fails if they never do. */
    private static void assertWarmWindowsAllocateNothing(String what, Runnable window, List<Thread> others) {
        int emptyInARow = 0;
        long last = -1;
        for (int round = 0; round < WARM_WINDOWS && emptyInARow < CHECKED_WINDOWS; round++) {
            long before = allocated(others);
            window.run();
            last = allocated(others) - before;
            emptyInARow = last == 0 ? emptyInARow + 1 : 0;
        }
        assertEquals(CHECKED_WINDOWS, emptyInARow, what + ": no " + CHECKED_WINDOWS + " windows in a row allocated "
                + "nothing in " + WARM_WINDOWS + "; the last allocated " + last + " bytes");
    }

    private static float[] gaussians(int n, SeededRandom random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static List<Thread> workersStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("lanewise-gemm-")).toList();
    }

    @Test
    void warmTrainingStepsAllocateNothing() {
        SeededRandom random = new SeededRandom(1);
        float[] x = gaussians(BATCH * 64, random);
        int[] labels = new int[BATCH];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = random.nextInt(10);
        }
        for (Optimizer optimizer : new Optimizer[] {Optimizer.sgd(0.01, 0.9, true), Optimizer.adam(1e-3),
                Optimizer.adamW(1e-3, 0.01).withClipNorm(1)}) {
            try (Network network = Network.create(SPEC);
                 Trainer trainer = Trainer.builder(network, optimizer).batchSize(BATCH).build()) {
                assertWarmWindowsAllocateNothing("float[] steps with " + optimizer.kind(), () -> {
                    for (int i = 0; i < 1_000; i++) {
                        trainer.step(x, labels);
                    }
                }, List.of());
            }
        }
    }

    @Test
    void everyTrainingEntryPointAllocatesNothingWithOneOrTwoThreads() {
        SeededRandom random = new SeededRandom(3);
        float[] x = gaussians(BATCH * 64, random);
        int[] labels = new int[BATCH];
        int[] order = new int[BATCH];
        for (int r = 0; r < BATCH; r++) {
            labels[r] = random.nextInt(10);
            order[r] = BATCH - 1 - r;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        direct.asFloatBuffer().put(x);
        UnsafeBuffer agrona = new UnsafeBuffer(direct);
        for (int threads : new int[] {1, 2}) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            try (Arena arena = Arena.ofConfined();
                 Storage staged = Storage.ofMatrix(BATCH, 64);
                 Network network = Network.create(threads == 1 ? SPEC : WIDE);
                 Trainer trainer = Trainer.builder(network, Optimizer.adam(1e-4)).batchSize(BATCH).threads(threads).build()) {
                List<Thread> workers = workersStartedSince(before);
                assertEquals(threads - 1, workers.size());
                Matrix matrix = staged.matrix(0);
                matrix.copyFrom(x);
                MemorySegment segment = arena.allocate((long) x.length * 4);
                MemorySegment.copy(x, 0, segment, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                        x.length);
                String with = " steps, " + threads + " thread(s)";
                assertWarmWindowsAllocateNothing("Matrix" + with, () -> {
                    for (int i = 0; i < 300; i++) {
                        trainer.step(matrix, labels, 0);
                    }
                }, workers);
                assertWarmWindowsAllocateNothing("MemorySegment" + with, () -> {
                    for (int i = 0; i < 300; i++) {
                        trainer.step(segment, 0, BATCH, labels, 0);
                    }
                }, workers);
                assertWarmWindowsAllocateNothing("Agrona buffer" + with, () -> {
                    for (int i = 0; i < 300; i++) {
                        trainer.step(agrona, 0, BATCH, labels, 0);
                    }
                }, workers);
                assertWarmWindowsAllocateNothing("gathered" + with, () -> {
                    for (int i = 0; i < 300; i++) {
                        trainer.stepGathered(x, labels, order, 0, BATCH);
                    }
                }, workers);
                assertWarmWindowsAllocateNothing("float[]" + with, () -> {
                    for (int i = 0; i < 300; i++) {
                        trainer.step(x, labels);
                    }
                }, workers);
                assertTrue(trainer.steps() > 0);
            }
        }
    }

    /** A 16 x 64 input matrix (slot 0) and a 16 x 10 output matrix (slot 1). */
    private static Storage inputAndOutput() {
        Storage.Builder plan = Storage.builder();
        plan.matrix(16, 64);
        plan.matrix(16, 10);
        return plan.allocate();
    }

    @Test
    void everyPredictionEntryPointAllocatesNothing() {
        float[] one = new float[64];
        float[] batch = new float[16 * 64];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (i % 7) * 0.1f;
        }
        float[] out = new float[10];
        float[] outs = new float[16 * 10];
        ByteBuffer direct = ByteBuffer.allocateDirect(batch.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        direct.asFloatBuffer().put(batch);
        UnsafeBuffer in = new UnsafeBuffer(direct);
        UnsafeBuffer agronaOut = new UnsafeBuffer(ByteBuffer.allocateDirect(outs.length * 4));
        try (Arena arena = Arena.ofConfined(); Storage io = inputAndOutput();
             Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor predictor = model.newPredictor(16)) {
            MemorySegment segmentIn = arena.allocate(batch.length * 4L);
            MemorySegment segmentOut = arena.allocate(outs.length * 4L);
            io.matrix(0).copyFrom(batch);
            Matrix matrixIn = io.matrix(0);
            Matrix matrixOut = io.matrix(1);
            assertWarmWindowsAllocateNothing("float[] predictions", () -> {
                for (int i = 0; i < 5_000; i++) {
                    predictor.predict(one, out);
                    predictor.predict(batch, outs);
                }
            }, List.of());
            assertWarmWindowsAllocateNothing("Matrix predictions", () -> {
                for (int i = 0; i < 5_000; i++) {
                    predictor.predict(matrixIn, matrixOut);
                }
            }, List.of());
            assertWarmWindowsAllocateNothing("MemorySegment predictions", () -> {
                for (int i = 0; i < 5_000; i++) {
                    predictor.predict(segmentIn, 0, 16, segmentOut, 0);
                }
            }, List.of());
            assertWarmWindowsAllocateNothing("Agrona predictions", () -> {
                for (int i = 0; i < 5_000; i++) {
                    predictor.predict(in, 0, 16, agronaOut, 0);
                }
            }, List.of());
            assertWarmWindowsAllocateNothing("predicted classes", () -> {
                for (int i = 0; i < 5_000; i++) {
                    predictor.predictClass(one);
                }
            }, List.of());
        }
    }
}
