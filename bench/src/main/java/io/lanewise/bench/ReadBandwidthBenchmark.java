package io.lanewise.bench;

import io.lanewise.kernels.vector.VectorSupport;
import io.lanewise.memory.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * How fast one core reads a buffer it reads over and over, through the Vector API at the width the kernels use:
 * the ceiling of a GEMV-shaped call, which reads each weight once per call (1×784×256: 784 KiB of packed B, two
 * FLOPs per 4 bytes, so its GFLOPS can be at most half this benchmark's GB/s). Sizes: {@code 24} KiB stays in any
 * L1, {@code 784} is the 1×784×256 weights (in L2 where it is 1 MB or more), {@code 8192} comes from L3. Eight
 * independent sums, so that the loads, not the adds' latency, set the pace. The {@code bytes} secondary result,
 * in bytes/s, is the figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReadBandwidthBenchmark extends BenchmarkFork {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final long VB = F.vectorByteSize();
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    /** Buffer size in KiB. */
    @Param({"24", "784", "8192"})
    public int kilobytes;

    private Arena arena;
    private MemorySegment buffer;

    /** Prints the width and level this fork runs at, and fills the buffer (so that its pages are mapped). */
    @Setup(Level.Trial)
    @SuppressWarnings("MustBeClosedChecker") // the arena lives for the trial, closed in tearDown()
    public void setUp() {
        IsaReport.printLanewise();
        System.out.println("Vectors: " + F.vectorBitSize() + "-bit");
        arena = Arena.ofShared();
        buffer = arena.allocate(kilobytes * 1024L, Matrix.ALIGNMENT_BYTES);
        for (long i = 0; i < buffer.byteSize() / Float.BYTES; i++) {
            buffer.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 7) * 0.25f);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Counts bytes read, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Bytes read. */
        public long bytes;
    }

    @Benchmark
    public float read(Bytes counter) {
        MemorySegment m = buffer;
        long size = m.byteSize();
        counter.bytes += size;
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (long at = 0; at < size; at += 8 * VB) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, m, at, NO));
            s1 = s1.add(FloatVector.fromMemorySegment(F, m, at + VB, NO));
            s2 = s2.add(FloatVector.fromMemorySegment(F, m, at + 2 * VB, NO));
            s3 = s3.add(FloatVector.fromMemorySegment(F, m, at + 3 * VB, NO));
            s4 = s4.add(FloatVector.fromMemorySegment(F, m, at + 4 * VB, NO));
            s5 = s5.add(FloatVector.fromMemorySegment(F, m, at + 5 * VB, NO));
            s6 = s6.add(FloatVector.fromMemorySegment(F, m, at + 6 * VB, NO));
            s7 = s7.add(FloatVector.fromMemorySegment(F, m, at + 7 * VB, NO));
        }
        return s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
    }
}
