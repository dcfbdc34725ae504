package io.lanewise.samples.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (optionally gzip): a big-endian magic number (0x00000803 for
 * images, 0x00000801 for labels), big-endian 32-bit dimensions, then one unsigned byte per value. Memory follows
 * the data actually present, never a count a header claims.
 */
public final class IdxFiles {
    /** Magic number of an IDX file of unsigned bytes in 3 dimensions (images, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes in 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private IdxFiles() {
    }

    /**
     * Images as read from an IDX file.
     *
     * @param pixels  {@code count · rows · columns} values in [0, 1] (the bytes divided by 255), image by image, row-major
     * @param count   number of images
     * @param rows    rows per image
     * @param columns columns per image
     */
    public record Images(float[] pixels, int count, int rows, int columns) {
    }

    /**
     * Reads an image file (magic 0x00000803), scaling pixels to [0, 1].
     *
     * @throws IOException naming the file if its magic is wrong, it is truncated or longer than its header says
     */
    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(DataFiles.open(file))) {
            checkMagic(in, IMAGES_MAGIC, file);
            int count = dimension(in, "image count", file);
            int rows = dimension(in, "rows", file);
            int columns = dimension(in, "columns", file);
            long total = (long) count * rows;
            // a second product only while it cannot overflow a long; past MAX_VALUES it is refused anyway
            total = total > MAX_VALUES ? total : total * columns;
            byte[] bytes = values(in, total, count + " images of " + rows + "x" + columns, file);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                pixels[i] = (bytes[i] & 0xFF) / 255f;
            }
            return new Images(pixels, count, rows, columns);
        } catch (IOException e) {
            throw DataFiles.naming(file, e);
        }
    }

    /**
     * Reads a label file (magic 0x00000801): one label in 0..255 per item.
     *
     * @throws IOException naming the file if its magic is wrong, it is truncated or longer than its header says
     */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(DataFiles.open(file))) {
            checkMagic(in, LABELS_MAGIC, file);
            int count = dimension(in, "label count", file);
            byte[] bytes = values(in, count, count + " labels", file);
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        } catch (IOException e) {
            throw DataFiles.naming(file, e);
        }
    }

    private static void checkMagic(DataInputStream in, int expected, Path file) throws IOException {
        int magic = headerInt(in, file);
        if (magic != expected) {
            String hint = magic == IMAGES_MAGIC ? " (an image file)" : magic == LABELS_MAGIC ? " (a label file)" : "";
            throw new IOException(String.format("%s: wrong IDX magic 0x%08x%s, expected 0x%08x (%s)", file, magic, hint,
                    expected, expected == IMAGES_MAGIC ? "images: unsigned bytes, 3 dimensions"
                            : "labels: unsigned bytes, 1 dimension"));
        }
    }

    private static int dimension(DataInputStream in, String what, Path file) throws IOException {
        int value = headerInt(in, file);
        if (value < 0) {
            throw new IOException(file + ": " + what + " " + Integer.toUnsignedString(value) + " is too large");
        }
        return value;
    }

    private static int headerInt(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX header", e);
        }
    }

    /** Exactly {@code count} bytes, then the end of the file; read in chunks, so a false count costs nothing. */
    private static byte[] values(InputStream in, long count, String what, Path file) throws IOException {
        if (count > MAX_VALUES) {
            throw new IOException(file + ": " + what + " are more values (" + count + ") than one array holds");
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) count);
        } catch (EOFException e) { // a gzip stream cut short
            throw new IOException(file + ": truncated: the header promises " + what + " (" + count + " bytes)", e);
        }
        if (bytes.length < count) {
            throw new IOException(file + ": truncated: the header promises " + what + " (" + count + " bytes), the file "
                    + "holds " + bytes.length);
        }
        if (in.read() != -1) {
            throw new IOException(file + ": longer than the " + what + " its header promises");
        }
        return bytes;
    }
}
