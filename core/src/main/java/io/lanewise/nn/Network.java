package io.lanewise.nn;

import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.MlpSpec;

/**
 * The parameters of an {@link MlpSpec} in one off-heap allocation: per layer l, the weights
 * {@code W_l} (fanIn × width, so that {@code Z = X·W + b}) and the bias row {@code b_l} (1 × width).
 *
 * <p>A network is written by one thread at a time (a {@link Trainer}); serving threads read published
 * copies through a {@link SharedModel}, never a network being trained. {@link #close()} frees the memory.
 */
public final class Network implements AutoCloseable {
    private final MlpSpec spec;
    private final Storage storage;
    private final ParameterTensors parameters;

    private Network(MlpSpec spec) {
        this.spec = spec;
        Storage.Builder plan = Storage.builder();
        ParameterTensors.Plan parameterPlan = ParameterTensors.plan(plan, spec);
        this.storage = plan.allocate("a network of " + spec.parameterCount() + " parameters");
        this.parameters = parameterPlan.views(storage);
    }

    /** A network with the spec's initial parameters (drawn from its seed). */
    public static Network create(MlpSpec spec) {
        Network network = new Network(spec);
        MlpSpec.InitialParameters initial = spec.initialParameters();
        for (int l = 0; l < spec.depth(); l++) {
            network.parameters.weights[l].copyFrom(initial.weights()[l]);
            network.parameters.biases[l].copyFrom(initial.biases()[l]);
        }
        return network;
    }

    /** A network of the spec's shape with every parameter zero (to be filled by copy or load). */
    public static Network zeros(MlpSpec spec) {
        return new Network(spec);
    }

    /** The description. */
    public MlpSpec spec() {
        return spec;
    }

    /** Number of dense layers. */
    public int depth() {
        return parameters.weights.length;
    }

    /** W_l, fanIn × width, live. */
    public Matrix weights(int layer) {
        checkLayer(layer);
        return parameters.weights[layer];
    }

    /** b_l, 1 × width, live. */
    public Matrix biases(int layer) {
        checkLayer(layer);
        return parameters.biases[layer];
    }

    /**
     * Copies every parameter of {@code source} into this network.
     *
     * @throws IllegalArgumentException if the specs' shapes differ
     */
    public void copyFrom(Network source) {
        checkSameShape(source);
        for (int l = 0; l < depth(); l++) {
            parameters.weights[l].copyFrom(source.parameters.weights[l]);
            parameters.biases[l].copyFrom(source.parameters.biases[l]);
        }
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return storage.isOpen();
    }

    /** Frees the parameters; idempotent. */
    @Override
    public void close() {
        storage.close();
    }

    void checkSameShape(Network other) {
        checkSameShape(spec, other.spec);
    }

    /**
     * @throws IllegalArgumentException naming both, if {@code got} has another input width or other layers than
     *                                  {@code expected}
     */
    static void checkSameShape(MlpSpec expected, MlpSpec got) {
        if (got.inputWidth() != expected.inputWidth() || !got.layers().equals(expected.layers())) {
            throw new IllegalArgumentException("network shapes differ: expected input " + expected.inputWidth()
                    + " and layers " + expected.layers() + ", got input " + got.inputWidth() + " and layers "
                    + got.layers());
        }
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= depth()) {
            throw new IllegalArgumentException("no layer " + layer + ": expected 0.." + (depth() - 1));
        }
    }
}
