package io.lanewise.reference;

import io.lanewise.memory.Matrix;
import java.util.Arrays;

/**
 * A dense row-major matrix of doubles on the heap: the reference's storage. Slow on purpose: the point
 * is to be obviously correct.
 *
 * @param rows number of rows, positive
 * @param cols number of columns, positive
 * @param data {@code rows · cols} elements, row-major
 */
public record DoubleMatrix(int rows, int cols, double[] data) {

    /** Validates the shape against the data. */
    public DoubleMatrix {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " elements, got " + data.length);
        }
    }

    /** A zero matrix. */
    public static DoubleMatrix zeros(int rows, int cols) {
        return new DoubleMatrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** Widens {@code rows · cols} floats, row-major, from {@code values}. */
    public static DoubleMatrix of(int rows, int cols, float[] values) {
        DoubleMatrix m = zeros(rows, cols);
        if (values.length < m.data.length) {
            throw new IllegalArgumentException("expected " + m.data.length + " values for " + rows + "x" + cols
                    + ", got " + values.length);
        }
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = values[i];
        }
        return m;
    }

    /** Widens an off-heap float matrix (its padding is not read). */
    public static DoubleMatrix of(Matrix m) {
        DoubleMatrix d = zeros(m.rows(), m.cols());
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                d.set(r, c, m.get(r, c));
            }
        }
        return d;
    }

    /** Element (r, c). */
    public double get(int r, int c) {
        return data[index(r, c)];
    }

    /** Sets element (r, c). */
    public void set(int r, int c, double v) {
        data[index(r, c)] = v;
    }

    /** A deep copy. */
    public DoubleMatrix copy() {
        return new DoubleMatrix(rows, cols, data.clone());
    }

    /** "rows x cols". */
    public String shape() {
        return rows + "x" + cols;
    }

    private int index(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("element (" + r + ", " + c + ") is outside a " + shape() + " matrix");
        }
        return r * cols + c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DoubleMatrix[" + shape() + "]";
    }
}
