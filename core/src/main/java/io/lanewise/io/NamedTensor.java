package io.lanewise.io;

import java.util.Arrays;

/**
 * A named, row-major float tensor as stored in a model file: for example PyTorch's {@code "0.weight"} of shape
 * (out, in). The data array is held, not copied; the shape is copied in and out.
 *
 * @param name  the tensor's name, not empty
 * @param shape the dimensions, each at least 0; empty for a scalar
 * @param data  the elements, row-major; exactly the product of the dimensions
 */
public record NamedTensor(String name, long[] shape, float[] data) {

    /**
     * Validates the name and that the data holds exactly the shape's number of elements.
     *
     * @throws IllegalArgumentException naming the tensor and what does not match
     */
    public NamedTensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be null or empty, got " + (name == null ? "null" : "\"\""));
        }
        if (shape == null || data == null) {
            throw new IllegalArgumentException("tensor '" + name + "': shape and data must not be null");
        }
        shape = shape.clone();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
        }
        long elements = elements(shape);
        if (elements != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs "
                    + (elements < 0 ? "more than 2^63" : elements) + " elements, got " + data.length);
        }
    }

    /** A tensor with an int shape, e.g. {@code new NamedTensor("0.weight", new int[] {out, in}, w)}. */
    public NamedTensor(String name, int[] shape, float[] data) {
        this(name, shape == null ? null : Arrays.stream(shape).asLongStream().toArray(), data);
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamedTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
    }

    /**
     * The product of {@code shape} (whose dimensions are not negative), or -1 if it overflows a long. A zero
     * dimension makes it 0 whatever the others are.
     */
    static long elements(long[] shape) {
        long product = 1;
        boolean overflow = false;
        for (long dim : shape) {
            if (dim == 0) {
                return 0;
            }
            overflow |= Math.multiplyHigh(product, dim) != 0 || product * dim < 0;
            product *= dim;
        }
        return overflow ? -1 : product;
    }
}
