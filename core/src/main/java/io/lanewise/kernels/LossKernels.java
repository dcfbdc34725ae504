package io.lanewise.kernels;

import io.lanewise.memory.Matrix;

/**
 * Row softmax and each {@link io.lanewise.spec.Loss} with its gradient in one pass, the float twins of
 * {@link io.lanewise.reference.ReferenceLosses}. Losses are means (over the batch for cross-entropy,
 * over all elements otherwise) and are accumulated in double; gradients carry the matching {@code 1/n}.
 * A gradient may be the same view as the logits or outputs (it is then overwritten), but must not partly
 * overlap them. Arguments are checked before anything is written. Stateless, thread safe, allocation free.
 */
public interface LossKernels {
    /**
     * {@code p = softmax(z)} per row, stable (the row maximum is subtracted first); {@code p} may be {@code z}.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    void softmax(Matrix z, Matrix p);

    /**
     * Mean softmax cross-entropy of {@code logits} against class labels; writes
     * {@code dZ = (softmax(logits) − onehot) / rows}, the gradient with respect to the logits.
     *
     * @param labels      class labels: row {@code r} has label {@code labels[labelOffset + r]}
     * @param labelOffset where this batch's labels start in {@code labels}, so a batch view of a larger
     *                    label array needs no copy
     * @return the mean loss over the rows
     * @throws IllegalArgumentException if a label is outside {@code [0, cols)} (naming its row and value),
     *                                  the labels do not cover the rows, or the shapes differ
     */
    double softmaxCrossEntropy(Matrix logits, int[] labels, int labelOffset, Matrix dZ);

    /**
     * Mean of {@code (y − t)²} over all elements; writes {@code dY = 2(y − t) / elements}.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    double meanSquaredError(Matrix y, Matrix targets, Matrix dY);

    /**
     * Mean binary cross-entropy of {@code sigmoid(logits)} against targets in [0, 1], computed in the stable
     * form {@code max(x, 0) − x·t + log(1 + e^−|x|)}; writes {@code dZ = (sigmoid(x) − t) / elements}.
     *
     * @throws IllegalArgumentException if a target is outside [0, 1] or NaN (naming it), or the shapes differ
     */
    double sigmoidBinaryCrossEntropy(Matrix logits, Matrix targets, Matrix dZ);
}
