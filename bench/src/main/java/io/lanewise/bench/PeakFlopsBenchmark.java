package io.lanewise.bench;

import io.lanewise.kernels.vector.VectorSupport;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The multiply-add throughput of one core through the Vector API, at the width the kernels use
 * ({@code -Dlanewise.vector}): 12 independent accumulators (more than FMA latency × pipes at either
 * width), 4096 steps per call. The {@code flops} secondary result, in FLOP/s, is the GEMM's ceiling. Where C2
 * compiles no vector FMA (x86 with SSE only, {@link VectorSupport#FMA} false) each step is a multiply and an add,
 * as in the GEMM's tile there: a vector FMA would run the Vector API's Java fallback and measure nothing real.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeakFlopsBenchmark extends BenchmarkFork {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int STEPS = 4096;
    private static final int ACCUMULATORS = 12;
    private static final boolean FMA = VectorSupport.FMA;

    /** Multiplier and addend, in fields so the JIT cannot fold them. */
    public float x = 0.999f;
    public float y = 1e-4f;

    /** Prints the width and level this fork runs at ({@code lanewise bench --isa}). */
    @Setup(Level.Trial)
    public void setUp() {
        IsaReport.printLanewise();
        System.out.println((FMA ? "FMA" : "Multiply, then add") + " vectors: " + F.vectorBitSize() + "-bit");
    }

    /** Counts FLOPs, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations done. */
        public long flops;
    }

    @Benchmark
    public float fma(Flops counter) {
        counter.flops += 2L * F.length() * ACCUMULATORS * STEPS;
        FloatVector m = FloatVector.broadcast(F, x);
        FloatVector d = FloatVector.broadcast(F, y);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < STEPS; i++) {
            a0 = FMA ? a0.fma(m, d) : a0.mul(m).add(d);
            a1 = FMA ? a1.fma(m, d) : a1.mul(m).add(d);
            a2 = FMA ? a2.fma(m, d) : a2.mul(m).add(d);
            a3 = FMA ? a3.fma(m, d) : a3.mul(m).add(d);
            a4 = FMA ? a4.fma(m, d) : a4.mul(m).add(d);
            a5 = FMA ? a5.fma(m, d) : a5.mul(m).add(d);
            a6 = FMA ? a6.fma(m, d) : a6.mul(m).add(d);
            a7 = FMA ? a7.fma(m, d) : a7.mul(m).add(d);
            a8 = FMA ? a8.fma(m, d) : a8.mul(m).add(d);
            a9 = FMA ? a9.fma(m, d) : a9.mul(m).add(d);
            a10 = FMA ? a10.fma(m, d) : a10.mul(m).add(d);
            a11 = FMA ? a11.fma(m, d) : a11.mul(m).add(d);
        }
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).add(a8.add(a9).add(a10.add(a11))).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
