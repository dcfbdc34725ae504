package io.lanewise.kernels;

import io.lanewise.kernels.vector.VectorActivationKernels;
import io.lanewise.kernels.vector.VectorLossKernels;
import io.lanewise.kernels.vector.VectorOptimizerKernels;
import io.lanewise.kernels.vector.VectorReductionKernels;

/**
 * The element-wise kernel families this JVM uses, chosen once by {@link KernelSelection}: the Vector API
 * implementations, or the scalar ones when the provider falls back (its log and
 * {@link KernelSelection#reason()} say why). The fields are {@code static final} so that the JIT sees
 * one implementation and inlines through it. The vector classes are loaded only when chosen, so the
 * scalar path runs without the incubator module.
 */
public final class Kernels {
    /** Activations and their derivatives. */
    public static final ActivationKernels ACTIVATIONS =
            KernelSelection.isVectorized() ? new VectorActivationKernels() : new ScalarActivationKernels();
    /** Softmax and the losses with their gradients. */
    public static final LossKernels LOSSES =
            KernelSelection.isVectorized() ? new VectorLossKernels() : new ScalarLossKernels();
    /** Column sums, norms and scaling. */
    public static final ReductionKernels REDUCTIONS =
            KernelSelection.isVectorized() ? new VectorReductionKernels() : new ScalarReductionKernels();
    /** Optimizer updates. */
    public static final OptimizerKernels OPTIMIZERS =
            KernelSelection.isVectorized() ? new VectorOptimizerKernels() : new ScalarOptimizerKernels();

    private Kernels() {
    }
}
