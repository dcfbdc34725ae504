package io.lanewise.data;

/**
 * A labelled data set held in memory: {@code rows} feature rows of {@code width} floats, dense
 * row-major, and one class label in [0, classes) per row.
 *
 * @param features {@code rows · width} floats, row-major
 * @param width    features per row, positive
 * @param labels   one label per row
 * @param classes  number of classes, at least 2
 */
public record ClassificationData(float[] features, int width, int[] labels, int classes) {

    /** Validates shapes and labels, naming the first problem. */
    public ClassificationData {
        if (width <= 0 || classes < 2) {
            throw new IllegalArgumentException("width must be positive and classes at least 2, got width " + width
                    + ", classes " + classes);
        }
        if (features.length != (long) labels.length * width) {
            throw new IllegalArgumentException("expected " + (long) labels.length * width + " features for "
                    + labels.length + " rows of width " + width + ", got " + features.length);
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label " + labels[r] + " at row " + r + " is out of range: expected 0.."
                        + (classes - 1));
            }
        }
    }

    /** Number of rows. */
    public int rows() {
        return labels.length;
    }
}
