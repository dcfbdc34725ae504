package io.lanewise.nn;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.kernels.gemm.PackedMatrix;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;

/** The forward pass through every layer: the one layer loop that a training step and a prediction share. */
final class ForwardPass {
    private ForwardPass() {
    }

    /**
     * Runs every layer over the rows staged in {@code buffers.x}: {@code A_l = f_l(A_{l-1}·W_l + b_l)}, keeping
     * Z_l where the buffers have room for it (training).
     *
     * <p>Training passes its {@code network}: its weights change every step, so the GEMM reads W as it is.
     * Prediction passes a {@code snapshot}, whose weights were packed once at publication. The two take different
     * GEMM entry points (a {@link PackedMatrix} is not a {@link Matrix}), hence the two {@link DenseLayer#forward}s
     * under one loop.
     *
     * @param network  the parameters read as they are, or null when {@code snapshot} is given
     * @param snapshot a published snapshot (W packed, and the biases), or null when {@code network} is given
     * @return the last layer's activations, (B, outputs), in {@code buffers}
     */
    static Matrix run(Gemm gemm, MlpSpec spec, Network network, Snapshot snapshot, StepBuffers buffers) {
        for (int l = 0; l < spec.layers().size(); l++) {
            Activation f = spec.layers().get(l).activation();
            if (snapshot == null) {
                DenseLayer.forward(gemm, buffers.input(l), network.weights(l), network.biases(l), f,
                        buffers.activations(l), buffers.preActivations(l));
            } else {
                DenseLayer.forward(gemm, buffers.input(l), snapshot.weights[l], snapshot.biases[l], f,
                        buffers.activations(l), buffers.preActivations(l));
            }
        }
        return buffers.output();
    }
}
