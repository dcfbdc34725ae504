package io.lanewise.nn;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.kernels.gemm.PackedMatrix;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;

/** The forward pass through every layer: the one layer loop that a training step and a prediction share. */
final class ForwardPass {
    private ForwardPass() {
    }

    /**
     * Runs every layer over the rows staged in {@code buffers.x}: {@code A_l = f_l(A_{l-1}·W_l + b_l)}, keeping
     * Z_l where the buffers have room for it (training).
     *
     * <p>Training passes {@code packed == null}: its weights change every step, so the GEMM reads W as it is.
     * Prediction passes the snapshot's weights packed once at publication. The two take different GEMM entry
     * points (a {@link PackedMatrix} is not a {@link Matrix}), hence the two {@link DenseLayer#forward}s under
     * one loop.
     *
     * @param network the parameters (prediction reads only the biases from it when the weights are packed)
     * @param packed  each layer's W packed for the GEMM, or null to read {@code network}'s W
     * @return the last layer's activations, (B, outputs), in {@code buffers}
     */
    static Matrix run(Gemm gemm, Network network, PackedMatrix[] packed, StepBuffers buffers) {
        for (int l = 0; l < network.depth(); l++) {
            Activation f = network.spec().layers().get(l).activation();
            if (packed == null) {
                DenseLayer.forward(gemm, buffers.input(l), network.weights(l), network.biases(l), f,
                        buffers.activations(l), buffers.preActivations(l));
            } else {
                DenseLayer.forward(gemm, buffers.input(l), packed[l], network.biases(l), f, buffers.activations(l),
                        buffers.preActivations(l));
            }
        }
        return buffers.output();
    }
}
