package io.lanewise.kernels;

import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;

/**
 * Activation functions applied element-wise to matrices: the forward {@code A = f(Z)} and the backward
 * {@code dZ = dA ⊙ f'(Z)}. Rows are walked with their strides; the padding past {@code cols} is never read
 * nor written. An output may be the same view as an input (in place), but must not partly overlap one.
 * Implementations are stateless and thread safe; they allocate nothing.
 *
 * <p>Maximum error against {@link io.lanewise.reference.ReferenceActivations} (double) on float inputs,
 * per element, as {@code |err| ≤ atol + rtol·|ref|}, checked by the tests over [-20, 20] in steps of 1e-3
 * and on random points up to |z| = 1e4: see {@code ActivationKernelsTest.BOUNDS}.
 */
public interface ActivationKernels {
    /**
     * {@code a = f(z)} element-wise.
     *
     * @throws IllegalArgumentException if the shapes differ
     * @throws IllegalStateException    if a matrix's memory was freed
     */
    void forward(Activation f, Matrix z, Matrix a);

    /**
     * {@code dZ = dA ⊙ f'(z)} element-wise; {@code dZ} may be {@code dA} or {@code z}.
     *
     * @throws IllegalArgumentException if the shapes differ
     * @throws IllegalStateException    if a matrix's memory was freed
     */
    void backward(Activation f, Matrix z, Matrix dA, Matrix dZ);
}
