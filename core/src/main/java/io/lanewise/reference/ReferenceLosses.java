package io.lanewise.reference;

import io.lanewise.spec.Loss;

/**
 * Every loss with its gradient with respect to the last layer's output, in double. Losses are means
 * (see {@link Loss}), so gradients carry the 1/batch (or 1/elements) factor.
 */
public final class ReferenceLosses {
    private ReferenceLosses() {
    }

    /** Softmax of one row, stable (the row maximum is subtracted first). */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Softmax of every row. */
    public static DoubleMatrix softmax(DoubleMatrix logits) {
        DoubleMatrix out = DoubleMatrix.zeros(logits.rows(), logits.cols());
        double[] row = new double[logits.cols()];
        for (int r = 0; r < logits.rows(); r++) {
            System.arraycopy(logits.data(), r * logits.cols(), row, 0, row.length);
            System.arraycopy(softmax(row), 0, out.data(), r * logits.cols(), row.length);
        }
        return out;
    }

    /**
     * Mean softmax cross-entropy of logits against class labels; writes {@code (softmax − onehot) / batch}
     * into {@code gradient} when it is not null.
     *
     * @throws IllegalArgumentException if a label is out of range or the shapes differ
     */
    public static double softmaxCrossEntropy(DoubleMatrix logits, int[] labels, DoubleMatrix gradient) {
        checkLabels(labels, logits.rows(), logits.cols());
        checkGradient(logits, gradient);
        int batch = logits.rows();
        double total = 0;
        double[] row = new double[logits.cols()];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(logits.data(), r * logits.cols(), row, 0, row.length);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : row) {
                sum += Math.exp(v - max);
            }
            double logSum = max + Math.log(sum);
            total += logSum - row[labels[r]];
            if (gradient != null) {
                for (int c = 0; c < row.length; c++) {
                    double p = Math.exp(row[c] - logSum);
                    gradient.set(r, c, (p - (c == labels[r] ? 1 : 0)) / batch);
                }
            }
        }
        return total / batch;
    }

    /** Mean of (y − t)² over all elements; writes {@code 2(y − t) / elements} into {@code gradient} if not null. */
    public static double meanSquaredError(DoubleMatrix outputs, DoubleMatrix targets, DoubleMatrix gradient) {
        checkTargets(outputs, targets);
        checkGradient(outputs, gradient);
        double n = outputs.data().length;
        double total = 0;
        for (int i = 0; i < outputs.data().length; i++) {
            double d = outputs.data()[i] - targets.data()[i];
            total += d * d;
            if (gradient != null) {
                gradient.data()[i] = 2 * d / n;
            }
        }
        return total / n;
    }

    /**
     * Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1], in the stable form
     * {@code max(x, 0) − x·t + log(1 + e^−|x|)}; writes {@code (sigmoid(x) − t) / elements} into
     * {@code gradient} if not null.
     */
    public static double sigmoidBinaryCrossEntropy(DoubleMatrix logits, DoubleMatrix targets, DoubleMatrix gradient) {
        checkTargets(logits, targets);
        checkGradient(logits, gradient);
        double n = logits.data().length;
        double total = 0;
        for (int i = 0; i < logits.data().length; i++) {
            double x = logits.data()[i];
            double t = targets.data()[i];
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("binary cross-entropy target at element " + i
                        + " must be in [0, 1], got " + t);
            }
            total += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
            if (gradient != null) {
                gradient.data()[i] = (ReferenceActivations.sigmoid(x) - t) / n;
            }
        }
        return total / n;
    }

    /**
     * Checks class labels: one per row, each in [0, classes).
     *
     * @throws IllegalArgumentException naming the first bad label and its row
     */
    public static void checkLabels(int[] labels, int rows, int classes) {
        if (labels.length != rows) {
            throw new IllegalArgumentException("expected one label per row (" + rows + "), got " + labels.length);
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label " + labels[r] + " at row " + r + " is out of range: expected 0.."
                        + (classes - 1));
            }
        }
    }

    private static void checkTargets(DoubleMatrix outputs, DoubleMatrix targets) {
        if (targets.rows() != outputs.rows() || targets.cols() != outputs.cols()) {
            throw new IllegalArgumentException("targets must be " + outputs.shape() + " like the outputs, got "
                    + targets.shape());
        }
    }

    private static void checkGradient(DoubleMatrix outputs, DoubleMatrix gradient) {
        if (gradient != null && (gradient.rows() != outputs.rows() || gradient.cols() != outputs.cols())) {
            throw new IllegalArgumentException("gradient must be " + outputs.shape() + ", got " + gradient.shape());
        }
    }
}
