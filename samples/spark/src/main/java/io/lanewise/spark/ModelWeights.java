package io.lanewise.spark;

import io.lanewise.nn.Network;
import io.lanewise.spec.MlpSpec;
import java.io.Serial;
import java.io.Serializable;

/**
 * A network on the heap: its spec and its parameters end to end ({@link Tensors}). What a model holds and a
 * broadcast carries; each executor turns it into off-heap memory of its own with {@link #toNetwork()}.
 */
final class ModelWeights implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final PortableSpec spec;
    private final float[] parameters;

    private ModelWeights(MlpSpec spec, float[] parameters) {
        if (parameters.length != spec.parameterCount()) {
            throw new IllegalArgumentException("expected " + spec.parameterCount() + " parameters for " + spec.layers()
                    + ", got " + parameters.length);
        }
        this.spec = new PortableSpec(spec);
        this.parameters = parameters;
    }

    /** A copy of {@code network}'s parameters. */
    static ModelWeights of(Network network) {
        float[] p = new float[Math.toIntExact(network.spec().parameterCount())];
        Tensors.copyTo(Tensors.parameters(network), p, 0);
        return new ModelWeights(network.spec(), p);
    }

    /** Weights of {@code spec} from parameters laid out as {@link Tensors} describes (taken, not copied). */
    static ModelWeights of(MlpSpec spec, float[] parameters) {
        return new ModelWeights(spec, parameters);
    }

    MlpSpec spec() {
        return spec.spec();
    }

    /** The parameters end to end; not a copy: do not change them. */
    float[] parameters() {
        return parameters;
    }

    /** A new off-heap network holding these parameters; the caller closes it. */
    Network toNetwork() {
        Network network = Network.zeros(spec.spec());
        try {
            Tensors.copyFrom(parameters, 0, Tensors.parameters(network));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }
}
