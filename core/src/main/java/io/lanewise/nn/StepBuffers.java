package io.lanewise.nn;

import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;

/**
 * Named views of the per-batch matrices of a forward pass, and of a training step, each of B rows: the staged
 * inputs X and, per layer l, the activations A_l; for training also the float targets, the pre-activations Z_l
 * (only where f_l is not the identity; otherwise A_l holds Z_l) and the deltas dZ_l (null for prediction).
 * {@link #plan} is the one place their shapes and order are written (compare llm.c's
 * {@code fill_in_activation_sizes}); {@link ByRows} gives views of the same memory for a smaller batch.
 */
final class StepBuffers {
    /** The slot of a buffer that is not planned. */
    private static final int NONE = -1;

    /** B, the rows of the batch. */
    final int rows;
    /** X, (B, inputs): the rows the network reads. */
    final Matrix x;
    /** The float target rows, (B, outputs); null for prediction and unused with class labels. */
    final Matrix targets;
    private final Matrix[] preActivations;
    private final Matrix[] activations;
    private final Matrix[] deltas;

    private StepBuffers(int rows, Matrix x, Matrix targets, Matrix[] preActivations, Matrix[] activations,
            Matrix[] deltas) {
        this.rows = rows;
        this.x = x;
        this.targets = targets;
        this.preActivations = preActivations;
        this.activations = activations;
        this.deltas = deltas;
    }

    /** Layer l's input, (B, fanIn_l): X for the first layer, the activations of the layer below for the others. */
    Matrix input(int layer) {
        return layer == 0 ? x : activations[layer - 1];
    }

    /** Z_l = input·W_l + b_l, (B, width_l); null where not kept: f_l is the identity (then A_l holds it), or prediction. */
    Matrix preActivations(int layer) {
        return preActivations[layer];
    }

    /** A_l = f_l(Z_l), (B, width_l). */
    Matrix activations(int layer) {
        return activations[layer];
    }

    /** The last layer's activations, (B, outputs): the network's output (the logits for the cross-entropy losses). */
    Matrix output() {
        return activations[activations.length - 1];
    }

    /** dZ_l, the gradient of the loss with respect to Z_l, (B, width_l); null for prediction. */
    Matrix deltas(int layer) {
        return deltas[layer];
    }

    /** Plans the buffers of a full batch in {@code storage}'s builder; {@code training} adds targets, Z and dZ. */
    static Plan plan(Storage.Builder storage, MlpSpec spec, int batch, boolean training) {
        int depth = spec.depth();
        int[] preActivations = new int[depth];
        int[] activations = new int[depth];
        int[] deltas = new int[depth];
        int x = storage.matrix(batch, spec.inputWidth());
        int targets = training ? storage.matrix(batch, spec.outputWidth()) : NONE;
        for (int l = 0; l < depth; l++) {
            int width = spec.layers().get(l).width();
            boolean identity = spec.layers().get(l).activation().kind() == Activation.Kind.IDENTITY;
            preActivations[l] = identity || !training ? NONE : storage.matrix(batch, width);
            activations[l] = storage.matrix(batch, width);
            deltas[l] = training ? storage.matrix(batch, width) : NONE;
        }
        return new Plan(batch, x, targets, preActivations, activations, deltas);
    }

    /** Views of the first {@code count} rows of every buffer (allocates the views: once per batch size). */
    private StepBuffers firstRows(int count) {
        return new StepBuffers(count, firstRows(x, count), firstRows(targets, count), firstRows(preActivations, count),
                firstRows(activations, count), firstRows(deltas, count));
    }

    private static Matrix[] firstRows(Matrix[] full, int count) {
        Matrix[] views = new Matrix[full.length];
        for (int l = 0; l < full.length; l++) {
            views[l] = firstRows(full[l], count);
        }
        return views;
    }

    private static Matrix firstRows(Matrix full, int count) {
        return full == null ? null : full.rowRange(0, count);
    }

    /** The views for every batch size up to a full batch, each made on first use and then reused. */
    static final class ByRows {
        private final StepBuffers[] views;

        ByRows(StepBuffers full) {
            views = new StepBuffers[full.rows + 1];
            views[full.rows] = full;
        }

        /**
         * The buffers for a batch of {@code rows}.
         *
         * @throws IllegalArgumentException if rows is not in 1..batch
         */
        StepBuffers get(int rows) {
            if (rows < 1 || rows >= views.length) {
                throw new IllegalArgumentException("a batch must have 1.." + (views.length - 1) + " rows, got " + rows);
            }
            StepBuffers buffers = views[rows];
            if (buffers == null) {
                buffers = views[views.length - 1].firstRows(rows);
                views[rows] = buffers;
            }
            return buffers;
        }
    }

    /** Slots of the planned buffers, turned into views once the storage is allocated. */
    static final class Plan {
        private final int batch;
        private final int x;
        private final int targets;
        private final int[] preActivations;
        private final int[] activations;
        private final int[] deltas;

        private Plan(int batch, int x, int targets, int[] preActivations, int[] activations, int[] deltas) {
            this.batch = batch;
            this.x = x;
            this.targets = targets;
            this.preActivations = preActivations;
            this.activations = activations;
            this.deltas = deltas;
        }

        StepBuffers views(Storage storage) {
            return new StepBuffers(batch, view(storage, x), view(storage, targets), views(storage, preActivations),
                    views(storage, activations), views(storage, deltas));
        }

        private static Matrix[] views(Storage storage, int[] slots) {
            Matrix[] views = new Matrix[slots.length];
            for (int l = 0; l < slots.length; l++) {
                views[l] = view(storage, slots[l]);
            }
            return views;
        }

        private static Matrix view(Storage storage, int slot) {
            return slot == NONE ? null : storage.matrix(slot);
        }
    }
}
