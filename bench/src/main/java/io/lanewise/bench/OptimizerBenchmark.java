package io.lanewise.bench;

import io.lanewise.kernels.OptimizerKernels;
import io.lanewise.kernels.ScalarOptimizerKernels;
import io.lanewise.kernels.vector.VectorOptimizerKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer update of a 256 × 256 weight matrix (with its gradient and state: 256 KB each), vector
 * against scalar. Scores are parameters updated per second. The same gradient is applied at every
 * call; the parameters drift, which does not change the work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(OptimizerBenchmark.ELEMENTS)
public class OptimizerBenchmark extends BenchmarkFork {
    static final int ROWS = 256;
    static final int COLS = 256;
    static final int ELEMENTS = ROWS * COLS;

    @Param({"sgd-momentum", "nesterov", "adam", "adamw"})
    public String rule;

    @Param({"vector", "scalar"})
    public String impl;

    private Storage storage;
    private Matrix w;
    private Matrix g;
    private Matrix first;
    private Matrix second;
    private Optimizer spec;
    private OptimizerKernels kernels;
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        IsaReport.printLanewise();
        storage = BenchData.matrices(4, ROWS, COLS);
        w = storage.matrix(0);
        g = storage.matrix(1);
        first = storage.matrix(2);
        second = storage.matrix(3);
        SeededRandom random = new SeededRandom(2);
        BenchData.gaussian(w, random, 1);
        BenchData.gaussian(g, random, 0.01);
        spec = switch (rule) {
            case "sgd-momentum" -> Optimizer.sgd(0.01, 0.9, false).withWeightDecay(1e-4);
            case "nesterov" -> Optimizer.sgd(0.01, 0.9, true).withWeightDecay(1e-4);
            case "adam" -> Optimizer.adam(1e-3).withWeightDecay(1e-4);
            case "adamw" -> Optimizer.adamW(1e-3, 0.01);
            default -> throw new IllegalArgumentException("unknown rule " + rule);
        };
        kernels = impl.equals("vector") ? new VectorOptimizerKernels() : new ScalarOptimizerKernels();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
    }

    @Benchmark
    public void update() {
        kernels.update(spec, 1e-3f, ++step, w, g, first, second);
    }
}
