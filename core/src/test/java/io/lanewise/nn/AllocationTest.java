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
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Counts the bytes allocated over warm training steps and predictions, through every entry point ({@code float[]},
 * {@link Matrix}, {@link MemorySegment}, Agrona buffers, gathered rows, the predicted class) and with a second
 * GEMM thread: exactly 0 in every window once compiled. Vectors in interpreted or C1 code are heap objects, and when
 * C2 compiles a kernel depends on the background compiler; so windows are measured until {@value #CLEAN_IN_A_ROW}
 * in a row are quiet, allocating nothing while the JIT compiles nothing (the warm-up, failing if that does not
 * happen within {@value #WARM_WINDOWS} windows), and then each of the next {@value #CHECKED_WINDOWS} must allocate
 * nothing. Why the JIT must be quiet too: asking it to compile allocates, once per class. When a method is queued
 * for C2, HotSpot resolves every string constant of its class and loads the classes named in its signature, on
 * the thread that called it: when {@code ForwardPass.run} reached C2, 10 KB went to loading {@code Snapshot}, which
 * its signature names and training never uses. While the JIT is busy, its queue raises the thresholds of the
 * methods still waiting: a step's {@code ForwardPass.run} reached C2 after 5 clean windows, and failed CI. With the
 * JIT quiet as well, 12 runs of the four allocation executions passed, their warm-ups 6 to 31 windows long. What runs inside
 * the windows is in a class of its own, {@link Measured}, without string constants, so that its compilation in the
 * middle of the windows allocates nothing. (JMH's {@code -prof gc} gives the same verdict per operation; see
 * bench/.)
 */
class AllocationTest {
    /** At most this many windows to warm up. */
    private static final int WARM_WINDOWS = 80;
    /** Windows in a row that allocate nothing while the JIT compiles nothing end the warm-up. */
    private static final int CLEAN_IN_A_ROW = 5;
    /** Windows after the warm-up, each of which must allocate nothing. */
    private static final int CHECKED_WINDOWS = 20;

    private static final MlpSpec SPEC = MlpSpec.builder(64).dense(48, Activation.RELU).dense(32, Activation.GELU)
            .dense(10, Activation.IDENTITY).seed(2).build();
    /** Wide enough that the middle GEMMs of a batch of 32 (32 x 256 x 128 = 2^20 multiply-adds) reach a worker. */
    private static final MlpSpec WIDE = MlpSpec.builder(64).dense(256, Activation.RELU).dense(128, Activation.GELU)
            .dense(10, Activation.IDENTITY).seed(2).build();
    private static final int BATCH = 32;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    /**
     * Measures windows of {@code calls} calls of {@code call}: the warm-up, until {@value #CLEAN_IN_A_ROW} in a row
     * allocate nothing while the JIT compiles nothing, then {@value #CHECKED_WINDOWS} windows, each of which must allocate nothing.
     */
    private static void assertWarmWindowsAllocateNothing(String what, int calls, Runnable call, List<Thread> others) {
        long[] bytes = new long[WARM_WINDOWS + CHECKED_WINDOWS];
        int window = 0;
        int cleanInARow = 0;
        while (cleanInARow < CLEAN_IN_A_ROW && window < WARM_WINDOWS) {
            long compiling = JIT.getTotalCompilationTime();
            bytes[window] = Measured.allocatedBy(call, calls, others);
            boolean quiet = JIT.getTotalCompilationTime() == compiling;
            cleanInARow = bytes[window] == 0 && quiet ? cleanInARow + 1 : 0;
            window++;
        }
        int warmUp = window;
        assertEquals(CLEAN_IN_A_ROW, cleanInARow, () -> what + ": no " + CLEAN_IN_A_ROW + " windows in a row allocated "
                + "nothing with the JIT quiet in " + WARM_WINDOWS + "; bytes per window: "
                + Arrays.toString(Arrays.copyOf(bytes, warmUp)));
        for (int checked = 1; checked <= CHECKED_WINDOWS; checked++) {
            bytes[window] = Measured.allocatedBy(call, calls, others);
            window++;
            int seen = window;
            int after = checked;
            assertEquals(0, bytes[seen - 1], () -> what + ": window " + after + " of " + CHECKED_WINDOWS + " after the "
                    + warmUp + " of the warm-up allocated " + bytes[seen - 1] + " bytes; bytes per window: "
                    + Arrays.toString(Arrays.copyOf(bytes, seen)));
        }
    }

    /**
     * What runs inside the windows, the loop and the calls, in a class without string constants. The JIT compiles
     * it while windows are measured (the calls of a window of 300 steps reach C2 after 17 windows), and queuing a
     * method for C2 resolves all the string constants of its class, allocating them, on the calling thread.
     */
    private static final class Measured {
        private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

        private Measured() {
        }

        /** Bytes allocated by this thread and {@code others} over {@code calls} calls of {@code call}. */
        static long allocatedBy(Runnable call, int calls, List<Thread> others) {
            long before = allocated(others);
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            return allocated(others) - before;
        }

        /** Bytes allocated so far by {@code others} and this thread, read last so the count's work is outside it. */
        private static long allocated(List<Thread> others) {
            long bytes = 0;
            for (int i = 0; i < others.size(); i++) {
                bytes += THREADS.getThreadAllocatedBytes(others.get(i).threadId());
            }
            return bytes + THREADS.getCurrentThreadAllocatedBytes();
        }

        static Runnable step(Trainer trainer, float[] x, int[] labels) {
            return () -> trainer.step(x, labels);
        }

        static Runnable step(Trainer trainer, Matrix x, int[] labels) {
            return () -> trainer.step(x, labels, 0);
        }

        static Runnable step(Trainer trainer, MemorySegment x, int[] labels) {
            return () -> trainer.step(x, 0, BATCH, labels, 0);
        }

        static Runnable step(Trainer trainer, UnsafeBuffer x, int[] labels) {
            return () -> trainer.step(x, 0, BATCH, labels, 0);
        }

        static Runnable stepGathered(Trainer trainer, float[] x, int[] labels, int[] order) {
            return () -> trainer.stepGathered(x, labels, order, 0, BATCH);
        }

        /** One row, then a batch. */
        static Runnable predict(Predictor predictor, float[] one, float[] out, float[] batch, float[] outs) {
            return () -> {
                predictor.predict(one, out);
                predictor.predict(batch, outs);
            };
        }

        static Runnable predict(Predictor predictor, Matrix in, Matrix out) {
            return () -> predictor.predict(in, out);
        }

        static Runnable predict(Predictor predictor, MemorySegment in, MemorySegment out) {
            return () -> predictor.predict(in, 0, 16, out, 0);
        }

        static Runnable predict(Predictor predictor, UnsafeBuffer in, UnsafeBuffer out) {
            return () -> predictor.predict(in, 0, 16, out, 0);
        }

        static Runnable predictClass(Predictor predictor, float[] one) {
            return () -> predictor.predictClass(one);
        }
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
                assertWarmWindowsAllocateNothing("float[] steps with " + optimizer.kind(), 1_000,
                        Measured.step(trainer, x, labels), List.of());
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
                assertWarmWindowsAllocateNothing("Matrix" + with, 300, Measured.step(trainer, matrix, labels), workers);
                assertWarmWindowsAllocateNothing("MemorySegment" + with, 300, Measured.step(trainer, segment, labels),
                        workers);
                assertWarmWindowsAllocateNothing("Agrona buffer" + with, 300, Measured.step(trainer, agrona, labels),
                        workers);
                assertWarmWindowsAllocateNothing("gathered" + with, 300,
                        Measured.stepGathered(trainer, x, labels, order), workers);
                assertWarmWindowsAllocateNothing("float[]" + with, 300, Measured.step(trainer, x, labels), workers);
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
            assertWarmWindowsAllocateNothing("float[] predictions", 5_000,
                    Measured.predict(predictor, one, out, batch, outs), List.of());
            assertWarmWindowsAllocateNothing("Matrix predictions", 5_000,
                    Measured.predict(predictor, matrixIn, matrixOut), List.of());
            assertWarmWindowsAllocateNothing("MemorySegment predictions", 5_000,
                    Measured.predict(predictor, segmentIn, segmentOut), List.of());
            assertWarmWindowsAllocateNothing("Agrona predictions", 5_000, Measured.predict(predictor, in, agronaOut),
                    List.of());
            assertWarmWindowsAllocateNothing("predicted classes", 5_000, Measured.predictClass(predictor, one),
                    List.of());
        }
    }
}
