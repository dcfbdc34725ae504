package io.lanewise.reference;

import io.lanewise.memory.GemmOp;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;

/**
 * The whole network in double: forward, loss, and backward by the textbook rules, one layer at a time.
 * The oracle the fast engine is held to; slow on purpose.
 *
 * <p>Layer l computes {@code Z_l = A_{l-1}·W_l + b_l} and {@code A_l = f_l(Z_l)} with {@code A_{-1} = X}
 * and W_l of shape fanIn × width. Parameters are listed as {@code [W_0, b_0, W_1, b_1, ...]}.
 * Not thread safe.
 */
public final class ReferenceMlp {
    private final MlpSpec spec;
    private final DoubleMatrix[] weights;
    private final double[][] biases;
    private final DoubleMatrix[] weightGradients;
    private final double[][] biasGradients;

    /** A network with the spec's initial parameters (drawn from its seed). */
    public ReferenceMlp(MlpSpec spec) {
        this.spec = spec;
        int depth = spec.depth();
        MlpSpec.InitialParameters initial = spec.initialParameters();
        weights = new DoubleMatrix[depth];
        biases = new double[depth][];
        weightGradients = new DoubleMatrix[depth];
        biasGradients = new double[depth][];
        for (int l = 0; l < depth; l++) {
            int width = spec.layers().get(l).width();
            weights[l] = DoubleMatrix.of(spec.fanIn(l), width, initial.weights()[l]);
            biases[l] = DoubleMatrix.of(1, width, initial.biases()[l]).data();
            weightGradients[l] = DoubleMatrix.zeros(spec.fanIn(l), width);
            biasGradients[l] = new double[width];
        }
    }

    /** The description. */
    public MlpSpec spec() {
        return spec;
    }

    /** W_l, live. */
    public DoubleMatrix weights(int layer) {
        return weights[layer];
    }

    /** b_l, live. */
    public double[] biases(int layer) {
        return biases[layer];
    }

    /** dLoss/dW_l from the last {@link #computeGradients} call, live. */
    public DoubleMatrix weightGradient(int layer) {
        return weightGradients[layer];
    }

    /** dLoss/db_l from the last {@link #computeGradients} call, live. */
    public double[] biasGradient(int layer) {
        return biasGradients[layer];
    }

    /** Every parameter tensor, live: {@code [W_0, b_0, W_1, b_1, ...]}. */
    public double[][] parameters() {
        double[][] p = new double[2 * weights.length][];
        for (int l = 0; l < weights.length; l++) {
            p[2 * l] = weights[l].data();
            p[2 * l + 1] = biases[l];
        }
        return p;
    }

    /** Every gradient tensor, live, in the order of {@link #parameters()}. */
    public double[][] gradients() {
        double[][] g = new double[2 * weights.length][];
        for (int l = 0; l < weights.length; l++) {
            g[2 * l] = weightGradients[l].data();
            g[2 * l + 1] = biasGradients[l];
        }
        return g;
    }

    /** Sizes of the tensors of {@link #parameters()}. */
    public int[] tensorSizes() {
        double[][] p = parameters();
        int[] sizes = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            sizes[i] = p[i].length;
        }
        return sizes;
    }

    /** The last layer's output A_L for a batch of rows (logits for the cross-entropy losses). */
    public DoubleMatrix predict(DoubleMatrix x) {
        DoubleMatrix[] z = new DoubleMatrix[weights.length];
        DoubleMatrix[] a = new DoubleMatrix[weights.length];
        forward(x, z, a);
        return a[weights.length - 1];
    }

    /** The mean loss against class labels (softmax cross-entropy). */
    public double loss(DoubleMatrix x, int[] labels) {
        return lossOf(predict(x), labels, null, null);
    }

    /** The mean loss against float target rows (mean squared error, binary cross-entropy). */
    public double loss(DoubleMatrix x, DoubleMatrix targets) {
        return lossOf(predict(x), null, targets, null);
    }

    /** Forward and backward against class labels: fills the gradients, returns the mean loss. */
    public double computeGradients(DoubleMatrix x, int[] labels) {
        return computeGradients(x, labels, null);
    }

    /** Forward and backward against float target rows: fills the gradients, returns the mean loss. */
    public double computeGradients(DoubleMatrix x, DoubleMatrix targets) {
        return computeGradients(x, null, targets);
    }

    private double computeGradients(DoubleMatrix x, int[] labels, DoubleMatrix targets) {
        int depth = weights.length;
        DoubleMatrix[] z = new DoubleMatrix[depth];
        DoubleMatrix[] a = new DoubleMatrix[depth];
        forward(x, z, a);
        DoubleMatrix dA = DoubleMatrix.zeros(x.rows(), spec.outputWidth());
        double loss = lossOf(a[depth - 1], labels, targets, dA);
        for (int l = depth - 1; l >= 0; l--) {
            Activation f = spec.layers().get(l).activation();
            DoubleMatrix dZ = DoubleMatrix.zeros(dA.rows(), dA.cols());
            for (int i = 0; i < dZ.data().length; i++) {
                dZ.data()[i] = dA.data()[i] * ReferenceActivations.derivative(f, z[l].data()[i]);
            }
            DoubleMatrix input = l == 0 ? x : a[l - 1];
            ReferenceGemm.gemm(GemmOp.TN, 1, input, dZ, 0, weightGradients[l]);
            java.util.Arrays.fill(biasGradients[l], 0);
            for (int r = 0; r < dZ.rows(); r++) {
                for (int c = 0; c < dZ.cols(); c++) {
                    biasGradients[l][c] += dZ.get(r, c);
                }
            }
            if (l > 0) {
                dA = DoubleMatrix.zeros(dZ.rows(), weights[l].rows());
                ReferenceGemm.gemm(GemmOp.NT, 1, dZ, weights[l], 0, dA);
            }
        }
        return loss;
    }

    private void forward(DoubleMatrix x, DoubleMatrix[] z, DoubleMatrix[] a) {
        if (x.cols() != spec.inputWidth()) {
            throw new IllegalArgumentException("input rows must have " + spec.inputWidth() + " features, got " + x.cols());
        }
        DoubleMatrix input = x;
        for (int l = 0; l < weights.length; l++) {
            DoubleMatrix zl = DoubleMatrix.zeros(x.rows(), weights[l].cols());
            ReferenceGemm.gemm(GemmOp.NN, 1, input, weights[l], 0, zl);
            for (int r = 0; r < zl.rows(); r++) {
                for (int c = 0; c < zl.cols(); c++) {
                    zl.set(r, c, zl.get(r, c) + biases[l][c]);
                }
            }
            z[l] = zl;
            a[l] = ReferenceActivations.apply(spec.layers().get(l).activation(), zl);
            input = a[l];
        }
    }

    private double lossOf(DoubleMatrix output, int[] labels, DoubleMatrix targets, DoubleMatrix gradient) {
        Loss loss = spec.loss();
        if (loss.takesClassLabels() && labels == null) {
            throw new IllegalArgumentException(loss + " takes integer class labels, got float target rows");
        }
        if (!loss.takesClassLabels() && targets == null) {
            throw new IllegalArgumentException(loss + " takes float target rows of width " + spec.outputWidth()
                    + ", got integer class labels");
        }
        return switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> ReferenceLosses.softmaxCrossEntropy(output, labels, gradient);
            case MEAN_SQUARED_ERROR -> ReferenceLosses.meanSquaredError(output, targets, gradient);
            case SIGMOID_BINARY_CROSS_ENTROPY -> ReferenceLosses.sigmoidBinaryCrossEntropy(output, targets, gradient);
        };
    }
}
