package io.lanewise.kernels.vector;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.lanewise.kernels.KernelSelection;
import java.lang.management.ManagementFactory;
import java.util.function.IntUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every vector kernel uses, fixed once from {@link KernelSelection}, and what the JIT can
 * compile on this CPU. Kernels copy {@link #FLOATS} into their own {@code static final} field: a species
 * passed as a parameter makes the JIT fall back to boxed vectors.
 *
 * <p><b>Only ops C2 intrinsifies.</b> A Vector API op C2 does not intrinsify runs its Java fallback, one
 * lane at a time on heap arrays: many times slower than scalar code, and allocating. C2 compiles masked
 * loads and stores only on x86 with AVX and on AArch64 with SVE, not with NEON alone ({@link #MASKED_MEMORY}),
 * so the element-wise kernels use none: each row runs whole vectors, then the last {@code cols mod V}
 * elements one at a time through a scalar twin of the vector formula that does the same IEEE operations, so
 * every element gets the same bits wherever it sits. The GEMM's stores and packing use masks where
 * {@link #MASKED_MEMORY} allows, and the same scalar edges elsewhere. On x86 without AVX
 * ({@code -XX:UseAVX=0}, SSE only) C2 also lacks vector fused multiply-add, min, max, square root, compares
 * (so blends and mask tests) and float–int conversions: see {@link #FMA} and {@link #FULL}.
 *
 * <p><b>Summing the lanes of a vector:</b> kernels never call {@code reduceLanes(VectorOperators.ADD)},
 * whose order the Vector API leaves open and which differs with the JIT: the Java fallback (interpreter,
 * C1) adds lanes 0, 1, 2, ... in sequence; C2's intrinsic (JDK 25, AVX-512) adds in a halving tree, but
 * not in every context. Which one ran depended on when C2 compiled a kernel, and the parameters with it.
 * Kernels sum a vector {@code v} by a halving tree, spelled out in lane-wise operations where the sum is
 * needed (a helper taking a vector is not reliably inlined, and a vector passed to a call that is not
 * inlined is allocated on the heap), with one step per halving of the {@code V} lanes (16 at 512 bits,
 * 8 at 256, 4 at 128; {@code V} is a constant, so the JIT drops the steps that do not apply):
 * <pre>{@code
 * if (V > 8) {
 *     v = v.add(v.rearrange(ROTATE_8));   // lane i += lane i + 8 (512-bit only)
 * }
 * if (V > 4) {
 *     v = v.add(v.rearrange(ROTATE_4));   // lane i += lane i + 4 (256 and 512-bit)
 * }
 * v = v.add(v.rearrange(ROTATE_2));
 * float sum = v.add(v.rearrange(ROTATE_1)).lane(0);
 * }</pre>
 * A permutation is exact and a lane-wise add is one IEEE addition per lane, so every JIT mode gives the
 * same bits. Elements of a row past its last whole vector are then added to that sum in column order.
 */
public final class VectorSupport {
    /** The species of {@link KernelSelection#vectorBits()} (512-bit when the scalar path is chosen, unused then). */
    public static final VectorSpecies<Float> FLOATS = switch (KernelSelection.vectorBits()) {
        case 128 -> FloatVector.SPECIES_128;
        case 256 -> FloatVector.SPECIES_256;
        default -> FloatVector.SPECIES_512;
    };

    /** Lanes per vector: 4, 8 or 16. */
    public static final int LANES = FLOATS.length();

    /** Lane i takes lane (i + 8) mod V: the first step of a lane sum at 512 bits (unused below). */
    public static final VectorShuffle<Float> ROTATE_8 = VectorShuffle.iota(FLOATS, 8, 1, true);
    /** Lane i takes lane (i + 4) mod V: a lane-sum step at 256 and 512 bits (the identity at 128: unused). */
    public static final VectorShuffle<Float> ROTATE_4 = VectorShuffle.iota(FLOATS, 4, 1, true);
    /** Lane i takes lane (i + 2) mod V. */
    public static final VectorShuffle<Float> ROTATE_2 = VectorShuffle.iota(FLOATS, 2, 1, true);
    /** Lane i takes lane (i + 1) mod V. */
    public static final VectorShuffle<Float> ROTATE_1 = VectorShuffle.iota(FLOATS, 1, 1, true);

    /**
     * True when the CPU and JVM fuse multiply-add in hardware ({@code -XX:+UseFMA}: x86 with FMA3 and AVX,
     * every AArch64). Without it a vector {@code fma} is not intrinsified and {@link Math#fma} is computed
     * in software, so the kernels multiply, round, then add ({@link #fma}): other bits, but the same ones in
     * every JIT state of this JVM.
     */
    public static final boolean FMA = vmFlag("UseFMA", true);

    /**
     * True when C2 intrinsifies the whole set of float vector ops the kernels use beyond add, subtract,
     * multiply, divide, negate, absolute value, lane permutations and integer bit operations: compares
     * (and so blends and mask tests), min, max, square root and float–int conversions. False on x86
     * without AVX (SSE only, {@code -XX:UseAVX=0}): kernels that need those ops then run their scalar
     * twins, which give the same bits, over whole rows. Also false without hardware FMA (x86 with AVX but
     * not FMA3, or {@code -XX:-UseFMA}): the kernels that only run when FULL (activations, exp and tanh,
     * softmax, Adam, the vector GEMM) then call {@code fma} directly, which keeps the deep chains of
     * activation, tanh and exp small enough for C2 to inline whole.
     */
    public static final boolean FULL = vmIntFlag("UseAVX", 1) >= 1 && FMA;

    /**
     * The system property that, set to {@code false}, makes {@link #MASKED_MEMORY} false on a CPU that has masked
     * loads and stores: the kernel tests use it to run, on x86, the paths NEON runs (see {@link #MASKED_MEMORY}).
     */
    public static final String MASKED_MEMORY_PROPERTY = "lanewise.maskedMemory";

    /**
     * True when C2 compiles masked loads and stores ({@code LoadVectorMasked}, {@code StoreVectorMasked}): on x86
     * with AVX (AVX2's {@code vmaskmov}, AVX-512's predicate registers) and on AArch64 with SVE. False on AArch64
     * with NEON only (Apple Silicon, Graviton 2, Ampere Altra: HotSpot's {@code UseSVE=0}), where C2 has neither,
     * nor masks built from bits ({@code VectorMask.fromLong}); and false where {@link #FULL} is. Where it is
     * false, a row's elements past its last whole vector go one at a time through the same IEEE operations, as
     * under SSE. Masks that only select lanes ({@code blend}) are built by a compare of constant lane vectors such
     * as {@link #LANE_INDEX}, which every level with {@link #FULL} compiles, NEON included.
     */
    public static final boolean MASKED_MEMORY = FULL && (vmIntFlag("UseAVX", 0) >= 1 || vmIntFlag("UseSVE", 0) >= 1)
            && !"false".equals(System.getProperty(MASKED_MEMORY_PROPERTY));

    /**
     * Lane i holds i: {@code LANE_INDEX.compare(LT, n)} is the mask of the first n lanes (none if n ≤ 0, all if
     * n ≥ V), built where it is used so that it never crosses a call. A compare, not {@code VectorMask.fromLong},
     * which C2 compiles on x86 and on AArch64 only with SVE's bit-permute extension.
     */
    public static final FloatVector LANE_INDEX = lanes(FLOATS, i -> i);

    /**
     * The vector registers C2 allocates: 16 on x86 below AVX-512 ({@code -XX:UseAVX=2} or less, which HotSpot
     * also sets on CPUs without AVX-512), 32 with AVX-512 (at every vector width) and on AArch64. Register
     * tiles are sized to fit: a tile that needs more spills accumulators to the stack in its k loop.
     */
    public static final int REGISTERS = vmIntFlag("UseAVX", 3) >= 3 ? 32 : 16;

    private VectorSupport() {
    }

    /**
     * {@code a·b + c}: fused when {@link #FMA}, else rounded after the product too. The scalar twin of what
     * vector code writes in place as {@code FMA ? a.fma(b, c) : a.mul(b).add(c)}: never through a helper
     * taking vectors, which adds an inlining level to deep chains (GEMM epilogue, activation, tanh, exp) and
     * boxed their vectors where C2 ran out of levels.
     */
    public static float fma(float a, float b, float c) {
        return FMA ? Math.fma(a, b, c) : a * b + c;
    }

    /**
     * A vector of {@code species} whose lane i holds {@code value(i)}: for constant lane patterns, from which
     * kernels build masks by compares.
     */
    public static FloatVector lanes(VectorSpecies<Float> species, IntUnaryOperator value) {
        float[] values = new float[species.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.applyAsInt(i);
        }
        return FloatVector.fromArray(species, values, 0);
    }

    /** A boolean HotSpot flag, or {@code otherwise} where there is none (other JVMs, other CPUs). */
    private static boolean vmFlag(String name, boolean otherwise) {
        String value = vmOption(name);
        return value == null ? otherwise : Boolean.parseBoolean(value);
    }

    /** An integer HotSpot flag, or {@code otherwise} where there is none (UseAVX exists on x86 only). */
    private static int vmIntFlag(String name, int otherwise) {
        String value = vmOption(name);
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String vmOption(String name) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            return null;
        }
    }
}
