package io.lanewise.nn;

import io.lanewise.kernels.Kernels;
import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.kernels.gemm.PackedMatrix;
import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;

/**
 * The passes of one dense layer, {@code a = f(x·w + bias)}, each one call into a kernel per operation. In the
 * shapes above each function, B is the rows of the batch, in the layer's fan-in and out its width. W is stored
 * (in, out), PyTorch's {@code nn.Linear.weight} transposed, so the forward product is a plain NN GEMM.
 */
final class DenseLayer {
    private DenseLayer() {
    }

    // x is (B, in), w is (in, out), bias is (1, out); a is (B, out); z is (B, out), or null to keep only a
    /** Forward: {@code z = x·w + bias} and {@code a = f(z)}, with bias and f applied in the GEMM's epilogue. */
    static void forward(Gemm gemm, Matrix x, Matrix w, Matrix bias, Activation f, Matrix a, Matrix z) {
        gemm.multiply(GemmOp.NN, x, w, a, bias, f, z);
    }

    // x is (B, in), w is (in, out) packed ahead of time, bias is (1, out); a is (B, out); z is (B, out), or null
    /**
     * The same forward with w already packed into the GEMM's panels: serving, where the weights stay put between
     * publications, so the GEMM streams the panels (batch 1 above all) instead of packing or reading w per call.
     */
    static void forward(Gemm gemm, Matrix x, PackedMatrix w, Matrix bias, Activation f, Matrix a, Matrix z) {
        gemm.multiply(x, w, a, bias, f, z);
    }

    // dz is (B, out), x is (B, in), w is (in, out); dw is (in, out), dbias is (1, out);
    // dzBelow is (B, in), or null at the first layer (whose input X needs no gradient);
    // fBelow is the activation of the layer below and zBelow (B, in) its pre-activations, null where f is the identity
    /**
     * Backward: {@code dw = xᵀ·dz}, {@code dbias = Σ_rows dz}, and the deltas of the layer below,
     * {@code dzBelow = (dz·wᵀ) ⊙ fBelow'(zBelow)}. That last product is where llm.c would run the activation's own
     * backward as a separate pass; here the GEMM's epilogue multiplies by the derivative while each tile is in cache.
     * Reads w, so it runs before w's update.
     */
    static void backward(Gemm gemm, Matrix dz, Matrix x, Matrix w, Matrix dw, Matrix dbias, Matrix dzBelow,
            Activation fBelow, Matrix zBelow) {
        gemm.multiply(GemmOp.TN, 1f, x, dz, 0f, dw);
        Kernels.REDUCTIONS.columnSums(dz, dbias);
        if (dzBelow == null) {
            return;
        }
        if (fBelow.kind() == Activation.Kind.IDENTITY) {
            gemm.multiply(GemmOp.NT, 1f, dz, w, 0f, dzBelow);
        } else {
            gemm.multiplyTimesDerivative(GemmOp.NT, dz, w, dzBelow, fBelow, zBelow);
        }
    }
}
