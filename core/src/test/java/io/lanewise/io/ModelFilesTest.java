package io.lanewise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    private static final MlpSpec SPEC = MlpSpec.builder(5).dense(7, Activation.RELU).dense(4, Activation.IDENTITY)
            .dense(3, Activation.leakyRelu(0.2f)).dense(2, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .seed(3).build();

    private static float[] predict(Network network, float[] x) {
        float[] out = new float[network.spec().outputWidth() * (x.length / network.spec().inputWidth())];
        try (SharedModel model = SharedModel.of(network); Predictor p = model.newPredictor(4)) {
            p.predict(x, out);
        }
        return out;
    }

    @Test
    void namesTensorsAsPyTorchsSequentialDoes() {
        try (Network network = Network.create(SPEC)) {
            List<NamedTensor> tensors = ModelFiles.tensors(network);
            // Linear, ReLU, Linear, Linear, LeakyReLU, Linear
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                    tensors.stream().map(NamedTensor::name).toList());
            assertArrayEquals(new long[] {7, 5}, tensors.get(0).shape(), "weights are (out, in)");
            assertEquals(network.weights(0).get(4, 6), tensors.get(0).data()[6 * 5 + 4]);
        }
    }

    @Test
    void roundTripsParametersArchitectureAndPredictions() throws IOException {
        Path file = dir.resolve("model.safetensors");
        float[] x = {0.1f, -0.4f, 2f, 0.3f, -1f, 1f, 1f, 1f, 0f, -2f};
        try (Network network = Network.create(SPEC)) {
            network.biases(1).set(0, 2, 0.75f);
            ModelFiles.save(network, file);
            try (Network loaded = ModelFiles.load(file)) {
                assertEquals(SPEC.layers(), loaded.spec().layers());
                assertEquals(SPEC.loss(), loaded.spec().loss());
                for (int l = 0; l < SPEC.depth(); l++) {
                    assertArrayEquals(network.weights(l).toArray(), loaded.weights(l).toArray());
                    assertArrayEquals(network.biases(l).toArray(), loaded.biases(l).toArray());
                }
                assertArrayEquals(predict(network, x), predict(loaded, x));
            }
        }
    }

    @Test
    void loadsAPlainPyTorchFileGivenTheHiddenActivation() throws IOException {
        Path file = dir.resolve("torch.safetensors");
        // nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), no metadata
        float[] w0 = new float[12];
        for (int i = 0; i < 12; i++) {
            w0[i] = i / 10f;
        }
        SafetensorsWriter.write(file, List.of(new NamedTensor("0.weight", new int[] {4, 3}, w0),
                new NamedTensor("0.bias", new int[] {4}, new float[] {1, 2, 3, 4}),
                new NamedTensor("2.weight", new int[] {2, 4}, new float[8]),
                new NamedTensor("2.bias", new int[] {2}, new float[] {5, 6})), Map.of());
        IOException plain = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(plain.getMessage().contains("give the hidden activation"), plain.getMessage());
        try (Network network = ModelFiles.load(file, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY)) {
            assertEquals(3, network.spec().inputWidth());
            assertEquals(List.of(4, 2), network.spec().layers().stream().map(l -> l.width()).toList());
            assertEquals(Activation.TANH, network.spec().layers().get(0).activation());
            assertEquals(Activation.IDENTITY, network.spec().layers().get(1).activation());
            assertEquals(w0[2 * 3 + 1], network.weights(0).get(1, 2), "W[in=1][out=2] = weight[out=2][in=1]");
            assertEquals(6f, network.biases(1).get(0, 1));
        }
    }

    @Test
    void rejectsMissingExtraAndMismatchedTensors() throws IOException {
        Path extra = dir.resolve("extra.safetensors");
        try (Network network = Network.create(SPEC)) {
            List<NamedTensor> tensors = new java.util.ArrayList<>(ModelFiles.tensors(network));
            tensors.add(new NamedTensor("9.weight", new int[] {1, 1}, new float[1]));
            SafetensorsWriter.write(extra, tensors, ModelFiles.metadata(SPEC));
            IOException e = assertThrows(IOException.class, () -> ModelFiles.load(extra));
            assertTrue(e.getMessage().contains("unexpected tensors [9.weight]"), e.getMessage());

            Path missing = dir.resolve("missing.safetensors");
            SafetensorsWriter.write(missing, ModelFiles.tensors(network).subList(0, 6), ModelFiles.metadata(SPEC));
            IOException m = assertThrows(IOException.class, () -> ModelFiles.load(missing));
            assertTrue(m.getMessage().contains("missing tensor '5.weight'"), m.getMessage());
        }
        Path chain = dir.resolve("chain.safetensors");
        SafetensorsWriter.write(chain, List.of(new NamedTensor("0.weight", new int[] {4, 3}, new float[12]),
                new NamedTensor("0.bias", new int[] {4}, new float[4]),
                new NamedTensor("2.weight", new int[] {2, 5}, new float[10]),
                new NamedTensor("2.bias", new int[] {2}, new float[2])), Map.of());
        IOException c = assertThrows(IOException.class, () -> ModelFiles.load(chain, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY));
        assertTrue(c.getMessage().contains("layer 1 takes 5 inputs but the layer before gives 4"), c.getMessage());
    }

    /** The metadata of {@link #SPEC}'s file with its layers replaced, tensors as {@link #SPEC} has them. */
    private Path withDeclaredArchitecture(String name, String inputWidth, String layers) throws IOException {
        Path file = dir.resolve(name);
        try (Network network = Network.create(SPEC)) {
            Map<String, String> meta = new java.util.LinkedHashMap<>(ModelFiles.metadata(SPEC));
            meta.put("lanewise.input_width", inputWidth);
            meta.put("lanewise.layers", layers);
            SafetensorsWriter.write(file, ModelFiles.tensors(network), meta);
        }
        return file;
    }

    @Test
    void checksEveryTensorAgainstTheDeclaredShapeBeforeAllocating() throws IOException {
        // 100 layers of 46000 x 46000 declared (850 GB), a few hundred bytes of tensors present: the file is
        // refused for its tensors, without asking for the declared memory first
        String layers = String.join(",", java.util.Collections.nCopies(99, "46000:relu")) + ",2:identity";
        Path file = withDeclaredArchitecture("huge.safetensors", "46000", layers);
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("tensor '0.weight' has shape [7, 5], expected [46000, 46000]")
                || e.getMessage().contains("unexpected tensors"), e.getMessage());
    }

    @Test
    void aWidthOfTwoToThe31MinusOneInTheMetadataIsAnIOException() throws IOException {
        Path wideLayer = withDeclaredArchitecture("wide-layer.safetensors", "5", "2147483647:relu,2:identity");
        IOException layer = assertThrows(IOException.class, () -> ModelFiles.load(wideLayer));
        assertTrue(layer.getMessage().contains("bad architecture"), layer.getMessage());
        assertTrue(layer.getMessage().contains("more than the 2147483639 a layer may have"), layer.getMessage());
        Path wideInput = withDeclaredArchitecture("wide-input.safetensors", "2147483647", "7:relu,2:identity");
        IOException input = assertThrows(IOException.class, () -> ModelFiles.load(wideInput));
        assertTrue(input.getMessage().contains("2147483647 x 7"), input.getMessage());
    }

    @Test
    void refusesNonFiniteParametersNamingTheTensorUnlessAllowed() throws IOException {
        Path file = dir.resolve("diverged.safetensors");
        try (Network network = Network.create(SPEC)) {
            network.weights(2).fill(Float.NaN);
            network.biases(3).set(0, 1, Float.POSITIVE_INFINITY);
            ModelFiles.save(network, file);
        }
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("tensor '3.weight' holds 12 non-finite values"), e.getMessage());
        assertTrue(e.getMessage().contains("NonFinite.ALLOW"), e.getMessage());
        IOException plain = assertThrows(IOException.class,
                () -> ModelFiles.load(file, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY));
        assertTrue(plain.getMessage().contains("non-finite"), plain.getMessage());
        try (Network allowed = ModelFiles.load(file, ModelFiles.NonFinite.ALLOW)) {
            assertTrue(Float.isNaN(allowed.weights(2).get(0, 0)));
            assertEquals(Float.POSITIVE_INFINITY, allowed.biases(3).get(0, 1));
        }
    }

    @Test
    void aMissingFileOrAFolderSaysWhatIsWrong() throws IOException {
        Path missing = dir.resolve("nothing-here.safetensors");
        IOException m = assertThrows(IOException.class, () -> ModelFiles.load(missing));
        assertEquals(missing + ": cannot be read as a safetensors file: no such file or directory", m.getMessage());
        IOException d = assertThrows(IOException.class, () -> ModelFiles.load(dir));
        assertEquals(dir + ": is a directory, not a safetensors file", d.getMessage());
    }
}
