package io.lanewise.io;

import static io.lanewise.io.SafetensorsBytes.concat;
import static io.lanewise.io.SafetensorsBytes.f32;
import static io.lanewise.io.SafetensorsBytes.file;
import static io.lanewise.io.SafetensorsBytes.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lanewise.spec.SeededRandom;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates valid files (bit flips, truncations, random header bytes, header edits with a consistent length,
 * length field changes) and checks that reading gives either a clean IOException naming the file or a
 * self-consistent result; anything else fails with the seed that reproduces it.
 */
class SafetensorsFuzzTest {
    private static final int CASES = 6000;
    /** Characters that steer header edits into the parser's and the schema's branches. */
    private static final String JSON_CHARS = "{}[]\",: -0123456789eE.\\u_FBtdypshaofs";

    @TempDir
    Path folder;

    @Test
    void mutatedFilesGiveOnlyCleanErrorsOrValidResults() throws IOException {
        List<byte[]> bases = bases();
        Path path = folder.resolve("fuzz.safetensors");
        int rejected = 0;
        for (int seed = 0; seed < CASES; seed++) {
            SeededRandom random = new SeededRandom(seed);
            int base = random.nextInt(bases.size());
            Files.write(path, mutate(bases.get(base), random));
            try {
                checkConsistent(SafetensorsReader.read(path), seed);
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith(path.toString()), "seed " + seed + ": " + expected.getMessage());
                rejected++;
            } catch (RuntimeException | Error unexpected) {
                fail("seed " + seed + " (base file " + base + "): " + unexpected, unexpected);
            }
        }
        // Most mutations break something, and data flips break nothing: far from either end, the mutations are
        // reaching both the checks and the decoding.
        assertTrue(rejected > CASES / 2 && rejected < CASES - CASES / 10, rejected + " of " + CASES + " rejected");
    }

    private List<byte[]> bases() throws IOException {
        String mixed = "{\"__metadata__\":{\"format\":\"pt\",\"lanewise\":\"2-3\"},"
                + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]},"
                + "\"0.bias\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[24,30]},"
                + "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[30,32]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[32,32]}}";
        Path ours = folder.resolve("ours.safetensors");
        SafetensorsWriter.write(ours, List.of(new NamedTensor("1.weight", new int[] {2, 2}, new float[] {1, 2, 3, 4}),
                new NamedTensor("1.bias", new int[] {2}, new float[] {-1, 1})), Map.of("k", "v\u00e9"));
        return List.of(file(mixed, concat(f32(1, 2, 3, 4, 5, 6), words(0x3F80, 0x4000, 0xC040), words(0x3C00))),
                Files.readAllBytes(ours), file("{}", new byte[0]));
    }

    private static byte[] mutate(byte[] base, SeededRandom random) {
        byte[] bytes = base.clone();
        int headerEnd = (int) Math.min(bytes.length, 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        switch (random.nextInt(7)) {
            case 0 -> { // bit flips anywhere
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // bit flips in the data, which only change values
                if (headerEnd < bytes.length) {
                    bytes[headerEnd + random.nextInt(bytes.length - headerEnd)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 3 -> { // random bytes in the header, keeping its length
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    bytes[8 + random.nextInt(headerEnd - 8)] = (byte) random.nextInt(256);
                }
            }
            case 4 -> bytes = editHeader(bytes, headerEnd, random);
            case 5 -> { // the length field: small shifts, huge or negative values
                long length = headerEnd - 8;
                long changed = switch (random.nextInt(3)) {
                    case 0 -> length + random.nextInt(17) - 8;
                    case 1 -> random.nextLong();
                    default -> 1L << random.nextInt(64);
                };
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, changed);
            }
            default -> { // several kinds at once
                bytes = editHeader(bytes, headerEnd, random);
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return bytes;
    }

    /** Inserts, deletes or replaces characters of the header and fixes the length field to match. */
    private static byte[] editHeader(byte[] bytes, int headerEnd, SeededRandom random) {
        StringBuilder header = new StringBuilder(new String(bytes, 8, headerEnd - 8, StandardCharsets.ISO_8859_1));
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            int at = random.nextInt(header.length() + 1);
            char c = JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
            switch (header.isEmpty() ? 0 : random.nextInt(3)) {
                case 0 -> header.insert(at, c);
                case 1 -> header.deleteCharAt(Math.min(at, header.length() - 1));
                default -> header.setCharAt(Math.min(at, header.length() - 1), c);
            }
        }
        byte[] edited = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = Arrays.copyOfRange(bytes, headerEnd, bytes.length);
        return ByteBuffer.allocate(8 + edited.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(edited.length).put(edited).put(data).array();
    }

    private static void checkConsistent(SafetensorsFile read, int seed) {
        Set<String> names = new HashSet<>();
        for (NamedTensor tensor : read.tensors()) {
            assertTrue(names.add(tensor.name()), "seed " + seed + ": duplicate " + tensor.name());
            assertEquals(NamedTensor.elements(tensor.shape()), tensor.size(), "seed " + seed);
            assertTrue(read.dtypes().get(tensor.name()) != null, "seed " + seed);
        }
        assertEquals(names, read.dtypes().keySet(), "seed " + seed);
        read.metadata().forEach((k, v) -> assertTrue(k != null && v != null, "seed " + seed));
    }
}
