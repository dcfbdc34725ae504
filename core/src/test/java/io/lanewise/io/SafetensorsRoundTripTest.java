package io.lanewise.io;

import static io.lanewise.io.SafetensorsBytes.f32;
import static io.lanewise.io.SafetensorsBytes.file;
import static io.lanewise.io.SafetensorsBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer writes the reader reads back exactly; bad arguments and failed writes change nothing. */
class SafetensorsRoundTripTest {
    @TempDir
    Path folder;

    @Test
    void roundTripsShapesValuesNamesAndMetadata() throws IOException {
        float[] big = new float[40_000]; // spans several write and read chunks
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i) * 1e3f;
        }
        List<NamedTensor> tensors = List.of(
                new NamedTensor("0.weight", new int[] {200, 200}, big),
                new NamedTensor("0.bias", new int[] {3}, new float[] {Float.NaN, -0f, Float.NEGATIVE_INFINITY}),
                new NamedTensor("scalar", new long[0], new float[] {1}),
                new NamedTensor("empty", new long[] {0, 5}, new float[0]),
                new NamedTensor("quote\" back\\slash\ttab é 😀", new int[] {1}, new float[] {2}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("lanewise.widths", "200,200,3");
        metadata.put("note", "line\nbreak \u0001 \"quoted\"");
        Path target = folder.resolve("model.safetensors");

        SafetensorsWriter.write(target, tensors, metadata);
        SafetensorsFile read = SafetensorsReader.read(target);

        assertEquals(tensors, read.tensors());
        assertEquals(metadata, read.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(read.metadata().keySet()));
        assertTrue(read.dtypes().values().stream().allMatch(d -> d == Dtype.F32));
        assertEquals(0, (Files.size(target) - 8 - 4L * (40_000 + 3 + 1 + 1)) % 8, "header padded to 8 bytes");
    }

    @Test
    void readsJsonEscapesAndWhitespace() throws IOException {
        String header = "{ \"caf\\u00e9 \\ud83d\\ude00 \\/\\b\\f\\n\\r\\t\" :\n\t{\"data_offsets\" : [ 0 , 4 ],"
                + " \"shape\":[ ], \"dtype\":\"F32\" } , \"__metadata__\":{ } }\r\n   ";
        SafetensorsFile read = SafetensorsReader.read(write(folder, "escapes.safetensors", file(header, f32(5))));
        assertEquals("café 😀 /\b\f\n\r\t", read.tensors().getFirst().name());
        assertEquals(Map.of(), read.metadata());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = folder.resolve("model.safetensors");
        Files.writeString(target, "old");
        SafetensorsWriter.write(target, List.of(new NamedTensor("w", new int[] {1}, new float[] {9})), Map.of());
        assertArrayEquals(new float[] {9}, SafetensorsReader.read(target).tensors().getFirst().data());
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailedRenameLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = Files.createDirectory(folder.resolve("model.safetensors"));
        Files.writeString(target.resolve("keep"), "kept");
        List<NamedTensor> tensors = List.of(new NamedTensor("w", new int[] {1}, new float[] {1}));
        assertThrows(IOException.class, () -> SafetensorsWriter.write(target, tensors, Map.of()));
        assertEquals("kept", Files.readString(target.resolve("keep")));
        assertEquals(List.of(target), files());
    }

    @Test
    void rejectsBadArgumentsBeforeTouchingTheFile() throws IOException {
        Path target = Files.writeString(folder.resolve("model.safetensors"), "old");
        NamedTensor w = new NamedTensor("w", new int[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(target, List.of(w, w), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(target,
                List.of(new NamedTensor("__metadata__", new int[] {1}, new float[] {1})), Map.of()));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(target, List.of(w), nullValue));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(target, null, Map.of()));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void namedTensorChecksItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamedTensor("0.weight", new int[] {2, 3}, new float[5]));
        assertEquals("tensor '0.weight' of shape [2, 3] needs 6 elements, got 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NamedTensor("w", new int[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new NamedTensor("", new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new NamedTensor("w", new long[] {1L << 62, 4}, new float[0]));
        assertEquals(0, new NamedTensor("w", new long[] {1L << 62, 1L << 62, 0}, new float[0]).size());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        }
    }
}
