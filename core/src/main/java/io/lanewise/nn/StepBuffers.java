package io.lanewise.nn;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;

/**
 * The per-batch matrices of a forward pass, and of a training step: batch rows each, the staged inputs
 * X and per layer the activation A; for training also the float targets, and per layer the
 * pre-activation Z (only where f is not the identity; otherwise A holds Z) and the gradient dZ (those
 * are null for prediction). {@link #firstRows} gives views of the same memory for a smaller batch.
 */
final class StepBuffers {
    final int rows;
    final Matrix x;
    final Matrix targets;
    final Matrix[] z;
    final Matrix[] a;
    final Matrix[] dz;

    private StepBuffers(int rows, Matrix x, Matrix targets, Matrix[] z, Matrix[] a, Matrix[] dz) {
        this.rows = rows;
        this.x = x;
        this.targets = targets;
        this.z = z;
        this.a = a;
        this.dz = dz;
    }

    /**
     * The forward pass of training over the rows staged in {@link #x}: per layer {@code A = f(A_prev·W + b)} with
     * bias and activation in the GEMM epilogue, keeping Z where planned; W is read as it is.
     *
     * @return the last layer's output
     */
    Matrix forward(Gemm gemm, Network network) {
        MlpSpec spec = network.spec();
        for (int l = 0; l < a.length; l++) {
            Activation f = spec.layers().get(l).activation();
            gemm.multiply(GemmOp.NN, input(l), network.weights(l), a[l], network.biases(l), f, z[l]);
        }
        return a[a.length - 1];
    }

    /**
     * The forward pass of prediction: as {@link #forward(Gemm, Network)}, over a snapshot's weights, packed for
     * the GEMM ahead of time.
     *
     * @return the last layer's output
     */
    Matrix forward(Gemm gemm, MlpSpec spec, Snapshot snapshot) {
        for (int l = 0; l < a.length; l++) {
            Activation f = spec.layers().get(l).activation();
            gemm.multiply(input(l), snapshot.weights[l], a[l], snapshot.biases[l], f, z[l]);
        }
        return a[a.length - 1];
    }

    private Matrix input(int layer) {
        return layer == 0 ? x : a[layer - 1];
    }

    /** Plans the buffers of a full batch in {@code storage}'s builder; {@code training} adds targets, Z and dZ. */
    static Plan plan(Storage.Builder storage, MlpSpec spec, int batch, boolean training) {
        int depth = spec.depth();
        int[] z = new int[depth];
        int[] a = new int[depth];
        int[] dz = new int[depth];
        int x = storage.matrix(batch, spec.inputWidth());
        int targets = training ? storage.matrix(batch, spec.outputWidth()) : -1;
        for (int l = 0; l < depth; l++) {
            int width = spec.layers().get(l).width();
            boolean identity = spec.layers().get(l).activation().kind() == Activation.Kind.IDENTITY;
            z[l] = identity || !training ? -1 : storage.matrix(batch, width);
            a[l] = storage.matrix(batch, width);
            dz[l] = training ? storage.matrix(batch, width) : -1;
        }
        return new Plan(batch, x, targets, z, a, dz);
    }

    /** Views of the first {@code count} rows of every buffer (allocates the views: once per batch size). */
    StepBuffers firstRows(int count) {
        Matrix[] zv = new Matrix[z.length];
        Matrix[] av = new Matrix[a.length];
        Matrix[] dzv = new Matrix[dz.length];
        for (int l = 0; l < z.length; l++) {
            zv[l] = z[l] == null ? null : z[l].rows(0, count);
            av[l] = a[l].rows(0, count);
            dzv[l] = dz[l] == null ? null : dz[l].rows(0, count);
        }
        return new StepBuffers(count, x.rows(0, count), targets == null ? null : targets.rows(0, count), zv, av, dzv);
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
            StepBuffers b = views[rows];
            if (b == null) {
                b = views[views.length - 1].firstRows(rows);
                views[rows] = b;
            }
            return b;
        }
    }

    /** Slots of the planned buffers, turned into views once the storage is allocated. */
    record Plan(int batch, int x, int targets, int[] z, int[] a, int[] dz) {
        StepBuffers views(Storage storage) {
            Matrix[] zv = new Matrix[z.length];
            Matrix[] av = new Matrix[a.length];
            Matrix[] dzv = new Matrix[dz.length];
            for (int l = 0; l < z.length; l++) {
                zv[l] = z[l] < 0 ? null : storage.matrix(z[l]);
                av[l] = storage.matrix(a[l]);
                dzv[l] = dz[l] < 0 ? null : storage.matrix(dz[l]);
            }
            return new StepBuffers(batch, storage.matrix(x), targets < 0 ? null : storage.matrix(targets), zv, av, dzv);
        }
    }
}
