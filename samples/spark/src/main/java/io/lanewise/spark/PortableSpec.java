package io.lanewise.spark;

import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.Layer;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * An {@link MlpSpec} that Java serialization can carry to executors (the core keeps its types free of
 * {@code Serializable}): written field by field, rebuilt and validated by the spec's own builder on arrival.
 */
final class PortableSpec implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient MlpSpec spec;

    PortableSpec(MlpSpec spec) {
        this.spec = spec;
    }

    MlpSpec spec() {
        return spec;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.writeInt(spec.inputWidth());
        out.writeInt(spec.depth());
        for (Layer layer : spec.layers()) {
            out.writeInt(layer.width());
            out.writeUTF(layer.activation().id());
        }
        out.writeUTF(spec.loss().name());
        out.writeUTF(spec.initializer().name());
        out.writeLong(spec.seed());
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException {
        MlpSpec.Builder builder = MlpSpec.builder(in.readInt());
        int depth = in.readInt();
        for (int l = 0; l < depth; l++) {
            builder.dense(in.readInt(), Activation.parse(in.readUTF()));
        }
        spec = builder.loss(Loss.valueOf(in.readUTF())).initializer(Initializer.valueOf(in.readUTF())).seed(in.readLong())
                .build();
    }
}
