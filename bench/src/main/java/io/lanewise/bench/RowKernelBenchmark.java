package io.lanewise.bench;

import io.lanewise.kernels.LossKernels;
import io.lanewise.kernels.ReductionKernels;
import io.lanewise.kernels.ScalarLossKernels;
import io.lanewise.kernels.ScalarReductionKernels;
import io.lanewise.kernels.vector.VectorLossKernels;
import io.lanewise.kernels.vector.VectorReductionKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
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
 * The row kernels of a training step, vector against scalar, in elements per second: softmax
 * cross-entropy with its gradient on a 256 × 10 classifier output (a row is shorter than one vector, so
 * every row runs masked) and on 256 × 1000, column sums (the bias gradient) and the sum of squares (the
 * global norm) of a 256 × 256 gradient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RowKernelBenchmark extends BenchmarkFork {
    static final int BATCH = 256;
    static final int FEW_CLASSES = 10;
    static final int MANY_CLASSES = 1000;
    static final int WIDTH = 256;

    @Param({"vector", "scalar"})
    public String impl;

    private Storage storage;
    private Matrix fewLogits;
    private Matrix fewGradient;
    private Matrix manyLogits;
    private Matrix manyGradient;
    private Matrix dZ;
    private Matrix bias;
    private int[] labels;
    private LossKernels losses;
    private ReductionKernels reductions;

    @Setup(Level.Trial)
    public void setUp() {
        IsaReport.printLanewise();
        Storage.Builder plan = Storage.builder();
        int few = plan.matrix(BATCH, FEW_CLASSES);
        int fewGrad = plan.matrix(BATCH, FEW_CLASSES);
        int many = plan.matrix(BATCH, MANY_CLASSES);
        int manyGrad = plan.matrix(BATCH, MANY_CLASSES);
        int gradient = plan.matrix(BATCH, WIDTH);
        int sums = plan.matrix(1, WIDTH);
        storage = plan.allocate();
        fewLogits = storage.matrix(few);
        fewGradient = storage.matrix(fewGrad);
        manyLogits = storage.matrix(many);
        manyGradient = storage.matrix(manyGrad);
        dZ = storage.matrix(gradient);
        bias = storage.matrix(sums);
        SeededRandom random = new SeededRandom(3);
        fill(fewLogits, random, 3);
        fill(manyLogits, random, 3);
        fill(dZ, random, 0.01);
        labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextInt(FEW_CLASSES);
        }
        boolean vector = impl.equals("vector");
        losses = vector ? new VectorLossKernels() : new ScalarLossKernels();
        reductions = vector ? new VectorReductionKernels() : new ScalarReductionKernels();
    }

    private static void fill(Matrix m, SeededRandom random, double sigma) {
        float[] values = new float[m.rows() * m.cols()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (sigma * random.nextGaussian());
        }
        m.copyFrom(values);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * FEW_CLASSES)
    public double softmaxCrossEntropy10() {
        return losses.softmaxCrossEntropy(fewLogits, labels, 0, fewGradient);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * MANY_CLASSES)
    public double softmaxCrossEntropy1000() {
        return losses.softmaxCrossEntropy(manyLogits, labels, 0, manyGradient);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * WIDTH)
    public void columnSums() {
        reductions.columnSums(dZ, bias);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * WIDTH)
    public double sumOfSquares() {
        return reductions.sumOfSquares(dZ);
    }
}
