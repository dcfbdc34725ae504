package io.lanewise.nn;

import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.MlpSpec;

/**
 * A set of matrices shaped like a network's parameters: per layer l, W_l (fanIn_l, width_l) and b_l (1, width_l).
 * The one place those shapes are written (compare llm.c's {@code fill_in_parameter_sizes}): a network's
 * parameters, a trainer's gradients and each slot of its optimizer state are each one such set, planned with
 * {@link #plan} in the owner's {@link Storage.Builder}, in the order W_0, b_0, W_1, b_1, ...
 */
final class ParameterTensors {
    /** W_l, (fanIn_l, width_l). */
    final Matrix[] weights;
    /** b_l, (1, width_l). */
    final Matrix[] biases;
    /** W_0, b_0, W_1, b_1, ...: the order of checkpoints, of global-norm clipping and of {@link Trainer#gradient}. */
    final Matrix[] inOrder;

    private ParameterTensors(Matrix[] weights, Matrix[] biases) {
        this.weights = weights;
        this.biases = biases;
        this.inOrder = new Matrix[2 * weights.length];
        for (int l = 0; l < weights.length; l++) {
            inOrder[2 * l] = weights[l];
            inOrder[2 * l + 1] = biases[l];
        }
    }

    /** A set with no matrices (every entry null): an optimizer state slot that the optimizer does not keep. */
    static ParameterTensors absent(MlpSpec spec) {
        return new ParameterTensors(new Matrix[spec.depth()], new Matrix[spec.depth()]);
    }

    /** Plans one matrix per parameter tensor of {@code spec} in {@code storage}, in the order W_0, b_0, W_1, b_1, ... */
    static Plan plan(Storage.Builder storage, MlpSpec spec) {
        int depth = spec.depth();
        int[] weights = new int[depth];
        int[] biases = new int[depth];
        for (int l = 0; l < depth; l++) {
            int width = spec.layers().get(l).width();
            weights[l] = storage.matrix(spec.fanIn(l), width);
            biases[l] = storage.matrix(1, width);
        }
        return new Plan(weights, biases);
    }

    /** Slots of the planned matrices, turned into views once the storage is allocated. */
    static final class Plan {
        private final int[] weights;
        private final int[] biases;

        private Plan(int[] weights, int[] biases) {
            this.weights = weights;
            this.biases = biases;
        }

        ParameterTensors views(Storage storage) {
            Matrix[] weightViews = new Matrix[weights.length];
            Matrix[] biasViews = new Matrix[biases.length];
            for (int l = 0; l < weights.length; l++) {
                weightViews[l] = storage.matrix(weights[l]);
                biasViews[l] = storage.matrix(biases[l]);
            }
            return new ParameterTensors(weightViews, biasViews);
        }
    }
}
