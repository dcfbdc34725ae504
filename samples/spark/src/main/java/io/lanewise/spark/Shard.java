package io.lanewise.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * One partition's training rows, dense: {@code rows × width} features row-major and a class label per row. Built
 * once from the input rows and cached, so each training step reads plain arrays.
 *
 * @param features row-major features
 * @param width    features per row
 * @param labels   a class index per row
 */
record Shard(float[] features, int width, int[] labels) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

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
