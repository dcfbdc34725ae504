package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An idle multi-threaded trainer costs no CPU: its GEMM workers spin briefly after a step, then park until
 * the next. Measured as the CPU time the workers' threads consume (not the wall time of our code).
 */
class IdleWorkersTest {
    /** How long the trainer sits idle while its workers' CPU time is measured. */
    private static final long IDLE_MILLIS = 2000;
    /** 1% of one core over {@link #IDLE_MILLIS}. */
    private static final long MAX_IDLE_CPU_NANOS = IDLE_MILLIS * 1_000_000 / 100;

    @Test
    void anIdleTwoThreadTrainerUsesAtMostOnePercentOfACore() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadCpuTimeSupported(), "this JVM measures no thread CPU time");
        threads.setThreadCpuTimeEnabled(true);
        List<Long> before = gemmWorkerIds(threads);
        // 128×64 by 64×256 is 2M multiply-adds, above the parallel threshold: the workers really compute.
        MlpSpec spec = MlpSpec.builder(64).dense(256, Activation.RELU).dense(10, Activation.IDENTITY).seed(3).build();
        int batch = 128;
        float[] x = new float[batch * 64];
        int[] labels = new int[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.1);
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.sgd(0.01)).batchSize(batch).threads(2).build()) {
            List<Long> ours = gemmWorkerIds(threads);
            ours.removeAll(before);
            assertEquals(1, ours.size(), "GEMM workers started by a two-thread trainer: " + ours);
            long worker = ours.get(0);
            for (int s = 0; s < 50; s++) {
                trainer.step(x, labels);
            }
            long busy = threads.getThreadCpuTime(worker);
            assertTrue(busy > 0, "the worker never ran: " + busy + " ns of CPU");
            Thread.sleep(100); // past the workers' spin after the last step
            long start = threads.getThreadCpuTime(worker);
            Thread.sleep(IDLE_MILLIS);
            long idle = threads.getThreadCpuTime(worker) - start;
            assertTrue(idle <= MAX_IDLE_CPU_NANOS, "an idle worker used " + idle / 1000 + " µs of CPU in " + IDLE_MILLIS
                    + " ms (at most " + MAX_IDLE_CPU_NANOS / 1000 + " µs, 1% of a core)");
        }
    }

    private static List<Long> gemmWorkerIds(ThreadMXBean threads) {
        List<Long> ids = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("lanewise-gemm-")) {
                ids.add(info.getThreadId());
            }
        }
        return ids;
    }
}
