package io.lanewise.kernels.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The guard's reading of {@code -XX:+PrintCompilation -XX:+PrintInlining}, on lines HotSpot 25 printed. */
class CompilationLogTest {
    private static final String OUTPUT = String.join("\n",
            "3478 1429 %  b  3       io.lanewise.kernels.vector.VectorOptimizerKernels::momentumRule @ 137 (450 bytes)",
            "                              @ 23   jdk.internal.vm.vector.VectorSupport::fromBitsCoerced (35 bytes)   callee is too large",
            "8029 1899    b  4       io.lanewise.kernels.vector.VectorOptimizerKernels::momentumRule (450 bytes)",
            "                              @ 1   io.lanewise.memory.Matrix::segment (5 bytes)   accessor",
            "                                    @ 19   jdk.internal.vm.vector.VectorSupport::fromBitsCoerced (35 bytes)"
                    + "   (intrinsic)   late inline succeeded",
            "                                      @ 33   jdk.internal.vm.vector.VectorSupport::storeMasked (40 bytes)"
                    + "   failed to inline: failed to inline (intrinsic)",
            "                                @ 6   jdk.incubator.vector.FloatVector::lanewise (0 bytes)   failed to inline: no static binding",
            "                              @ 9   io.lanewise.kernels.jit.CompilationLogTest::twice (8 bytes)   failed to inline: too big",
            "                   8100 1899    b  4       io.lanewise.kernels.vector.VectorOptimizerKernels::momentumRule"
                    + " (450 bytes)   made not entrant: uncommon trap",
            "8200 1900    b  4       io.lanewise.kernels.gemm.Gemm::block (1244 bytes)",
            "                              @ 1150   io.lanewise.kernels.gemm.VectorGemmKernel::tilePacked (988 bytes)   failed to inline: hot method too big");

    /** A method of ours that takes and returns a vector, for the log line above: the kernels have none left. */
    static FloatVector twice(FloatVector v) {
        return v.add(v);
    }

    @Test
    void cutsTheOutputIntoCompilationsWithTheirTiers() {
        List<CompilationLog.Compilation> compilations = CompilationLog.parse(OUTPUT);
        assertEquals(3, compilations.size(), compilations.toString());
        CompilationLog.Compilation osr = compilations.get(0);
        assertEquals(3, osr.tier());
        assertTrue(osr.osr());
        CompilationLog.Compilation c2 = compilations.get(1);
        assertEquals(4, c2.tier());
        assertFalse(c2.osr());
        assertEquals("io.lanewise.kernels.vector.VectorOptimizerKernels::momentumRule", c2.method());
        assertEquals(5, c2.calls().size(), c2.calls().toString());
        assertEquals("io.lanewise.kernels.gemm.Gemm::block", compilations.get(2).method());
    }

    @Test
    void flagsWhatLeavesTheIntrinsicPathAndNothingElse() {
        List<CompilationLog.Call> calls = CompilationLog.parse(OUTPUT).get(1).calls();
        assertFalse(IntrinsicPathTest.offTheIntrinsicPath(calls.get(0)) && !calls.get(0).inlined(), "an accessor");
        assertTrue(calls.get(1).inlined(), "a late intrinsic that succeeded");
        assertFalse(calls.get(2).inlined());
        assertTrue(IntrinsicPathTest.offTheIntrinsicPath(calls.get(2)), "an intrinsic that failed");
        assertTrue(IntrinsicPathTest.offTheIntrinsicPath(calls.get(3)), "a vector call without a static binding");
        assertTrue(IntrinsicPathTest.offTheIntrinsicPath(calls.get(4)), "a method taking a vector, not inlined");
        CompilationLog.Call tile = CompilationLog.parse(OUTPUT).get(2).calls().get(0);
        assertFalse(tile.inlined());
        assertFalse(IntrinsicPathTest.offTheIntrinsicPath(tile), "a kernel that passes memory, not vectors");
    }
}
