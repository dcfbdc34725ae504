package io.lanewise.bench;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prediction with the 784-256-128-10 ReLU model on one thread: batch 1 as a latency distribution
 * (SampleTime: p50, p99, p99.9), batch 128 as throughput. Run with {@code -prof gc} for bytes per call.
 */
@Warmup(iterations = 8, time = 2) // 16 s: a 2-core Ice Lake needed ~10 s before C2 had compiled the step
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PredictBenchmark extends BenchmarkFork {
    private Network network;
    private SharedModel model;
    private Predictor predictor;
    private float[] one;
    private float[] oneOut;
    private float[] batch;
    private float[] batchOut;

    @Setup
    public void setUp() {
        IsaReport.printLanewise();
        network = Network.create(MnistShapedModel.spec());
        model = SharedModel.of(network);
        predictor = model.newPredictor(128);
        one = MnistShapedModel.inputs(1, 1);
        oneOut = new float[MnistShapedModel.CLASSES];
        batch = MnistShapedModel.inputs(128, 2);
        batchOut = new float[128 * MnistShapedModel.CLASSES];
    }

    @TearDown
    public void tearDown() {
        predictor.close();
        model.close();
        network.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] batch1() {
        predictor.predict(one, oneOut);
        return oneOut;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] batch128() {
        predictor.predict(batch, batchOut);
        return batchOut;
    }
}
