package io.lanewise.kernels.vector;

import io.lanewise.kernels.KernelProvider;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every vector kernel uses, fixed once from {@link KernelProvider}. Kernels copy
 * {@link #FLOATS} into their own {@code static final} field: a species passed as a parameter makes the
 * JIT fall back to boxed vectors.
 *
 * <p>Summing the lanes of a vector: kernels never call {@code reduceLanes(VectorOperators.ADD)}, whose order
 * the Vector API leaves open and which differs with the JIT: the Java fallback (interpreter, C1) adds lanes
 * 0, 1, 2, ... in sequence; C2's intrinsic (JDK 25, AVX-512) adds in a halving tree, but not in every
 * context. Which one ran depended on when C2 compiled a kernel, and the parameters with it. Kernels sum
 * a vector {@code v} by that halving tree, spelled out in lane-wise operations where the sum is needed
 * (a helper taking a vector is not reliably inlined, and a vector passed to a call that is not inlined
 * is allocated on the heap):
 * <pre>{@code
 * if (V > 8) {
 *     v = v.add(v.rearrange(ROTATE_8));   // lane i += lane i + 8 (512-bit only)
 * }
 * v = v.add(v.rearrange(ROTATE_4));       // lane i += lane i + 4
 * v = v.add(v.rearrange(ROTATE_2));
 * float sum = v.add(v.rearrange(ROTATE_1)).lane(0);
 * }</pre>
 * A permutation is exact and a lane-wise add is one IEEE addition per lane, so every JIT mode gives the
 * same bits.
 */
public final class VectorSupport {
    /** The species of {@link KernelProvider#vectorBits()} (512-bit when the scalar path is chosen, unused then). */
    public static final VectorSpecies<Float> FLOATS =
            KernelProvider.vectorBits() == 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_512;

    /** Lane i takes lane (i + 8) mod V: the first step of a lane sum at 512 bits (at 256, the identity: unused). */
    public static final VectorShuffle<Float> ROTATE_8 = VectorShuffle.iota(FLOATS, 8, 1, true);
    /** Lane i takes lane (i + 4) mod V. */
    public static final VectorShuffle<Float> ROTATE_4 = VectorShuffle.iota(FLOATS, 4, 1, true);
    /** Lane i takes lane (i + 2) mod V. */
    public static final VectorShuffle<Float> ROTATE_2 = VectorShuffle.iota(FLOATS, 2, 1, true);
    /** Lane i takes lane (i + 1) mod V. */
    public static final VectorShuffle<Float> ROTATE_1 = VectorShuffle.iota(FLOATS, 1, 1, true);

    private VectorSupport() {
    }
}
