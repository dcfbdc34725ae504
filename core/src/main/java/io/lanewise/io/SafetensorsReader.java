package io.lanewise.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files (the format of Hugging Face's {@code safetensors}, as PyTorch writes it): an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON naming each tensor's dtype, shape and data offsets plus an
 * optional {@code __metadata__} string map, then the raw little-endian data. F32, F16 and BF16 are read; the
 * others are refused.
 *
 * <p>A file is checked before anything is allocated from a length it claims, so a corrupt or hostile file is an
 * {@link IOException} naming the file and the problem, never an {@link OutOfMemoryError}: memory is bounded by
 * the file's real size. Thread safe (no state).
 */
public final class SafetensorsReader {
    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000;
    /** The most dimensions a tensor may have. */
    public static final int MAX_RANK = 64;

    private static final String METADATA = "__metadata__";
    /** The most elements a Java float array may hold on common JVMs. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK_BYTES = 1 << 16;

    private SafetensorsReader() {
    }

    /** Where one tensor's data lies in the data section, as the header states it. */
    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
    }

    /**
     * Reads the whole file: every tensor widened to float, and the metadata.
     *
     * @throws IOException naming the file and the problem if it cannot be read or is not a valid safetensors file
     *                     of supported dtypes
     */
    public static SafetensorsFile read(Path file) throws IOException {
        FileChannel opened;
        try {
            if (Files.isDirectory(file)) {
                throw new IOException("Is a directory");
            }
            opened = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw FileErrors.unreadable(file, "a safetensors file", e);
        }
        try (FileChannel channel = opened) {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw new IOException(file + ": " + size + " bytes is too short for a safetensors file (the header "
                        + "length alone takes 8)");
            }
            ByteBuffer lengthField = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthField, 0, file);
            long headerBytes = lengthField.getLong(0);
            if (headerBytes < 0 || headerBytes > MAX_HEADER_BYTES) {
                throw new IOException(file + ": header length " + Long.toUnsignedString(headerBytes)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (headerBytes > size - Long.BYTES) {
                throw new IOException(file + ": header length " + headerBytes + " runs past the end of the file ("
                        + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerBytes);
            readFully(channel, header, Long.BYTES, file);
            Header parsed = parseHeader(decodeUtf8(header, file), file);
            long dataStart = Long.BYTES + headerBytes;
            List<Entry> entries = checkLayout(parsed.entries, size - dataStart, file);

            List<NamedTensor> tensors = new ArrayList<>(entries.size());
            Map<String, Dtype> dtypes = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry entry : entries) {
                float[] data = new float[(int) ((entry.end - entry.begin) / entry.dtype.bytes())];
                readData(channel, dataStart + entry.begin, entry.dtype, data, chunk, file);
                tensors.add(new NamedTensor(entry.name, entry.shape, data));
                dtypes.put(entry.name, entry.dtype);
            }
            return new SafetensorsFile(file, tensors, dtypes, parsed.metadata);
        }
    }

    private record Header(List<Entry> entries, Map<String, String> metadata) {
    }

    private static Header parseHeader(String text, Path file) throws IOException {
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new IOException(file + ": the header must begin with '{'");
        }
        JsonReader json = new JsonReader(text, file.toString());
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = null;
        json.beginObject();
        while (json.hasNext()) {
            String name = json.nextName();
            if (entries.containsKey(name) || (name.equals(METADATA) && metadata != null)) {
                throw new IOException(file + ": duplicate name '" + name + "' in the header");
            }
            if (name.isEmpty()) {
                throw new IOException(file + ": a tensor has an empty name");
            }
            if (name.equals(METADATA)) {
                metadata = parseMetadata(json, file);
            } else {
                entries.put(name, parseEntry(json, name, file));
            }
        }
        json.endDocument();
        return new Header(new ArrayList<>(entries.values()), metadata == null ? Map.of() : metadata);
    }

    private static Map<String, String> parseMetadata(JsonReader json, Path file) throws IOException {
        if (json.peek() != JsonReader.Kind.OBJECT) {
            throw new IOException(file + ": " + METADATA + " must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        json.beginObject();
        while (json.hasNext()) {
            String key = json.nextName();
            if (json.peek() != JsonReader.Kind.STRING) {
                throw new IOException(file + ": " + METADATA + " value of '" + key + "' must be a string");
            }
            if (metadata.put(key, json.nextString()) != null) {
                throw new IOException(file + ": duplicate key '" + key + "' in " + METADATA);
            }
        }
        return metadata;
    }

    private static Entry parseEntry(JsonReader json, String name, Path file) throws IOException {
        String where = file + ": tensor '" + name + "'";
        if (json.peek() != JsonReader.Kind.OBJECT) {
            throw new IOException(where + " must be an object with dtype, shape and data_offsets");
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        json.beginObject();
        while (json.hasNext()) {
            String key = json.nextName();
            switch (key) {
                case "dtype" -> {
                    requireFirst(dtypeName, key, where);
                    if (json.peek() != JsonReader.Kind.STRING) {
                        throw new IOException(where + ": dtype must be a string");
                    }
                    dtypeName = json.nextString();
                }
                case "shape" -> {
                    requireFirst(shape, key, where);
                    shape = integers(json, MAX_RANK, "shape", where);
                }
                case "data_offsets" -> {
                    requireFirst(offsets, key, where);
                    offsets = integers(json, 2, "data_offsets", where);
                }
                default -> throw new IOException(where + ": unexpected key '" + key + "'");
            }
        }
        if (dtypeName == null || shape == null || offsets == null) {
            throw new IOException(where + " lacks " + (dtypeName == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        Dtype dtype = Dtype.byName(dtypeName);
        if (dtype == null) {
            throw new IOException(where + ": unsupported dtype '" + dtypeName + "' (supported: "
                    + Arrays.toString(Dtype.values()) + ")");
        }
        for (long dim : shape) {
            if (dim < 0) {
                throw new IOException(where + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new IOException(where + ": data_offsets must be [begin, end] with 0 <= begin <= end, got "
                    + Arrays.toString(offsets));
        }
        long elements = NamedTensor.elements(shape);
        long bytes = offsets[1] - offsets[0];
        if (elements < 0 || elements > Long.MAX_VALUE / dtype.bytes() || elements * dtype.bytes() != bytes) {
            throw new IOException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + (elements < 0 || elements > Long.MAX_VALUE / dtype.bytes() ? "more than 2^63"
                            : Long.toString(elements * dtype.bytes()))
                    + " bytes, but data_offsets " + Arrays.toString(offsets) + " hold " + bytes);
        }
        if (elements > MAX_ELEMENTS) {
            throw new IOException(where + ": " + elements + " elements are more than a float array holds ("
                    + MAX_ELEMENTS + ")");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static void requireFirst(Object seen, String key, String where) throws IOException {
        if (seen != null) {
            throw new IOException(where + ": duplicate key '" + key + "'");
        }
    }

    /** An array of at most {@code max} integers. */
    private static long[] integers(JsonReader json, int max, String what, String where) throws IOException {
        if (json.peek() != JsonReader.Kind.ARRAY) {
            throw new IOException(where + ": " + what + " must be an array of integers");
        }
        long[] values = new long[max];
        int count = 0;
        json.beginArray();
        while (json.hasNext()) {
            if (count == max) {
                throw new IOException(where + ": " + what + " has more than " + max + " entries");
            }
            values[count++] = json.nextLong();
        }
        return Arrays.copyOf(values, count);
    }

    /**
     * The entries sorted by data offset, checked to tile the data section exactly: no gap, no overlap, nothing
     * past its end and nothing left over.
     */
    private static List<Entry> checkLayout(List<Entry> entries, long dataBytes, Path file) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry entry : sorted) {
            String where = file + ": tensor '" + entry.name + "' at data_offsets [" + entry.begin + ", " + entry.end + "]";
            if (entry.end > dataBytes) {
                throw new IOException(where + " runs past the end of the data section (" + dataBytes + " bytes)");
            }
            if (entry.begin < expected) {
                throw new IOException(where + " overlaps tensor '" + previous + "', which ends at " + expected);
            }
            if (entry.begin > expected) {
                throw new IOException(where + " leaves a gap of " + (entry.begin - expected) + " bytes before it");
            }
            expected = entry.end;
            previous = entry.name;
        }
        if (expected != dataBytes) {
            throw new IOException(file + ": " + (dataBytes - expected) + " bytes after the last tensor's data "
                    + "belong to no tensor (data section " + dataBytes + " bytes, tensors cover " + expected + ")");
        }
        return sorted;
    }

    private static void readData(FileChannel channel, long position, Dtype dtype, float[] target, ByteBuffer chunk,
            Path file) throws IOException {
        int done = 0;
        while (done < target.length) {
            int count = Math.min(target.length - done, CHUNK_BYTES / dtype.bytes());
            chunk.clear().limit(count * dtype.bytes());
            readFully(channel, chunk, position + (long) done * dtype.bytes(), file);
            dtype.decode(chunk, target, done, count);
            done += count;
        }
    }

    /** Fills {@code buffer} from {@code position} and flips it for reading, or fails naming the file if it ends first. */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException(file + ": unexpected end of file at byte " + at + " (the file shrank while being read?)");
            }
            at += n;
        }
        buffer.flip();
    }

    private static String decodeUtf8(ByteBuffer bytes, Path file) throws IOException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": the header is not valid UTF-8", e);
        }
    }
}
