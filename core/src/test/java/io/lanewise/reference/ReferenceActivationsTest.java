package io.lanewise.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lanewise.spec.Activation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceActivationsTest {

    static Stream<Activation> activations() {
        return Stream.of(Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f), Activation.SIGMOID,
                Activation.TANH, Activation.GELU, Activation.SILU);
    }

    /** The derivative agrees with a central difference away from kinks. */
    @ParameterizedTest
    @MethodSource("activations")
    void derivativeMatchesCentralDifference(Activation f) {
        double h = 1e-5;
        for (double z = -8.05; z <= 8; z += 0.1) {
            double numeric = (ReferenceActivations.apply(f, z + h) - ReferenceActivations.apply(f, z - h)) / (2 * h);
            double analytic = ReferenceActivations.derivative(f, z);
            assertEquals(numeric, analytic, 1e-8 + 1e-7 * Math.abs(analytic), f.id() + " at z=" + z);
        }
    }

    @ParameterizedTest
    @MethodSource("activations")
    void matchesKnownValues(Activation f) {
        double z = 1.5;
        double expected = switch (f.kind()) {
            case IDENTITY, RELU, LEAKY_RELU -> 1.5;
            case SIGMOID -> 1 / (1 + Math.exp(-1.5));
            case TANH -> Math.tanh(1.5);
            // the tanh form evaluated independently in Python (math.tanh), to 10 digits
            case GELU -> 1.3995715770;
            case SILU -> 1.5 / (1 + Math.exp(-1.5));
        };
        assertEquals(expected, ReferenceActivations.apply(f, z), 1e-9);
        double negative = switch (f.kind()) {
            case IDENTITY -> -2;
            case RELU -> 0;
            case LEAKY_RELU -> -2 * (double) 0.1f;
            case SIGMOID -> 1 / (1 + Math.exp(2));
            case TANH -> Math.tanh(-2);
            case GELU -> -0.0454023059;
            case SILU -> -2 / (1 + Math.exp(2));
        };
        assertEquals(negative, ReferenceActivations.apply(f, -2), 1e-9);
    }

    @ParameterizedTest
    @MethodSource("activations")
    void staysFiniteAtExtremes(Activation f) {
        for (double z : new double[] {-1e4, -100, 100, 1e4}) {
            assertEquals(true, Double.isFinite(ReferenceActivations.apply(f, z)), f.id() + " at " + z);
            assertEquals(true, Double.isFinite(ReferenceActivations.derivative(f, z)), f.id() + "' at " + z);
        }
    }
}
