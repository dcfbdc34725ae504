package io.lanewise.reference;

import io.lanewise.spec.Optimizer;

/**
 * The whole training step in double: forward, loss, backward, then the optimizer update of every
 * parameter. Not thread safe.
 */
public final class ReferenceTrainer {
    private final ReferenceMlp network;
    private final ReferenceOptimizer optimizer;

    /** A trainer updating {@code network} in place with {@code optimizer}. */
    public ReferenceTrainer(ReferenceMlp network, Optimizer optimizer) {
        this.network = network;
        this.optimizer = new ReferenceOptimizer(optimizer, network.tensorSizes());
    }

    /** The network being trained. */
    public ReferenceMlp network() {
        return network;
    }

    /** The optimizer and its state. */
    public ReferenceOptimizer optimizer() {
        return optimizer;
    }

    /**
     * One step on a batch with class labels.
     *
     * @return the batch's mean loss before the update
     * @throws IllegalStateException if the loss is NaN or infinite (the parameters are left untouched)
     */
    public double step(DoubleMatrix x, int[] labels) {
        return update(network.computeGradients(x, labels));
    }

    /** One step on a batch with float target rows; as {@link #step(DoubleMatrix, int[])}. */
    public double step(DoubleMatrix x, DoubleMatrix targets) {
        return update(network.computeGradients(x, targets));
    }

    private double update(double loss) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("loss is " + loss + " at step " + optimizer.steps()
                    + ": expected a finite number (learning rate too high, or NaN/inf in the inputs?)");
        }
        optimizer.step(network.parameters(), network.gradients());
        return loss;
    }
}
