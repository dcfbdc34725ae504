package io.lanewise.kernels;

import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;

/**
 * Activation functions applied element-wise to matrices: the forward {@code A = f(Z)} and the backward
 * {@code dZ = dA ⊙ f'(Z)}. Rows are walked with their strides; the padding past {@code cols} is never read
 * nor written. An output may be the same view as an input (in place), but must not partly overlap one.
 * Implementations are stateless and thread safe; they allocate nothing.
 *
 * <p>Error bound against {@link io.lanewise.reference.ReferenceActivations} (double) on float inputs, per
 * element, {@code |err| ≤ atol + rtol·|ref|}, for both the scalar and the vector implementation, checked
 * by {@code ActivationKernelsTest} over [-20, 20] in steps of 1e-3 and on 60,000 random points up to
 * |z| = 1e4 (the backward adds one rounding of the product with dA):
 * <table>
 *   <caption>Bounds (atol, rtol) and the largest absolute error measured (AVX-512, JDK 25)</caption>
 *   <tr><th>kind</th><th>f bound</th><th>f measured</th><th>f' bound</th><th>f' measured</th></tr>
 *   <tr><td>identity, relu</td><td>exact</td><td>0</td><td>exact</td><td>0</td></tr>
 *   <tr><td>leaky_relu</td><td>(0, 6e-8)</td><td>5.9e-8 rel</td><td>exact</td><td>0</td></tr>
 *   <tr><td>sigmoid</td><td>(1e-30, 5e-7)</td><td>8.8e-8</td><td>(1e-7, 5e-7)</td><td>8.8e-8</td></tr>
 *   <tr><td>tanh</td><td>(1e-30, 5e-7)</td><td>3.0e-8</td><td>(2e-7, 5e-7)</td><td>8.9e-8</td></tr>
 *   <tr><td>gelu</td><td>(1e-6, 1e-6)</td><td>4.3e-7</td><td>(1e-6, 1e-6)</td><td>5.5e-7</td></tr>
 *   <tr><td>silu</td><td>(1e-30, 1e-6)</td><td>1.6e-7 rel</td><td>(2e-7, 1e-6)</td><td>9.7e-7</td></tr>
 * </table>
 * The absolute terms are cancellation, not approximation: {@code 1 − s} of a saturated sigmoid, {@code 1 + tanh}
 * in GELU for z ≪ 0 and derivatives crossing zero lose everything below one float ulp of an O(1) value.
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
