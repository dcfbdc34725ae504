package io.lanewise.samples.cli;

import io.lanewise.data.ClassificationData;
import io.lanewise.nn.Predictor;
import java.io.PrintWriter;

/**
 * Accuracy and confusion matrix of a predictor over a labelled data set, predicted in batches.
 *
 * @param confusion {@code confusion[actual][predicted]} counts
 */
record Evaluation(int[][] confusion) {
    static final int BATCH = 256;

    /** Predicts every row of {@code data} (batches of at most {@value #BATCH} rows). */
    static Evaluation of(Predictor predictor, ClassificationData data) {
        if (data.width() != predictor.inputWidth()) {
            throw new IllegalArgumentException("the model takes " + predictor.inputWidth() + " features per row but the data has "
                    + data.width() + " (a model trained on other data?)");
        }
        int classes = predictor.outputWidth();
        if (data.classes() > classes) {
            throw new IllegalArgumentException("the data has " + data.classes() + " classes but the model only "
                    + classes + " outputs");
        }
        int[][] confusion = new int[classes][classes];
        float[] in = new float[BATCH * data.width()];
        float[] out = new float[BATCH * classes];
        for (int from = 0; from < data.rows(); from += BATCH) {
            int rows = Math.min(BATCH, data.rows() - from);
            float[] x = rows == BATCH ? in : new float[rows * data.width()];
            float[] y = rows == BATCH ? out : new float[rows * classes];
            System.arraycopy(data.features(), from * data.width(), x, 0, x.length);
            predictor.predict(x, y);
            for (int r = 0; r < rows; r++) {
                confusion[data.labels()[from + r]][Predictor.bestClass(y, r * classes, classes)]++;
            }
        }
        return new Evaluation(confusion);
    }

    /** The share of rows predicted right. */
    double accuracy() {
        long right = 0;
        long all = 0;
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion.length; p++) {
                all += confusion[a][p];
                right += a == p ? confusion[a][p] : 0;
            }
        }
        return all == 0 ? 0 : (double) right / all;
    }

    /** Prints the matrix, rows the actual class, columns the predicted one. */
    void printConfusion(PrintWriter out) {
        out.println("confusion matrix (rows: actual class, columns: predicted class):");
        StringBuilder head = new StringBuilder("      ");
        for (int p = 0; p < confusion.length; p++) {
            head.append(String.format("%6d", p));
        }
        out.println(head);
        for (int a = 0; a < confusion.length; a++) {
            StringBuilder row = new StringBuilder(String.format("%6d", a));
            for (int p = 0; p < confusion.length; p++) {
                row.append(String.format("%6d", confusion[a][p]));
            }
            out.println(row);
        }
    }
}
