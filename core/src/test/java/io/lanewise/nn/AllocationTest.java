package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.ThreadMXBean;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Counts the bytes the current thread allocates over warm training steps and predictions: exactly 0.
 * (JMH's {@code -prof gc} gives the same verdict per operation; see bench/.)
 */
class AllocationTest {
    /** At most this many rounds of warming and measuring; the first round that allocates nothing ends it. */
    private static final int WARM_ROUNDS = 60;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final MlpSpec SPEC = MlpSpec.builder(64).dense(48, Activation.RELU).dense(32, Activation.GELU)
            .dense(10, Activation.IDENTITY).seed(2).build();

    @Test
    void warmTrainingStepsAllocateNothing() {
        SeededRandom random = new SeededRandom(1);
        float[] x = new float[32 * 64];
        int[] labels = new int[32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int r = 0; r < labels.length; r++) {
            labels[r] = random.nextInt(10);
        }
        for (Optimizer optimizer : new Optimizer[] {Optimizer.sgd(0.01, 0.9, true), Optimizer.adam(1e-3),
                Optimizer.adamW(1e-3, 0.01).withClipNorm(1)}) {
            try (Network network = Network.create(SPEC);
                 Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
                long allocated = -1;
                // Warm until C2 has compiled the kernels (vectors in interpreted or C1 code are heap objects;
                // when that happens depends on the background compiler), then require exactly 0.
                for (int round = 0; round < WARM_ROUNDS && allocated != 0; round++) {
                    for (int i = 0; i < 2_000; i++) {
                        trainer.step(x, labels);
                    }
                    long before = THREADS.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 1_000; i++) {
                        trainer.step(x, labels);
                    }
                    allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                }
                assertEquals(0, allocated, "bytes allocated by 1,000 warm steps with " + optimizer.kind());
            }
        }
    }

    @Test
    void warmPredictionsAllocateNothing() {
        float[] one = new float[64];
        float[] batch = new float[16 * 64];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (i % 7) * 0.1f;
        }
        float[] out = new float[10];
        float[] outs = new float[16 * 10];
        try (Network network = Network.create(SPEC); SharedModel model = SharedModel.of(network);
             Predictor predictor = model.newPredictor(16)) {
            long allocated = -1;
            for (int round = 0; round < WARM_ROUNDS && allocated != 0; round++) {
                for (int i = 0; i < 10_000; i++) {
                    predictor.predict(one, out);
                    predictor.predict(batch, outs);
                }
                long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 10_000; i++) {
                    predictor.predict(one, out);
                    predictor.predict(batch, outs);
                }
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by 10,000 warm predictions");
        }
    }
}
