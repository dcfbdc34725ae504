package io.lanewise.bench;

import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.SeededRandom;

/** Setup shared by the kernel benchmarks: matrices in one off-heap block, filled with seeded draws. */
final class BenchData {
    private BenchData() {
    }

    /** {@code count} matrices of {@code rows × cols}, slots 0 .. count-1, zeroed. */
    static Storage matrices(int count, int rows, int cols) {
        Storage.Builder plan = Storage.builder();
        for (int i = 0; i < count; i++) {
            plan.matrix(rows, cols);
        }
        return plan.allocate();
    }

    /** Fills {@code m} with {@code scale · N(0, 1)} draws. */
    static void gaussian(Matrix m, SeededRandom random, double scale) {
        float[] values = new float[m.rows() * m.cols()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * random.nextGaussian());
        }
        m.copyFrom(values);
    }
}
