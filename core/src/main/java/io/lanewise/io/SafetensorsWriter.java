package io.lanewise.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files that PyTorch's {@code safetensors.torch.load_file} reads: F32 tensors in the order
 * given, their data contiguous after a JSON header padded with spaces to a multiple of 8 bytes (as the reference
 * writer does, so the data is aligned), and an optional {@code __metadata__} string map. The file is written
 * atomically ({@link AtomicWrite}): a failure never leaves a half-written target. Thread safe (no state).
 */
public final class SafetensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 14;

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} as F32 and {@code metadata} (omitted when empty) to {@code target}, replacing it
     * atomically.
     *
     * @throws IllegalArgumentException if a name repeats or is {@code __metadata__}, or a metadata key or value
     *                                  is null
     * @throws IOException              if the file cannot be written; the target is then left as it was
     */
    public static void write(Path target, List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicWrite.write(target, channel -> {
            ByteBuffer start = ByteBuffer.allocate(Long.BYTES + header.length).order(ByteOrder.LITTLE_ENDIAN);
            start.putLong(header.length).put(header).flip();
            writeFully(channel, start);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (NamedTensor tensor : tensors) {
                float[] data = tensor.data();
                for (int done = 0; done < data.length; done += CHUNK_FLOATS) {
                    int count = Math.min(CHUNK_FLOATS, data.length - done);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, done, count);
                    chunk.limit(count * Float.BYTES);
                    writeFully(channel, chunk);
                }
            }
        });
    }

    /** The JSON header, UTF-8, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(List<NamedTensor> tensors, Map<String, String> metadata) {
        if (tensors == null || metadata == null) {
            throw new IllegalArgumentException("tensors and metadata must not be null (pass Map.of() for none)");
        }
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            String separator = "";
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                if (entry.getKey() == null || entry.getValue() == null) {
                    throw new IllegalArgumentException("metadata keys and values must not be null, got "
                            + entry.getKey() + " = " + entry.getValue());
                }
                json.append(separator);
                appendString(json, entry.getKey()).append(':');
                appendString(json, entry.getValue());
                separator = ",";
            }
            json.append('}');
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (NamedTensor tensor : tensors) {
            if (tensor == null) {
                throw new IllegalArgumentException("tensors must not contain null");
            }
            if (tensor.name().equals("__metadata__")) {
                throw new IllegalArgumentException("__metadata__ is reserved, not a tensor name");
            }
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("tensor name '" + tensor.name() + "' appears twice");
            }
            long end = offset + (long) tensor.size() * Float.BYTES;
            json.append(json.length() == 1 ? "" : ",");
            appendString(json, tensor.name()).append(":{\"dtype\":\"F32\",\"shape\":[");
            long[] shape = tensor.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(utf8, padded);
        Arrays.fill(header, utf8.length, padded, (byte) ' ');
        return header;
    }

    /** Appends {@code s} as a JSON string; surrogates are escaped so the header stays valid UTF-8 whatever s holds. */
    private static StringBuilder appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
