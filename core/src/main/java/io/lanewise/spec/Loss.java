package io.lanewise.spec;

/**
 * The loss a network is trained on, averaged over the batch as PyTorch's defaults do. The last layer's
 * output is the loss's input: logits for the two cross-entropies.
 */
public enum Loss {
    /** Mean over all batch × output elements of (y - t)²; float targets. */
    MEAN_SQUARED_ERROR(false),
    /** softmax over each row of logits, then −log p[label], mean over the batch; integer class labels. */
    SOFTMAX_CROSS_ENTROPY(true),
    /** Binary cross-entropy of sigmoid(logit) against targets in [0, 1], mean over all elements; float targets. */
    SIGMOID_BINARY_CROSS_ENTROPY(false);

    private final boolean classLabels;

    Loss(boolean classLabels) {
        this.classLabels = classLabels;
    }

    /** True if targets are integer class labels, one per row; false if they are float rows as wide as the output. */
    public boolean takesClassLabels() {
        return classLabels;
    }
}
