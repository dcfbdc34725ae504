package io.lanewise.kernels.internal;

import io.lanewise.memory.Matrix;

/**
 * Argument checks shared by the scalar and vector kernels, run once per call before any element is
 * written, so that a bad call leaves every output untouched. In a package the module does not export.
 */
public final class KernelChecks {
    private KernelChecks() {
    }

    /**
     * Checks that {@code m} is alive and has the shape of {@code like}.
     *
     * @throws IllegalArgumentException naming {@code what}, the expected and the actual shape
     * @throws IllegalStateException    if either matrix's memory was freed
     */
    public static void sameShape(Matrix like, String what, Matrix m) {
        like.checkAlive();
        if (m == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        m.checkAlive();
        if (m.rows() != like.rows() || m.cols() != like.cols()) {
            throw new IllegalArgumentException(what + " must be " + like.shape() + ", got " + m.shape());
        }
    }

    /**
     * Checks that {@code sums} is a live {@code 1 × m.cols()} row.
     *
     * @throws IllegalArgumentException if it is not
     */
    public static void columnSumsShape(Matrix m, Matrix sums) {
        m.checkAlive();
        sums.checkAlive();
        if (sums.rows() != 1 || sums.cols() != m.cols()) {
            throw new IllegalArgumentException("column sums must be 1x" + m.cols() + ", got " + sums.shape());
        }
    }

    /**
     * Checks the class labels of a batch: {@code labels[offset + r]} for each row {@code r} of {@code logits}
     * must be in {@code [0, logits.cols())}.
     *
     * @throws IllegalArgumentException naming the first bad label and its row, or the range that does not fit
     */
    public static void labels(Matrix logits, int[] labels, int offset) {
        int rows = logits.rows();
        if (offset < 0 || offset > labels.length - rows) {
            throw new IllegalArgumentException("expected " + rows + " labels from offset " + offset
                    + ", the label array has " + labels.length);
        }
        int classes = logits.cols();
        for (int r = 0; r < rows; r++) {
            int label = labels[offset + r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " at row " + r + " (labels[" + (offset + r)
                        + "]) is out of range: expected 0.." + (classes - 1));
            }
        }
    }

    /**
     * Finds the first binary cross-entropy target outside [0, 1] (or NaN) and throws; returns normally if
     * every target is in range.
     *
     * @throws IllegalArgumentException naming the row, column and value
     */
    public static void unitTargets(Matrix targets) {
        for (int r = 0; r < targets.rows(); r++) {
            for (int c = 0; c < targets.cols(); c++) {
                float t = targets.get(r, c);
                if (!(t >= 0f && t <= 1f)) {
                    throw new IllegalArgumentException("binary cross-entropy target at row " + r + ", column " + c
                            + " must be in [0, 1], got " + t);
                }
            }
        }
    }

    /**
     * Checks an optimizer's operands: gradient and state shaped like the parameters.
     *
     * @param second Adam's second moment, or null for SGD
     * @throws IllegalArgumentException naming the operand of the wrong shape
     */
    public static void optimizerOperands(Matrix params, Matrix grads, Matrix first, Matrix second) {
        sameShape(params, "gradient", grads);
        sameShape(params, "optimizer state", first);
        if (second != null) {
            sameShape(params, "second-moment state", second);
        }
    }
}
