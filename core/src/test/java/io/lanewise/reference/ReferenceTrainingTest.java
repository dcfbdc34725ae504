package io.lanewise.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import org.junit.jupiter.api.Test;

/** The reference learns small problems: its loss falls below stated thresholds. */
class ReferenceTrainingTest {

    @Test
    void learnsXorWithMeanSquaredError() {
        MlpSpec spec = MlpSpec.builder(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                .loss(Loss.MEAN_SQUARED_ERROR).initializer(Initializer.XAVIER_UNIFORM).seed(3).build();
        ReferenceTrainer trainer = new ReferenceTrainer(new ReferenceMlp(spec), Optimizer.sgd(0.5, 0.9, false));
        DoubleMatrix x = new DoubleMatrix(4, 2, new double[] {0, 0, 0, 1, 1, 0, 1, 1});
        DoubleMatrix y = new DoubleMatrix(4, 1, new double[] {0, 1, 1, 0});
        double first = trainer.step(x, y);
        double loss = first;
        for (int i = 0; i < 2000; i++) {
            loss = trainer.step(x, y);
        }
        assertTrue(loss < 0.01, "XOR loss " + first + " -> " + loss + ", expected < 0.01");
        DoubleMatrix out = trainer.network().predict(x);
        for (int r = 0; r < 4; r++) {
            assertEquals(y.get(r, 0), Math.round(out.get(r, 0)), "XOR row " + r);
        }
    }

    @Test
    void learnsTwoSpiralsWithSoftmaxCrossEntropy() {
        int n = 200;
        ClassificationData data = TwoSpirals.generate(n, 0.02, 1);
        DoubleMatrix x = DoubleMatrix.of(n, 2, data.features());
        int[] labels = data.labels();
        MlpSpec spec = MlpSpec.builder(2).dense(32, Activation.TANH).dense(32, Activation.TANH)
                .dense(2, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(9).build();
        ReferenceTrainer trainer = new ReferenceTrainer(new ReferenceMlp(spec), Optimizer.adam(0.01));
        double loss = 0;
        for (int i = 0; i < 1500; i++) {
            loss = trainer.step(x, labels);
        }
        assertTrue(loss < 0.05, "two-spirals loss " + loss + ", expected < 0.05");
        DoubleMatrix logits = trainer.network().predict(x);
        int correct = 0;
        for (int r = 0; r < n; r++) {
            int predicted = logits.get(r, 1) > logits.get(r, 0) ? 1 : 0;
            correct += predicted == labels[r] ? 1 : 0;
        }
        assertTrue(correct >= 0.98 * n, "two-spirals accuracy " + correct + "/" + n);
    }

    @Test
    void nanInTheLossIsAnIllegalStateAndLeavesParametersUntouched() {
        MlpSpec spec = MlpSpec.builder(2).dense(2, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        ReferenceTrainer trainer = new ReferenceTrainer(new ReferenceMlp(spec), Optimizer.sgd(0.1));
        double before = trainer.network().weights(0).get(0, 0);
        DoubleMatrix x = new DoubleMatrix(1, 2, new double[] {Double.NaN, 1});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.step(x, DoubleMatrix.zeros(1, 2)));
        assertTrue(e.getMessage().contains("loss is NaN at step 0"), e.getMessage());
        assertEquals(before, trainer.network().weights(0).get(0, 0));
        assertEquals(0, trainer.optimizer().steps());
    }

    @Test
    void rejectsInputsOfTheWrongWidthAndTheWrongKindOfTargets() {
        MlpSpec spec = MlpSpec.builder(3).dense(4, Activation.RELU).dense(2, Activation.IDENTITY).build();
        ReferenceTrainer trainer = new ReferenceTrainer(new ReferenceMlp(spec), Optimizer.sgd(0.1));
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> trainer.step(DoubleMatrix.zeros(2, 4), new int[] {0, 1}));
        assertTrue(width.getMessage().contains("3 features, got 4"), width.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> trainer.step(DoubleMatrix.zeros(2, 3), DoubleMatrix.zeros(2, 2)));
        assertTrue(kind.getMessage().contains("takes integer class labels"), kind.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> trainer.step(DoubleMatrix.zeros(2, 3), new int[] {0, 2}));
        assertTrue(label.getMessage().contains("label 2 at row 1"), label.getMessage());
    }
}
