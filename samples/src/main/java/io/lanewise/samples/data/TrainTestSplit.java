package io.lanewise.samples.data;

import io.lanewise.data.ClassificationData;
import io.lanewise.spec.SeededRandom;

/**
 * A data set split in two by a seeded shuffle: the same seed gives the same split on every run and JVM.
 *
 * @param train the rows to train on
 * @param test  the held-out rows
 */
public record TrainTestSplit(ClassificationData train, ClassificationData test) {

    /**
     * Shuffles the rows of {@code data} with {@code seed} and holds out {@code round(rows · testFraction)} of them
     * (e.g. 0.2 for an 80/20 split); both parts keep the number of classes.
     *
     * @throws IllegalArgumentException if the fraction is not in (0, 1) or leaves either part empty
     */
    public static TrainTestSplit shuffled(ClassificationData data, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        int rows = data.rows();
        int testRows = (int) Math.round(rows * testFraction);
        if (testRows == 0 || testRows == rows) {
            throw new IllegalArgumentException("a test fraction of " + testFraction + " of " + rows
                    + " rows leaves one part empty");
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        new SeededRandom(seed).shuffle(order, rows);
        return new TrainTestSplit(select(data, order, testRows, rows), select(data, order, 0, testRows));
    }

    /** The rows {@code order[from .. to)} of {@code data}, in that order. */
    private static ClassificationData select(ClassificationData data, int[] order, int from, int to) {
        int width = data.width();
        float[] features = new float[(to - from) * width];
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
            System.arraycopy(data.features(), order[i] * width, features, (i - from) * width, width);
            labels[i - from] = data.labels()[order[i]];
        }
        return new ClassificationData(features, width, labels, data.classes());
    }
}
