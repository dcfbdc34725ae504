package io.lanewise.kernels;

import static io.lanewise.kernels.KernelTestSupport.assertClose;
import static io.lanewise.kernels.KernelTestSupport.assertPaddingUntouched;
import static io.lanewise.kernels.KernelTestSupport.gaussian;
import static io.lanewise.kernels.KernelTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lanewise.kernels.KernelTestSupport.Shape;
import io.lanewise.kernels.vector.VectorOptimizerKernels;
import io.lanewise.memory.Matrix;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceOptimizer;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerKernelsTest {
    private static final int STEPS = 4;
    /** Parameters after a few float updates: a few roundings of values of order 1. */
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-6;

    static final List<Optimizer> SPECS = List.of(
            Optimizer.sgd(0.1).withWeightDecay(0.01),
            Optimizer.sgd(0.05, 0.9, false).withWeightDecay(0.01),
            Optimizer.sgd(0.05, 0.9, true).withWeightDecay(0.01),
            Optimizer.adam(1e-2).withWeightDecay(0.01),
            Optimizer.adam(1e-3).withAdamParameters(0.8, 0.99, 1e-6),
            Optimizer.adamW(1e-2, 0.1));

    static List<OptimizerKernels> implementations() {
        return List.of(new ScalarOptimizerKernels(), new VectorOptimizerKernels());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void severalStepsOfEveryRuleMatchTheReference(OptimizerKernels kernels) {
        SeededRandom random = new SeededRandom(41);
        for (Shape shape : KernelTestSupport.shapes(12)) {
            int n = shape.rows() * shape.cols();
            for (Optimizer spec : SPECS) {
                String what = spec.kind() + " μ=" + spec.momentum() + " nesterov=" + spec.nesterov() + " " + shape;
                float[] w0 = gaussian(random, n, 1);
                double[][] params = {toDouble(w0)};
                ReferenceOptimizer reference = new ReferenceOptimizer(spec, new int[] {n});
                try (Arena arena = Arena.ofConfined()) {
                    Matrix w = matrix(arena, shape, w0);
                    Matrix g = matrix(arena, shape);
                    Matrix first = matrix(arena, shape, new float[n]);
                    Matrix second = matrix(arena, shape, new float[n]);
                    for (int step = 1; step <= STEPS; step++) {
                        float[] grad = gaussian(random, n, step == 2 ? 1e-3 : 1);
                        g.copyFrom(grad);
                        float lr = (float) spec.schedule().rate(step - 1);
                        kernels.update(spec, lr, step, w, g, spec.stateSlots() == 0 ? null : first, second);
                        reference.step(params, new double[][] {toDouble(grad)});
                    }
                    assertClose(new DoubleMatrix(shape.rows(), shape.cols(), params[0]), w, ATOL, RTOL, what + " w");
                    if (spec.stateSlots() > 0) {
                        assertClose(new DoubleMatrix(shape.rows(), shape.cols(), reference.firstMoment()[0]), first,
                                ATOL, RTOL, what + " first state");
                    }
                    if (spec.stateSlots() > 1) {
                        assertClose(new DoubleMatrix(shape.rows(), shape.cols(), reference.secondMoment()[0]), second,
                                1e-9, RTOL, what + " second moment");
                    }
                    assertPaddingUntouched(w, what + " w");
                    assertPaddingUntouched(first, what + " first state");
                    assertPaddingUntouched(second, what + " second moment");
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        for (OptimizerKernels kernels : implementations()) {
            try (Arena arena = Arena.ofConfined()) {
                Matrix a = matrix(arena, new Shape(3, 5, 5));
                Matrix b = matrix(arena, new Shape(3, 6, 6));
                Optimizer adam = Optimizer.adam(1e-3);
                Optimizer momentum = Optimizer.sgd(0.1, 0.9, false);
                assertThrows(IllegalArgumentException.class, () -> kernels.adam(adam, 1e-3f, 0, a, a, a, a));
                assertThrows(IllegalArgumentException.class, () -> kernels.adam(adam, 1e-3f, 1, a, a, b, a));
                assertThrows(IllegalArgumentException.class, () -> kernels.adam(momentum, 1e-3f, 1, a, a, a, a));
                assertThrows(IllegalArgumentException.class, () -> kernels.sgd(adam, 0.1f, a, a, a));
                assertThrows(IllegalArgumentException.class, () -> kernels.sgd(momentum, 0.1f, a, a, null));
                assertThrows(IllegalArgumentException.class, () -> kernels.sgd(Optimizer.sgd(0.1), 0.1f, a, b, null));
            }
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
