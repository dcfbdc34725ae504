package io.lanewise.kernels.vector;

import io.lanewise.kernels.KernelProvider;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every vector kernel uses, fixed once from {@link KernelProvider}. Kernels copy
 * {@link #FLOATS} into their own {@code static final} field: a species passed as a parameter makes the
 * JIT fall back to boxed vectors.
 */
public final class VectorSupport {
    /** The species of {@link KernelProvider#vectorBits()} (512-bit when the scalar path is chosen, unused then). */
    public static final VectorSpecies<Float> FLOATS =
            KernelProvider.vectorBits() == 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_512;

    private VectorSupport() {
    }
}
