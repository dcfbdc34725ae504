package io.lanewise.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of a safetensors file: its tensors widened to float, in the order of their data in the file, the
 * element type each was stored in, and the {@code __metadata__} string map.
 *
 * @param tensors  the tensors, ordered by data offset; names are unique
 * @param dtypes   the stored element type of each tensor, by name, in the same order
 * @param metadata the {@code __metadata__} map (empty if the file has none), in file order
 */
public record SafetensorsFile(List<NamedTensor> tensors, Map<String, Dtype> dtypes, Map<String, String> metadata) {

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
}
