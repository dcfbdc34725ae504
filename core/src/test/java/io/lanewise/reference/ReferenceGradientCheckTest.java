package io.lanewise.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of the reference's backward pass, in double, for every hidden activation ×
 * loss: every weight and bias gradient agrees with a central difference of the loss to a relative error
 * {@code |analytic − numeric| / max(|analytic| + |numeric|, 1e-4)} below 1e-6.
 */
class ReferenceGradientCheckTest {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-6;
    private static final double FLOOR = 1e-4;
    private static final int BATCH = 4;

    static Stream<Arguments> activationsAndLosses() {
        List<Arguments> cases = new ArrayList<>();
        Activation[] hidden = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f), Activation.SIGMOID,
                Activation.TANH, Activation.GELU, Activation.SILU};
        for (Activation f : hidden) {
            for (Loss loss : Loss.values()) {
                cases.add(Arguments.of(f, loss));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1}")
    @MethodSource("activationsAndLosses")
    void gradientsMatchCentralDifferences(Activation hidden, Loss loss) {
        int outputs = loss == Loss.SOFTMAX_CROSS_ENTROPY ? 4 : 3;
        // The last layer: logits for the cross-entropies; for MSE the hidden activation again, to check it there too.
        Activation last = loss == Loss.MEAN_SQUARED_ERROR ? hidden : Activation.IDENTITY;
        MlpSpec spec = MlpSpec.builder(3).dense(5, hidden).dense(4, hidden).dense(outputs, last)
                .loss(loss).initializer(Initializer.XAVIER_NORMAL).seed(11).build();
        ReferenceMlp net = new ReferenceMlp(spec);
        SeededRandom random = new SeededRandom(5);
        for (double[] b : new double[][] {net.biases(0), net.biases(1), net.biases(2)}) {
            for (int i = 0; i < b.length; i++) {
                b[i] = 0.2 * random.nextGaussian(); // non-zero biases, so their gradients are exercised
            }
        }
        DoubleMatrix x = DoubleMatrix.zeros(BATCH, 3);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = random.nextGaussian();
        }
        int[] labels = new int[BATCH];
        DoubleMatrix targets = DoubleMatrix.zeros(BATCH, outputs);
        for (int r = 0; r < BATCH; r++) {
            labels[r] = random.nextInt(outputs);
            for (int c = 0; c < outputs; c++) {
                targets.set(r, c, loss == Loss.SIGMOID_BINARY_CROSS_ENTROPY ? random.nextDouble() : random.nextGaussian());
            }
        }
        boolean classes = loss.takesClassLabels();
        if (classes) {
            net.computeGradients(x, labels);
        } else {
            net.computeGradients(x, targets);
        }
        double[][] params = net.parameters();
        double[][] grads = net.gradients();
        double worst = 0;
        String where = "";
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                double saved = params[t][i];
                params[t][i] = saved + STEP;
                double up = classes ? net.loss(x, labels) : net.loss(x, targets);
                params[t][i] = saved - STEP;
                double down = classes ? net.loss(x, labels) : net.loss(x, targets);
                params[t][i] = saved;
                double numeric = (up - down) / (2 * STEP);
                double analytic = grads[t][i];
                double error = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), FLOOR);
                if (error > worst) {
                    worst = error;
                    where = "tensor " + t + " element " + i + ": analytic " + analytic + ", numeric " + numeric;
                }
            }
        }
        assertTrue(worst < TOLERANCE, "relative error " + worst + " at " + where);
    }
}
