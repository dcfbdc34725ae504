package io.lanewise.io;

import io.lanewise.memory.Matrix;
import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Initializer;
import io.lanewise.spec.Layer;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model files: a network's parameters as safetensors with PyTorch's names and layouts, so a model
 * travels both ways. The names are those of a {@code state_dict} of {@code nn.Sequential} of
 * {@code nn.Linear} and activation modules: {@code "0.weight"} (out × in, the transpose of our W),
 * {@code "0.bias"}, then the next Linear's index after one activation module, if any (so ReLU MLPs use
 * 0, 2, 4, …). Our architecture travels in {@code __metadata__}; a plain PyTorch file without it loads
 * when the hidden activation and the loss are given.
 *
 * <p>Loading checks every tensor's name and shape against the architecture, and that every parameter is
 * finite, before it allocates the network: memory is bounded by the file's real size, whatever its metadata
 * claims. Non-finite parameters load only with {@link NonFinite#ALLOW}.
 */
public final class ModelFiles {
    /** Metadata key holding {@value #FORMAT}. */
    public static final String FORMAT_KEY = "lanewise.format";
    /** The format written. */
    public static final String FORMAT = "mlp/1";
    private static final String INPUT_KEY = "lanewise.input_width";
    private static final String LAYERS_KEY = "lanewise.layers";
    private static final String LOSS_KEY = "lanewise.loss";
    private static final Pattern LINEAR_WEIGHT = Pattern.compile("(\\d+)\\.weight");

    private ModelFiles() {
    }

    /** Whether a load accepts parameters that are NaN or infinite. */
    public enum NonFinite {
        /** Refuse them with an {@link IOException} naming the tensor (the default). */
        REFUSE,
        /** Load them as they are (to inspect a diverged model, say). */
        ALLOW
    }

    /** Writes {@code network} to {@code file} safely (temporary file, forced, renamed over the target). */
    public static void save(Network network, Path file) throws IOException {
        SafetensorsWriter.write(file, tensors(network), metadata(network.spec()));
    }

    /**
     * Reads a model written by {@link #save}, refusing non-finite parameters.
     *
     * @throws IOException naming the file if it is not a Lanewise model, its tensors do not fit its metadata, or a
     *                     parameter is NaN or infinite
     */
    public static Network load(Path file) throws IOException {
        return load(file, NonFinite.REFUSE);
    }

    /**
     * Reads a model written by {@link #save}; {@code nonFinite} says whether NaN or infinite parameters load.
     *
     * @throws IOException naming the file if it is not a Lanewise model or its tensors do not fit its metadata
     */
    public static Network load(Path file, NonFinite nonFinite) throws IOException {
        SafetensorsFile content = SafetensorsReader.read(file);
        if (!FORMAT.equals(content.metadata().get(FORMAT_KEY))) {
            throw new IOException(file + ": no Lanewise architecture in __metadata__ (" + FORMAT_KEY + " = "
                    + content.metadata().get(FORMAT_KEY) + "); for a plain PyTorch file, give the hidden activation");
        }
        return networkFrom(content, specFromMetadata(content), nonFinite);
    }

    /**
     * Reads a plain PyTorch {@code nn.Sequential} MLP: hidden layers use {@code hidden}, the last layer is
     * linear, and the network is trained with {@code loss}. Files with our metadata load as {@link #load(Path)}.
     * Non-finite parameters are refused.
     */
    public static Network load(Path file, Activation hidden, Loss loss) throws IOException {
        return load(file, hidden, loss, NonFinite.REFUSE);
    }

    /** As {@link #load(Path, Activation, Loss)}; {@code nonFinite} says whether NaN or infinite parameters load. */
    public static Network load(Path file, Activation hidden, Loss loss, NonFinite nonFinite) throws IOException {
        SafetensorsFile content = SafetensorsReader.read(file);
        if (FORMAT.equals(content.metadata().get(FORMAT_KEY))) {
            return networkFrom(content, specFromMetadata(content), nonFinite);
        }
        TreeMap<Integer, long[]> linears = new TreeMap<>();
        for (NamedTensor t : content.tensors()) {
            Matcher m = LINEAR_WEIGHT.matcher(t.name());
            if (m.matches()) {
                long[] shape = t.shape();
                if (shape.length != 2) {
                    throw new IOException(file + ": '" + t.name() + "' must be 2-dimensional (out, in), got "
                            + java.util.Arrays.toString(shape));
                }
                linears.put(Integer.parseInt(m.group(1)), shape);
            }
        }
        if (linears.isEmpty()) {
            throw new IOException(file + ": no 'N.weight' tensors of nn.Linear layers found");
        }
        List<long[]> shapes = new ArrayList<>(linears.values());
        MlpSpec.Builder builder = MlpSpec.builder(toWidth(file, shapes.getFirst()[1])).loss(loss);
        for (int l = 0; l < shapes.size(); l++) {
            if (l > 0 && shapes.get(l)[1] != shapes.get(l - 1)[0]) {
                throw new IOException(file + ": layer " + l + " takes " + shapes.get(l)[1] + " inputs but the layer before"
                        + " gives " + shapes.get(l - 1)[0]);
            }
            builder.dense(toWidth(file, shapes.get(l)[0]), l == shapes.size() - 1 ? Activation.IDENTITY : hidden);
        }
        MlpSpec spec;
        try {
            spec = builder.build();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return networkFrom(content, spec, nonFinite);
    }

    /** The parameters as PyTorch names them and lays them out (weights transposed to out × in). */
    public static List<NamedTensor> tensors(Network network) {
        List<NamedTensor> tensors = new ArrayList<>();
        for (int l = 0; l < network.depth(); l++) {
            String prefix = moduleIndex(network.spec(), l) + ".";
            tensors.add(new NamedTensor(prefix + "weight", outByIn(network.weights(l)), network.weights(l).toTransposedArray()));
            tensors.add(new NamedTensor(prefix + "bias", new int[] {network.biases(l).cols()}, network.biases(l).toArray()));
        }
        return tensors;
    }

    /** The PyTorch name of parameter tensor {@code index} (ordered W_0, b_0, W_1, b_1, ...). */
    public static String parameterName(MlpSpec spec, int index) {
        return moduleIndex(spec, index / 2) + (index % 2 == 0 ? ".weight" : ".bias");
    }

    /** The architecture as {@code __metadata__} entries. */
    public static Map<String, String> metadata(MlpSpec spec) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(INPUT_KEY, Integer.toString(spec.inputWidth()));
        StringBuilder layers = new StringBuilder();
        for (Layer layer : spec.layers()) {
            layers.append(layers.isEmpty() ? "" : ",").append(layer.width()).append(':').append(layer.activation().id());
        }
        meta.put(LAYERS_KEY, layers.toString());
        meta.put(LOSS_KEY, spec.loss().name().toLowerCase(Locale.ROOT));
        return meta;
    }

    static int[] outByIn(Matrix weights) {
        return new int[] {weights.cols(), weights.rows()};
    }

    /**
     * The network of {@code spec} holding the file's parameters; every tensor is found and checked (shape, and
     * finiteness unless allowed) before the network is allocated.
     */
    private static Network networkFrom(SafetensorsFile content, MlpSpec spec, NonFinite nonFinite) throws IOException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2 * spec.depth(); i++) {
            expected.add(parameterName(spec, i));
        }
        content.requireNoOthers(expected);
        NamedTensor[] found = new NamedTensor[expected.size()];
        for (int l = 0; l < spec.depth(); l++) {
            int in = spec.fanIn(l);
            int out = spec.layers().get(l).width();
            found[2 * l] = content.require(expected.get(2 * l), out, in);
            found[2 * l + 1] = content.require(expected.get(2 * l + 1), out);
        }
        if (nonFinite == NonFinite.REFUSE) {
            for (NamedTensor tensor : found) {
                requireFinite(content.file(), tensor);
            }
        }
        Network network = Network.zeros(spec);
        try {
            for (int l = 0; l < spec.depth(); l++) {
                Matrix w = network.weights(l);
                w.copyTransposedFrom(found[2 * l].data(), w.cols(), w.rows());
                network.biases(l).copyFrom(found[2 * l + 1].data());
            }
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /**
     * Checks that every element of {@code tensor} is finite.
     *
     * @throws IOException naming the file, the tensor and the first element that is NaN or infinite
     */
    static void requireFinite(Path file, NamedTensor tensor) throws IOException {
        float[] data = tensor.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                int count = 0;
                for (float v : data) {
                    count += Float.isFinite(v) ? 0 : 1;
                }
                throw new IOException(file + ": tensor '" + tensor.name() + "' holds " + count + " non-finite value"
                        + (count == 1 ? "" : "s") + " (element " + i + " of shape " + java.util.Arrays.toString(tensor.shape())
                        + " is " + data[i] + "); a diverged model? Load with NonFinite.ALLOW to read it anyway");
            }
        }
    }

    private static MlpSpec specFromMetadata(SafetensorsFile content) throws IOException {
        Map<String, String> meta = content.metadata();
        try {
            MlpSpec.Builder builder = MlpSpec.builder(Integer.parseInt(required(content, INPUT_KEY)))
                    .loss(Loss.valueOf(required(content, LOSS_KEY).toUpperCase(Locale.ROOT)))
                    .initializer(Initializer.HE_UNIFORM);
            for (String layer : required(content, LAYERS_KEY).split(",")) {
                int colon = layer.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("layer '" + layer + "' is not WIDTH:ACTIVATION");
                }
                builder.dense(Integer.parseInt(layer.substring(0, colon)), Activation.parse(layer.substring(colon + 1)));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IOException(content.file() + ": bad architecture in __metadata__ " + meta + ": " + e.getMessage(), e);
        }
    }

    private static String required(SafetensorsFile content, String key) throws IOException {
        String value = content.metadata().get(key);
        if (value == null) {
            throw new IOException(content.file() + ": __metadata__ lacks '" + key + "'");
        }
        return value;
    }

    private static int moduleIndex(MlpSpec spec, int layer) {
        int index = 0;
        for (int l = 0; l < layer; l++) {
            index += spec.layers().get(l).activation().kind() == Activation.Kind.IDENTITY ? 1 : 2;
        }
        return index;
    }

    private static int toWidth(Path file, long dim) throws IOException {
        if (dim <= 0 || dim > Integer.MAX_VALUE) {
            throw new IOException(file + ": layer width " + dim + " is out of range");
        }
        return (int) dim;
    }
}
