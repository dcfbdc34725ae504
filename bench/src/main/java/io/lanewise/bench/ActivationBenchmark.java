package io.lanewise.bench;

import io.lanewise.kernels.ActivationKernels;
import io.lanewise.kernels.ScalarActivationKernels;
import io.lanewise.kernels.vector.VectorActivationKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
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
 * Activation forward ({@code A = f(Z)}) and backward ({@code dZ = dA ⊙ f'(Z)}) over a 256 × 256 batch of
 * pre-activations (256 KB per matrix, in L2), vector against scalar. Scores are elements per second.
 * The implementation classes are called directly, since the provider picks one per JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(ActivationBenchmark.ELEMENTS)
public class ActivationBenchmark extends BenchmarkFork {
    static final int ROWS = 256;
    static final int COLS = 256;
    static final int ELEMENTS = ROWS * COLS;

    @Param({"RELU", "LEAKY_RELU", "SIGMOID", "TANH", "GELU", "SILU"})
    public Activation.Kind kind;

    @Param({"vector", "scalar"})
    public String impl;

    private Storage storage;
    private Matrix z;
    private Matrix a;
    private Matrix dA;
    private Matrix dZ;
    private Activation f;
    private ActivationKernels kernels;

    @Setup(Level.Trial)
    public void setUp() {
        IsaReport.printLanewise();
        storage = BenchData.matrices(4, ROWS, COLS);
        z = storage.matrix(0);
        a = storage.matrix(1);
        dA = storage.matrix(2);
        dZ = storage.matrix(3);
        BenchData.gaussian(z, new SeededRandom(1), 3);
        dA.fill(0.5f);
        f = kind == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(0.01f) : new Activation(kind, 0f);
        kernels = impl.equals("vector") ? new VectorActivationKernels() : new ScalarActivationKernels();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
    }

    @Benchmark
    public void forward() {
        kernels.forward(f, z, a);
    }

    @Benchmark
    public void backward() {
        kernels.backward(f, z, dA, dZ);
    }
}
