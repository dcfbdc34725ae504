package io.lanewise.spark;

import io.lanewise.memory.Matrix;
import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;

/**
 * Parameter-shaped tensors (W_0, b_0, W_1, b_1, ...) laid end to end in one {@code float[]}, each row-major:
 * the form weights, gradients and optimizer state travel in between the driver and the executors. It is
 * also the layout of Spark MLlib's multilayer perceptron weights (W as column-major out × in, then b).
 */
final class Tensors {
    private Tensors() {
    }

    /** A network's parameters, live. */
    static Matrix[] parameters(Network network) {
        Matrix[] t = new Matrix[2 * network.depth()];
        for (int l = 0; l < network.depth(); l++) {
            t[2 * l] = network.weights(l);
            t[2 * l + 1] = network.biases(l);
        }
        return t;
    }

    /** A trainer's gradients, live. */
    static Matrix[] gradients(Trainer trainer) {
        Matrix[] t = new Matrix[2 * trainer.network().depth()];
        for (int i = 0; i < t.length; i++) {
            t[i] = trainer.gradient(i);
        }
        return t;
    }

    /** A trainer's optimizer state slot {@code slot} (0: velocity or first moment, 1: second moment), live. */
    static Matrix[] optimizerState(Trainer trainer, int slot) {
        Matrix[] t = new Matrix[2 * trainer.network().depth()];
        for (int i = 0; i < t.length; i++) {
            t[i] = trainer.optimizerState(i, slot);
        }
        return t;
    }

    /** Floats in all the tensors. */
    static int size(Matrix[] tensors) {
        long n = 0;
        for (Matrix m : tensors) {
            n += (long) m.rows() * m.cols();
        }
        return Math.toIntExact(n);
    }

    /** Copies the tensors into {@code dst} from {@code offset}; returns the offset after them. */
    static int copyTo(Matrix[] tensors, float[] dst, int offset) {
        int at = offset;
        for (Matrix m : tensors) {
            m.copyTo(dst, at);
            at += m.rows() * m.cols();
        }
        return at;
    }

    /** Fills the tensors from {@code src} at {@code offset}; returns the offset after them. */
    static int copyFrom(float[] src, int offset, Matrix[] tensors) {
        int at = offset;
        for (Matrix m : tensors) {
            m.copyFrom(src, at);
            at += m.rows() * m.cols();
        }
        return at;
    }
}
