package io.lanewise.bench;

import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One fused training step of the 784-256-128-10 ReLU model (softmax cross-entropy) per operation:
 * steps/s, and samples/s as the {@code samples} counter. Run with {@code -prof gc} for bytes per step.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2) // 16 s: a 2-core Ice Lake needed ~10 s before C2 had compiled the step
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class TrainStepBenchmark extends BenchmarkFork {
    private static final int DISTINCT_BATCHES = 8;

    @Param({"32", "128", "512"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    @Param({"sgd", "adam"})
    public String optimizer;

    private Network network;
    private Trainer trainer;
    private float[][] inputs;
    private int[][] labels;
    private int next;

    /** Counts samples so JMH reports samples/s beside steps/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
        }
    }

    @Setup
    public void setUp() {
        IsaReport.printLanewise();
        network = Network.create(MnistShapedModel.spec());
        trainer = Trainer.builder(network, MnistShapedModel.optimizer(optimizer)).batchSize(batch).threads(threads).build();
        inputs = new float[DISTINCT_BATCHES][];
        labels = new int[DISTINCT_BATCHES][];
        for (int i = 0; i < DISTINCT_BATCHES; i++) {
            inputs[i] = MnistShapedModel.inputs(batch, i);
            labels[i] = MnistShapedModel.labels(batch, 100 + i);
        }
    }

    @TearDown
    public void tearDown() {
        trainer.close();
        network.close();
    }

    @Benchmark
    public double step(Samples counter) {
        int i = next;
        next = (i + 1) % DISTINCT_BATCHES;
        counter.samples += batch;
        return trainer.step(inputs[i], labels[i]);
    }
}
