package io.lanewise.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.kernels.vector.VectorActivationKernels;
import io.lanewise.kernels.vector.VectorLossKernels;
import io.lanewise.kernels.vector.VectorOptimizerKernels;
import io.lanewise.kernels.vector.VectorReductionKernels;
import io.lanewise.kernels.vector.VectorSupport;
import org.junit.jupiter.api.Test;

/** The provider's choice, as forced by -Dlanewise.vector when the suite runs in each mode. */
class KernelsTest {
    @Test
    void theChosenFamiliesFollowTheProvider() {
        String forced = System.getProperty(KernelSelection.PROPERTY, "auto");
        assertFalse(KernelSelection.reason().isBlank());
        if (forced.equals("scalar")) {
            assertFalse(KernelSelection.isVectorized(), KernelSelection.reason());
        } else if (!forced.equals("auto")) {
            assertEquals(Integer.parseInt(forced), KernelSelection.vectorBits(), KernelSelection.reason());
        }
        if (KernelSelection.isVectorized()) {
            assertEquals(KernelSelection.vectorBits(), VectorSupport.FLOATS.vectorBitSize());
            assertInstanceOf(VectorActivationKernels.class, Kernels.ACTIVATIONS);
            assertInstanceOf(VectorLossKernels.class, Kernels.LOSSES);
            assertInstanceOf(VectorReductionKernels.class, Kernels.REDUCTIONS);
            assertInstanceOf(VectorOptimizerKernels.class, Kernels.OPTIMIZERS);
        } else {
            assertInstanceOf(ScalarActivationKernels.class, Kernels.ACTIVATIONS);
            assertInstanceOf(ScalarLossKernels.class, Kernels.LOSSES);
            assertInstanceOf(ScalarReductionKernels.class, Kernels.REDUCTIONS);
            assertInstanceOf(ScalarOptimizerKernels.class, Kernels.OPTIMIZERS);
        }
        assertTrue(KernelSelection.vectorBits() == 0 || KernelSelection.vectorBits() >= 128);
    }
}
