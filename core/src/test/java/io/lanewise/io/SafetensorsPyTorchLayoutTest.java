package io.lanewise.io;

import static io.lanewise.io.SafetensorsBytes.concat;
import static io.lanewise.io.SafetensorsBytes.f32;
import static io.lanewise.io.SafetensorsBytes.file;
import static io.lanewise.io.SafetensorsBytes.words;
import static io.lanewise.io.SafetensorsBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files laid out exactly as {@code safetensors.torch.save_file} writes a state_dict of
 * {@code nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))}: {@code __metadata__} first, tensors
 * sorted by dtype size then name, the header padded with spaces to a multiple of 8 bytes.
 */
class SafetensorsPyTorchLayoutTest {
    @TempDir
    Path folder;

    @Test
    void readsAnF32StateDictOfASequentialMlp() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]},"
                + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[32,36]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[36,44]}}";
        header += " ".repeat((8 - header.length() % 8) % 8);
        byte[] data = f32(0.5f, -0.25f, 1, 2, 3, 4, 5, 6, -1e-3f, 7.5f, Float.MIN_VALUE);
        SafetensorsFile read = SafetensorsReader.read(write(folder, "mlp.safetensors", file(header, data)));

        assertEquals(Map.of("format", "pt"), read.metadata());
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight"), read.tensors().stream().map(NamedTensor::name).toList());
        NamedTensor w0 = read.tensor("0.weight").orElseThrow();
        assertArrayEquals(new long[] {2, 3}, w0.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w0.data());
        assertArrayEquals(new float[] {0.5f, -0.25f}, read.tensor("0.bias").orElseThrow().data());
        assertArrayEquals(new float[] {-1e-3f}, read.tensor("2.bias").orElseThrow().data());
        assertArrayEquals(new float[] {7.5f, Float.MIN_VALUE}, read.tensor("2.weight").orElseThrow().data());
        assertEquals(Dtype.F32, read.dtypes().get("2.weight"));

        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, read.require("0.weight", 2, 3).data());
        read.requireNoOthers(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight"));
        String file = read.file().toString();
        assertEquals(file + ": tensor '0.weight' has shape [2, 3], expected [3, 2]",
                assertThrows(IOException.class, () -> read.require("0.weight", 3, 2)).getMessage());
        assertEquals(file + ": missing tensor '4.weight' (the file holds [0.bias, 0.weight, 2.bias, 2.weight])",
                assertThrows(IOException.class, () -> read.require("4.weight", 1, 1)).getMessage());
        assertEquals(file + ": unexpected tensors [2.bias, 2.weight] (expected only [0.weight, 0.bias])",
                assertThrows(IOException.class, () -> read.requireNoOthers(List.of("0.weight", "0.bias"))).getMessage());
    }

    @Test
    void widensF16AndBf16Exactly() throws IOException {
        // save_file orders F32 before BF16 before F16 (by dtype, largest first), then by name.
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"b.bf16\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[4,16]},"
                + "\"c.f16\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[16,30]}}   ";
        byte[] data = concat(f32(42f),
                words(0x3F80, 0xC040, 0x4049, 0x7F80, 0x0001, 0x8000),
                words(0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x7C00, 0xFC00));
        SafetensorsFile read = SafetensorsReader.read(write(folder, "mixed.safetensors", file(header, data)));

        NamedTensor scalar = read.tensor("a").orElseThrow();
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new float[] {42f}, scalar.data());
        assertEquals(Dtype.BF16, read.dtypes().get("b.bf16"));
        assertArrayEquals(new float[] {1f, -3f, 3.140625f, Float.POSITIVE_INFINITY, 0x1p-133f, -0f},
                read.tensor("b.bf16").orElseThrow().data());
        assertEquals(Dtype.F16, read.dtypes().get("c.f16"));
        assertArrayEquals(new float[] {1f, -2f, 0.333251953125f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY}, read.tensor("c.f16").orElseThrow().data());
    }

    @Test
    void readsAFileWithoutMetadataAndAnEmptyOne() throws IOException {
        SafetensorsFile none = SafetensorsReader.read(write(folder, "bare.safetensors",
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]}}", f32(3f))));
        assertEquals(Map.of(), none.metadata());
        assertArrayEquals(new float[] {3f}, none.tensors().getFirst().data());

        SafetensorsFile empty = SafetensorsReader.read(write(folder, "empty.safetensors", file("{}      ", new byte[0])));
        assertEquals(List.of(), empty.tensors());
    }

    @Test
    void ourWriterProducesTheReferenceLayoutByteForByte() throws IOException {
        Path target = folder.resolve("ours.safetensors");
        SafetensorsWriter.write(target, List.of(
                new NamedTensor("0.weight", new int[] {2, 1}, new float[] {1.5f, -2f}),
                new NamedTensor("0.bias", new int[] {2}, new float[] {0f, 0.25f})),
                Map.of("lanewise.layers", "1-2"));
        String header = "{\"__metadata__\":{\"lanewise.layers\":\"1-2\"},"
                + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        header += " ".repeat((8 - header.length() % 8) % 8);
        assertArrayEquals(file(header, f32(1.5f, -2f, 0f, 0.25f)), Files.readAllBytes(target));
    }
}
