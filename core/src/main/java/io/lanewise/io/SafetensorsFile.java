package io.lanewise.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of a safetensors file: its tensors widened to float, in the order of their data in the file, the
 * element type each was stored in, and the {@code __metadata__} string map.
 *
 * @param file     the file it was read from, named in error messages
 * @param tensors  the tensors, ordered by data offset; names are unique
 * @param dtypes   the stored element type of each tensor, by name, in the same order
 * @param metadata the {@code __metadata__} map (empty if the file has none), in file order
 */
public record SafetensorsFile(Path file, List<NamedTensor> tensors, Map<String, Dtype> dtypes,
        Map<String, String> metadata) {

    /** Holds unmodifiable copies of the collections. */
    public SafetensorsFile {
        tensors = List.copyOf(tensors);
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor named {@code name}, if there is one. */
    public Optional<NamedTensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The tensor named {@code name}, which must have exactly {@code shape}.
     *
     * @throws IOException naming the file if there is no such tensor or its shape differs
     */
    public NamedTensor require(String name, long... shape) throws IOException {
        NamedTensor tensor = tensor(name).orElseThrow(() -> new IOException(file + ": missing tensor '" + name
                + "' (the file holds " + dtypes.keySet() + ")"));
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IOException(file + ": tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return tensor;
    }

    /**
     * Checks that the file holds no tensor outside {@code expected}.
     *
     * @throws IOException naming the file and the tensors it should not hold
     */
    public void requireNoOthers(Collection<String> expected) throws IOException {
        List<String> extra = dtypes.keySet().stream().filter(name -> !expected.contains(name)).toList();
        if (!extra.isEmpty()) {
            throw new IOException(file + ": unexpected tensors " + extra + " (expected only " + expected + ")");
        }
    }
}
