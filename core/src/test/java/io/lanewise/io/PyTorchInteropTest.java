package io.lanewise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model trained and saved by PyTorch 1.13 (nn.Sequential 64-32-16-10, ReLU; made by
 * {@code samples/pytorch/interop.py fixture}) loads here and predicts the logits PyTorch computed for the
 * same inputs, to within 1e-5.
 */
class PyTorchInteropTest {

    private static float[][] csv(String resource) throws IOException {
        try (InputStream in = PyTorchInteropTest.class.getResourceAsStream(resource)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            float[][] rows = new float[lines.size()][];
            for (int r = 0; r < rows.length; r++) {
                String[] cells = lines.get(r).split(",");
                rows[r] = new float[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    rows[r][c] = Float.parseFloat(cells[c]);
                }
            }
            return rows;
        }
    }

    @Test
    void aPyTorchModelPredictsTheSameLogitsHere() throws IOException, URISyntaxException {
        Path file = Path.of(PyTorchInteropTest.class.getResource("pytorch-mlp.safetensors").toURI());
        float[][] inputs = csv("pytorch-mlp-inputs.csv");
        float[][] expected = csv("pytorch-mlp-logits.csv");
        try (Network network = ModelFiles.load(file, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
             SharedModel model = SharedModel.of(network); Predictor predictor = model.newPredictor(1)) {
            assertEquals(List.of(32, 16, 10), network.spec().layers().stream().map(l -> l.width()).toList());
            float[] out = new float[10];
            double worst = 0;
            for (int r = 0; r < inputs.length; r++) {
                predictor.predict(inputs[r], out);
                for (int c = 0; c < 10; c++) {
                    worst = Math.max(worst, Math.abs(out[c] - expected[r][c]));
                }
            }
            assertTrue(worst <= 1e-5, "largest logit difference from PyTorch: " + worst);
        }
    }
}
