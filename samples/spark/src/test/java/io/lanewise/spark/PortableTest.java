package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.LearningRateSchedule;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** Specs and optimizers survive Java serialization (the trip to an executor) unchanged. */
class PortableTest {
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void specTravelsWhole() throws Exception {
        MlpSpec spec = MlpSpec.builder(7).dense(5, Activation.leakyRelu(0.07f)).dense(3, Activation.GELU)
                .dense(2, Activation.IDENTITY).loss(Loss.SIGMOID_BINARY_CROSS_ENTROPY).initializer(Initializer.XAVIER_NORMAL)
                .seed(-9).build();
        assertEquals(spec, roundTrip(new PortableSpec(spec)).spec());
    }

    @Test
    void optimizerTravelsWithItsSchedule() throws Exception {
        Optimizer[] optimizers = {Optimizer.adam(1e-3), Optimizer.sgd(0.1, 0.9, true).withWeightDecay(1e-4),
                Optimizer.adamW(3e-4, 0.01).withClipNorm(1.5).withAdamParameters(0.8, 0.99, 1e-6)
                        .withSchedule(LearningRateSchedule.warmup(100, LearningRateSchedule.cosine(3e-4, 1000, 1e-5))),
                Optimizer.sgd(LearningRateSchedule.step(0.5, 10, 0.3), 0, false)};
        for (Optimizer o : optimizers) {
            assertEquals(o, roundTrip(new PortableOptimizer(o)).optimizer());
        }
    }
}
