package io.lanewise.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * One partition's training rows, dense: {@code rows × width} features row-major and a class label per row. Built
 * once from the input rows and cached, so each training step reads plain arrays.
 */
final class Shard implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final float[] features;
    private final int width;
    private final int[] labels;

    /** A shard of {@code labels.length} rows (the arrays are taken, not copied). */
    Shard(float[] features, int width, int[] labels) {
        this.features = features;
        this.width = width;
        this.labels = labels;
    }

    /** Row-major features, not a copy. */
    float[] features() {
        return features;
    }

    /** A class index per row, not a copy. */
    int[] labels() {
        return labels;
    }

    /** Number of rows. */
    int rows() {
        return labels.length;
    }

    /** Copies rows {@code order[from .. from + count)} into {@code x} (row-major) and {@code y}. */
    void gather(int[] order, int from, int count, float[] x, int[] y) {
        for (int r = 0; r < count; r++) {
            int row = order[from + r];
            System.arraycopy(features, row * width, x, r * width, width);
            y[r] = labels[row];
        }
    }
}
