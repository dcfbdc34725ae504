package io.lanewise.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The description of a multi-layer perceptron: input width, dense layers, loss, and how its weights
 * are initialised. Immutable; build one with {@link #builder(int)}.
 *
 * @param inputWidth  features per input row
 * @param layers      the dense layers, first to last
 * @param loss        the training loss, applied to the last layer's output
 * @param initializer how weights and biases are drawn
 * @param seed        the seed of the parameter draw
 */
public record MlpSpec(int inputWidth, List<Layer> layers, Loss loss, Initializer initializer, long seed) {
    /** The most weights one layer may have: parameters travel as float arrays, which hold no more. */
    public static final int MAX_LAYER_WEIGHTS = Integer.MAX_VALUE - 8;

    /** Validates the whole description, naming what is wrong. */
    public MlpSpec {
        if (inputWidth <= 0) {
            throw new IllegalArgumentException("input width must be positive, got " + inputWidth);
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP needs at least one dense layer, got none");
        }
        if (loss == null || initializer == null) {
            throw new IllegalArgumentException("loss and initializer must not be null");
        }
        layers = List.copyOf(layers);
        int fanIn = inputWidth;
        for (int i = 0; i < layers.size(); i++) {
            long weights = (long) fanIn * layers.get(i).width();
            if (weights > MAX_LAYER_WEIGHTS) {
                throw new IllegalArgumentException("layer " + i + " has " + fanIn + " x " + layers.get(i).width() + " = "
                        + weights + " weights, more than the " + MAX_LAYER_WEIGHTS + " a layer may have");
            }
            fanIn = layers.get(i).width();
        }
        Layer last = layers.getLast();
        if (loss != Loss.MEAN_SQUARED_ERROR && last.activation().kind() != Activation.Kind.IDENTITY) {
            throw new IllegalArgumentException(loss + " takes logits: the last layer's activation must be identity, got "
                    + last.activation().id());
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && last.width() < 2) {
            throw new IllegalArgumentException("softmax cross-entropy needs at least 2 classes, last layer width is "
                    + last.width());
        }
    }

    /** A builder for a network reading rows of {@code inputWidth} features. */
    public static Builder builder(int inputWidth) {
        return new Builder(inputWidth);
    }

    /** Number of dense layers. */
    public int depth() {
        return layers.size();
    }

    /** Input width of layer {@code index}: the network input for layer 0, else the previous layer's width. */
    public int fanIn(int index) {
        return index == 0 ? inputWidth : layers.get(index - 1).width();
    }

    /** Width of the last layer. */
    public int outputWidth() {
        return layers.getLast().width();
    }

    /** Widest of the input and every layer. */
    public int maxWidth() {
        int max = inputWidth;
        for (Layer l : layers) {
            max = Math.max(max, l.width());
        }
        return max;
    }

    /** Total number of weights and biases. */
    public long parameterCount() {
        long n = 0;
        for (int i = 0; i < layers.size(); i++) {
            n += (long) fanIn(i) * layers.get(i).width() + layers.get(i).width();
        }
        return n;
    }

    /**
     * The initial parameters drawn from {@link #seed()}, layer by layer, weights then biases. Weights are
     * {@code [layer][fanIn × width]} in row-major order (W is fanIn × width, so {@code Z = X·W}). Every
     * implementation starts from these, so the fast engine and the reference can be compared step for step.
     */
    public InitialParameters initialParameters() {
        SeededRandom random = new SeededRandom(seed);
        float[][] weights = new float[layers.size()][];
        float[][] biases = new float[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            int width = layers.get(i).width();
            weights[i] = new float[Math.multiplyExact(fanIn(i), width)];
            biases[i] = new float[width];
            initializer.fill(weights[i], fanIn(i), width, random);
            initializer.fillBiases(biases[i], fanIn(i), width, random);
        }
        return new InitialParameters(weights, biases);
    }

    /** Weights ({@code [layer][fanIn × width]}, row-major) and biases ({@code [layer][width]}) to start from. */
    public record InitialParameters(float[][] weights, float[][] biases) {
    }

    /** Collects layers, loss, initializer and seed. Not thread safe. */
    public static final class Builder {
        private final int inputWidth;
        private final List<Layer> layers = new ArrayList<>();
        private Loss loss = Loss.SOFTMAX_CROSS_ENTROPY;
        private Initializer initializer = Initializer.HE_UNIFORM;
        private long seed = 42;

        private Builder(int inputWidth) {
            this.inputWidth = inputWidth;
        }

        /** Appends a dense layer of {@code width} outputs with activation {@code f}. */
        public Builder dense(int width, Activation f) {
            layers.add(new Layer(width, f));
            return this;
        }

        /** The training loss (default: softmax cross-entropy). */
        public Builder loss(Loss l) {
            this.loss = l;
            return this;
        }

        /** The weight initializer (default: He uniform). */
        public Builder initializer(Initializer init) {
            this.initializer = init;
            return this;
        }

        /** The seed of the initial weights (default 42). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The validated description. */
        public MlpSpec build() {
            return new MlpSpec(inputWidth, layers, loss, initializer, seed);
        }
    }
}
