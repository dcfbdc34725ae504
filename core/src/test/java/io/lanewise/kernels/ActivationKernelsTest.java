package io.lanewise.kernels;

import static io.lanewise.kernels.KernelTestSupport.assertClose;
import static io.lanewise.kernels.KernelTestSupport.assertPaddingUntouched;
import static io.lanewise.kernels.KernelTestSupport.gaussian;
import static io.lanewise.kernels.KernelTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.lanewise.kernels.KernelTestSupport.Shape;
import io.lanewise.kernels.vector.VectorActivationKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceActivations;
import io.lanewise.spec.Activation;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationKernelsTest {
    /** A bound {@code |err| ≤ atol + rtol·|ref|} on f and on f'. */
    record Bound(double atol, double rtol, double derivativeAtol, double derivativeRtol) {
    }

    /**
     * The maximum error of each activation, forward and derivative, against the double reference on float
     * inputs, both implementations: [-20, 20] step 1e-3 plus random points up to |z| = 1e4. The absolute
     * terms cover cancellation (1 − s for a saturated sigmoid, 1 + tanh in GELU for z ≪ 0, a derivative
     * crossing zero), where one float ulp of an O(1) intermediate is the whole error.
     */
    static final Map<Activation.Kind, Bound> BOUNDS = new EnumMap<>(Map.of(
            Activation.Kind.IDENTITY, new Bound(0, 0, 0, 0),
            Activation.Kind.RELU, new Bound(0, 0, 0, 0),
            Activation.Kind.LEAKY_RELU, new Bound(0, 6e-8, 0, 0),
            Activation.Kind.SIGMOID, new Bound(1e-30, 5e-7, 1e-7, 5e-7),
            Activation.Kind.TANH, new Bound(1e-30, 5e-7, 2e-7, 5e-7),
            Activation.Kind.GELU, new Bound(1e-6, 1e-6, 1e-6, 1e-6),
            Activation.Kind.SILU, new Bound(1e-30, 1e-6, 2e-7, 1e-6)));

    static final List<Activation> ACTIVATIONS = List.of(Activation.IDENTITY, Activation.RELU,
            Activation.leakyRelu(0.01f), Activation.leakyRelu(0.2f), Activation.SIGMOID, Activation.TANH,
            Activation.GELU, Activation.SILU);

    static List<ActivationKernels> implementations() {
        return List.of(new ScalarActivationKernels(), new VectorActivationKernels());
    }

    /** The dense sweep of [-20, 20] in steps of 1e-3, then random points: normal, uniform and log-uniform. */
    private static float[] sweepAndRandomPoints() {
        float[] z = new float[100 * 1000];
        int sweep = 40_001;
        for (int i = 0; i < sweep; i++) {
            z[i] = (float) (-20 + i * 1e-3);
        }
        SeededRandom random = new SeededRandom(7);
        for (int i = sweep; i < z.length; i++) {
            double sign = random.nextDouble() < 0.5 ? -1 : 1;
            z[i] = (float) switch (i % 3) {
                case 0 -> 3 * random.nextGaussian();
                case 1 -> 60 * random.nextDouble() - 30;
                default -> sign * Math.pow(10, -6 + 10 * random.nextDouble());
            };
        }
        return z;
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void maximumErrorAgainstReferenceIsWithinTheStatedBound(ActivationKernels kernels) {
        float[] z = sweepAndRandomPoints();
        Shape shape = new Shape(100, 1000, 1000);
        try (Arena arena = Arena.ofConfined()) {
            Matrix zm = matrix(arena, shape, z);
            Matrix out = matrix(arena, shape);
            Matrix ones = matrix(arena, shape);
            ones.fill(1f);
            for (Activation f : ACTIVATIONS) {
                Bound bound = BOUNDS.get(f.kind());
                kernels.forward(f, zm, out);
                String name = kernels.getClass().getSimpleName() + " " + f.id();
                check(name + " f", z, out, bound.atol(), bound.rtol(), f, false);
                kernels.backward(f, zm, ones, out);
                check(name + " f'", z, out, bound.derivativeAtol(), bound.derivativeRtol(), f, true);
            }
        }
    }

    private static void check(String what, float[] z, Matrix out, double atol, double rtol, Activation f,
                              boolean derivative) {
        float[] actual = out.toArray();
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < z.length; i++) {
            double ref = derivative ? ReferenceActivations.derivative(f, z[i]) : ReferenceActivations.apply(f, z[i]);
            double err = Math.abs(actual[i] - ref);
            if (!(err <= atol + rtol * Math.abs(ref))) {
                fail(what + " at z=" + z[i] + ": expected " + ref + ", got " + actual[i] + " (error " + err
                        + ", bound " + (atol + rtol * Math.abs(ref)) + ")");
            }
            maxAbs = Math.max(maxAbs, err);
            if (Math.abs(ref) > 1e-3) {
                maxRel = Math.max(maxRel, err / Math.abs(ref));
            }
        }
        System.out.printf("max error %-40s abs %.3e  rel (|ref| > 1e-3) %.3e%n", what, maxAbs, maxRel);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void everyShapeAndStrideMatchesTheReference(ActivationKernels kernels) {
        SeededRandom random = new SeededRandom(11);
        for (Shape shape : KernelTestSupport.shapes(3)) {
            int n = shape.rows() * shape.cols();
            float[] z = gaussian(random, n, 3);
            float[] upstream = gaussian(random, n, 1);
            for (Activation f : ACTIVATIONS) {
                Bound bound = BOUNDS.get(f.kind());
                try (Arena arena = Arena.ofConfined()) {
                    Matrix zm = matrix(arena, shape, z);
                    Matrix a = matrix(arena, shape);
                    Matrix dA = matrix(arena, shape, upstream);
                    Matrix dZ = matrix(arena, shape);
                    kernels.forward(f, zm, a);
                    kernels.backward(f, zm, dA, dZ);
                    DoubleMatrix expectedA = DoubleMatrix.zeros(shape.rows(), shape.cols());
                    DoubleMatrix expectedDz = DoubleMatrix.zeros(shape.rows(), shape.cols());
                    for (int i = 0; i < n; i++) {
                        expectedA.data()[i] = ReferenceActivations.apply(f, z[i]);
                        expectedDz.data()[i] = upstream[i] * ReferenceActivations.derivative(f, z[i]);
                    }
                    String what = f.id() + " " + shape;
                    assertClose(expectedA, a, bound.atol(), bound.rtol(), what + " forward");
                    // dA·f' adds one rounding to f''s error.
                    assertClose(expectedDz, dZ, bound.derivativeAtol() * 4, bound.derivativeRtol() + 1.2e-7,
                            what + " backward");
                    assertPaddingUntouched(a, what + " forward");
                    assertPaddingUntouched(dZ, what + " backward");

                    kernels.backward(f, zm, dA, dA);
                    assertClose(expectedDz, dA, bound.derivativeAtol() * 4, bound.derivativeRtol() + 1.2e-7,
                            what + " backward in place");
                    kernels.forward(f, zm, zm);
                    assertClose(expectedA, zm, bound.atol(), bound.rtol(), what + " forward in place");
                    assertPaddingUntouched(zm, what + " in place");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void mismatchedShapesAreRejected(ActivationKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix z = matrix(arena, new Shape(3, 5, 5));
            Matrix wide = matrix(arena, new Shape(3, 6, 6));
            assertThrows(IllegalArgumentException.class, () -> kernels.forward(Activation.RELU, z, wide));
            assertThrows(IllegalArgumentException.class, () -> kernels.backward(Activation.RELU, z, wide, z));
            assertThrows(IllegalArgumentException.class, () -> kernels.backward(Activation.RELU, z, z, wide));
        }
    }

    @Test
    void closedMemoryIsRejected() {
        Matrix z;
        try (Arena arena = Arena.ofConfined()) {
            z = matrix(arena, new Shape(2, 2, 2));
        }
        for (ActivationKernels kernels : implementations()) {
            assertThrows(IllegalStateException.class, () -> kernels.forward(Activation.TANH, z, z));
        }
    }
}
