package io.lanewise.spec;

/**
 * One dense layer: {@code A = f(X·W + b)} with W of shape (input width × {@code width}).
 *
 * @param width      number of outputs, positive
 * @param activation f
 */
public record Layer(int width, Activation activation) {
    /** Validates. */
    public Layer {
        if (width <= 0) {
            throw new IllegalArgumentException("layer width must be positive, got " + width);
        }
        if (activation == null) {
            throw new IllegalArgumentException("layer activation must not be null");
        }
    }
}
