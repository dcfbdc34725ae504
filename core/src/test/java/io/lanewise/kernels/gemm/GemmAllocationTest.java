package io.lanewise.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Warm GEMM calls of every kind allocate nothing. Runs in a JVM of its own (the build's allocation
 * execution): after hundreds of reference tests push every activation through the same epilogue, C2's
 * inlining budget, not our code, decides whether vectors stay in registers.
 */
class GemmAllocationTest {
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void warmCallsAllocateNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom r = new SplittableRandom(3);
        Matrix x = random(r, 1, 40);
        Matrix a = random(r, 24, 40);
        Matrix at = random(r, 40, 24);
        Matrix b = random(r, 40, 50);
        Matrix bt = random(r, 50, 40);
        Matrix bias = random(r, 1, 50);
        Matrix c = random(r, 24, 50);
        Matrix z = random(r, 24, 50);
        Matrix c1 = random(r, 1, 50);
        // K below Gemm.PACK_A_MIN_K and M not a multiple of the tile: A read in place, its last rows packed.
        Matrix a2 = random(r, 21, 20);
        Matrix b2 = random(r, 20, 50);
        Matrix c2 = random(r, 21, 50);
        PackedMatrix packed = PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(40, 50), 64), 40, 50);
        try (Gemm gemm = Gemm.create(2)) {
            // One call site per call, as in the engine: a single lambda holding all ten calls outgrows
            // C2's inlining budget, which then boxes vectors, a property of the test and not of the calls.
            Runnable[] calls = {
                () -> gemm.multiply(GemmOp.NN, 1f, a, b, 0.5f, c),
                () -> gemm.multiply(GemmOp.NN, 1f, a2, b2, 0f, c2),
                () -> gemm.multiply(GemmOp.NT, 1f, a, bt, 0f, c),
                () -> gemm.multiply(GemmOp.TN, 1f, at, b, 0f, c),
                () -> gemm.multiply(GemmOp.NN, a, b, c, bias, Activation.GELU, z),
                () -> gemm.multiplyTimesDerivative(GemmOp.NT, a, bt, c, Activation.TANH, z),
                () -> gemm.multiply(GemmOp.NN, 1f, x, b, 0f, c1),
                () -> gemm.multiply(GemmOp.NT, 1f, x, bt, 0f, c1),
                () -> packed.pack(b, false),
                () -> gemm.multiply(x, packed, c1, bias, Activation.RELU, null)};
            long allocated = -1;
            // The JIT compiles in the background: warm up until compiled code runs, then require exactly 0.
            for (int round = 0; round < 20 && allocated != 0; round++) {
                for (int i = 0; i < 3000; i++) {
                    for (Runnable call : calls) {
                        call.run();
                    }
                }
                long before = bean.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    for (Runnable call : calls) {
                        call.run();
                    }
                }
                allocated = bean.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by 200 warm rounds of calls");
        }
    }

    private Matrix random(SplittableRandom r, int rows, int cols) {
        Matrix m = Matrix.wrap(arena.allocate((long) rows * cols * Float.BYTES, Matrix.ALIGNMENT_BYTES), rows, cols, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (float) (r.nextDouble() * 2 - 1));
            }
        }
        return m;
    }
}
