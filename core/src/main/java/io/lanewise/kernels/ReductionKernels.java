package io.lanewise.kernels;

import io.lanewise.memory.Matrix;
import io.lanewise.spec.Optimizer;

/**
 * Reductions over matrices: column sums (the bias gradient), sums of squares and the global L2 norm
 * of a set of gradients, and scaling (for clipping). Stateless, thread safe, allocation free.
 */
public interface ReductionKernels {
    /**
     * {@code sums[0][c] = Σ_r m[r][c]}: the bias gradient from {@code dZ}. Summed in float, row by row.
     *
     * @param sums a {@code 1 × m.cols()} matrix, overwritten
     * @throws IllegalArgumentException if {@code sums} is not {@code 1 × m.cols()}
     */
    void columnSums(Matrix m, Matrix sums);

    /** {@code Σ m[r][c]²}: summed in float within a row, the row sums accumulated in double. */
    double sumOfSquares(Matrix m);

    /** {@code m *= factor} element-wise. */
    void scale(Matrix m, float factor);

    /** The L2 norm of all elements of {@code ms} together. */
    default double globalNorm(Matrix[] ms) {
        double sum = 0;
        for (Matrix m : ms) {
            sum += sumOfSquares(m);
        }
        return Math.sqrt(sum);
    }

    /**
     * Clips gradients by their global norm as PyTorch's {@code clip_grad_norm_} does: when the norm exceeds
     * {@code maxNorm}, scales every gradient by {@code maxNorm / (norm + }{@value Optimizer#CLIP_EPSILON}{@code )}.
     *
     * @return the global norm before clipping
     * @throws IllegalArgumentException if {@code maxNorm} is not positive
     */
    default double clipByGlobalNorm(Matrix[] grads, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(grads);
        // Scaled on every call, by exactly 1 within the limit: a scale run only on the steps that clip can be too
        // rare for C2 to compile, and its vector code then runs on boxed vectors, allocating (AllocationTest).
        float factor = norm > maxNorm ? (float) (maxNorm / (norm + Optimizer.CLIP_EPSILON)) : 1f;
        for (Matrix g : grads) {
            scale(g, factor);
        }
        return norm;
    }
}
