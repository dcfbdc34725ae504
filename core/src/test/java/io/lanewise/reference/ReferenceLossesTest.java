package io.lanewise.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReferenceLossesTest {

    @Test
    void softmaxIsStableForHugeLogitsAndSumsToOne() {
        double[] p = ReferenceLosses.softmax(new double[] {1000, 1001, 1002});
        double sum = p[0] + p[1] + p[2];
        assertEquals(1, sum, 1e-15);
        double e = Math.exp(1);
        assertEquals(1 / (1 + e + e * e), p[0], 1e-15);
    }

    @Test
    void softmaxCrossEntropyMatchesAHandWorkedValueAndGradient() {
        DoubleMatrix logits = new DoubleMatrix(2, 3, new double[] {1, 2, 3, 0, 0, 0});
        DoubleMatrix grad = DoubleMatrix.zeros(2, 3);
        double loss = ReferenceLosses.softmaxCrossEntropy(logits, new int[] {2, 0}, grad);
        double row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
        double row1 = Math.log(3);
        assertEquals((row0 + row1) / 2, loss, 1e-14);
        double[] p0 = ReferenceLosses.softmax(new double[] {1, 2, 3});
        assertEquals((p0[2] - 1) / 2, grad.get(0, 2), 1e-15);
        assertEquals(p0[0] / 2, grad.get(0, 0), 1e-15);
        assertEquals((1.0 / 3 - 1) / 2, grad.get(1, 0), 1e-15);
    }

    @Test
    void meanSquaredErrorAveragesOverAllElements() {
        DoubleMatrix y = new DoubleMatrix(2, 2, new double[] {1, 2, 3, 4});
        DoubleMatrix t = new DoubleMatrix(2, 2, new double[] {0, 2, 3, 2});
        DoubleMatrix grad = DoubleMatrix.zeros(2, 2);
        assertEquals((1 + 4) / 4.0, ReferenceLosses.meanSquaredError(y, t, grad), 1e-15);
        assertEquals(2 * 1 / 4.0, grad.get(0, 0), 1e-15);
        assertEquals(2 * 2 / 4.0, grad.get(1, 1), 1e-15);
    }

    @Test
    void binaryCrossEntropyIsStableForLargeLogits() {
        DoubleMatrix x = new DoubleMatrix(1, 3, new double[] {800, -800, 0});
        DoubleMatrix t = new DoubleMatrix(1, 3, new double[] {1, 1, 0.5});
        DoubleMatrix grad = DoubleMatrix.zeros(1, 3);
        double loss = ReferenceLosses.sigmoidBinaryCrossEntropy(x, t, grad);
        assertEquals((0 + 800 + Math.log(2)) / 3, loss, 1e-12);
        assertEquals(-1 / 3.0, grad.get(0, 1), 1e-15);
        assertEquals(0, grad.get(0, 2), 1e-15);
    }

    @Test
    void lossGradientsMatchCentralDifferences() {
        DoubleMatrix logits = new DoubleMatrix(2, 3, new double[] {0.3, -1.2, 2.0, 0.7, 0.1, -0.4});
        DoubleMatrix targets = new DoubleMatrix(2, 3, new double[] {1, 0, 0.25, 0, 1, 0.5});
        int[] labels = {1, 2};
        DoubleMatrix ce = DoubleMatrix.zeros(2, 3);
        DoubleMatrix mse = DoubleMatrix.zeros(2, 3);
        DoubleMatrix bce = DoubleMatrix.zeros(2, 3);
        ReferenceLosses.softmaxCrossEntropy(logits, labels, ce);
        ReferenceLosses.meanSquaredError(logits, targets, mse);
        ReferenceLosses.sigmoidBinaryCrossEntropy(logits, targets, bce);
        double h = 1e-6;
        for (int i = 0; i < 6; i++) {
            DoubleMatrix up = logits.copy();
            DoubleMatrix down = logits.copy();
            up.data()[i] += h;
            down.data()[i] -= h;
            assertEquals((ReferenceLosses.softmaxCrossEntropy(up, labels, null)
                    - ReferenceLosses.softmaxCrossEntropy(down, labels, null)) / (2 * h), ce.data()[i], 1e-9);
            assertEquals((ReferenceLosses.meanSquaredError(up, targets, null)
                    - ReferenceLosses.meanSquaredError(down, targets, null)) / (2 * h), mse.data()[i], 1e-9);
            assertEquals((ReferenceLosses.sigmoidBinaryCrossEntropy(up, targets, null)
                    - ReferenceLosses.sigmoidBinaryCrossEntropy(down, targets, null)) / (2 * h), bce.data()[i], 1e-9);
        }
    }

    @Test
    void rejectsLabelsOutOfRangeNamingRowAndRange() {
        DoubleMatrix logits = DoubleMatrix.zeros(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceLosses.softmaxCrossEntropy(logits, new int[] {0, 4, 1}, null));
        assertTrue(e.getMessage().contains("label 4 at row 1") && e.getMessage().contains("0..3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLosses.softmaxCrossEntropy(logits, new int[] {0, -1, 1}, null));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> ReferenceLosses.softmaxCrossEntropy(logits, new int[] {0, 1}, null));
        assertTrue(count.getMessage().contains("one label per row (3), got 2"), count.getMessage());
    }

    @Test
    void rejectsMismatchedTargetsAndBadBinaryTargets() {
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> ReferenceLosses.meanSquaredError(DoubleMatrix.zeros(2, 3), DoubleMatrix.zeros(3, 2), null));
        assertTrue(shape.getMessage().contains("targets must be 2x3"), shape.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ReferenceLosses.sigmoidBinaryCrossEntropy(DoubleMatrix.zeros(1, 2),
                        new DoubleMatrix(1, 2, new double[] {0, 1.5}), null));
        assertTrue(range.getMessage().contains("[0, 1], got 1.5"), range.getMessage());
    }
}
