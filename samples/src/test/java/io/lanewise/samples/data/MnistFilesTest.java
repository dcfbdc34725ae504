package io.lanewise.samples.data;

import static io.lanewise.samples.data.Gzip.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files made here, plain and gzip, named as Fashion-MNIST names them; no installed data set needed. */
class MnistFilesTest {
    @TempDir
    Path folder;

    /** A big-endian IDX header (magic, then dimensions) followed by {@code values}. */
    private static byte[] idx(int magic, int[] dims, byte[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * dims.length + values.length).putInt(magic);
        for (int d : dims) {
            bytes.putInt(d);
        }
        return bytes.put(values).array();
    }

    private static byte[] images(int count, int rows, int columns) {
        byte[] pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return idx(IdxFiles.IMAGES_MAGIC, new int[] {count, rows, columns}, pixels);
    }

    private static byte[] labels(int... labels) {
        byte[] values = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = (byte) labels[i];
        }
        return idx(IdxFiles.LABELS_MAGIC, new int[] {labels.length}, values);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(folder.resolve(name), bytes);
    }

    @Test
    void loadsGzipFilesAsDebianInstallsThem() throws IOException {
        write("train-images-idx3-ubyte.gz", gzip(images(3, 2, 2)));
        write("train-labels-idx1-ubyte.gz", gzip(labels(9, 0, 4)));
        ClassificationData data = MnistFiles.load(folder, MnistFiles.Part.TRAIN);
        assertEquals(3, data.rows());
        assertEquals(4, data.width());
        assertEquals(10, data.classes());
        assertArrayEquals(new int[] {9, 0, 4}, data.labels());
        float[] expected = new float[12];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = ((i * 37) & 0xFF) / 255f;
        }
        assertArrayEquals(expected, data.features());
    }

    @Test
    void loadsUncompressedTestFiles() throws IOException {
        write("t10k-images-idx3-ubyte", images(2, 1, 3));
        write("t10k-labels-idx1-ubyte", labels(1, 2));
        ClassificationData data = MnistFiles.load(folder, MnistFiles.Part.TEST);
        assertEquals(2, data.rows());
        assertEquals(3, data.width());
        assertEquals(0f, data.features()[0]);
        assertEquals(37 / 255f, data.features()[1]);
    }

    @Test
    void wrongMagicNamesTheFileAndWhatItLooksLike() throws IOException {
        Path swapped = write("train-images-idx3-ubyte", labels(1, 2));
        write("train-labels-idx1-ubyte", labels(1, 2));
        IOException e = assertThrows(IOException.class, () -> MnistFiles.load(folder, MnistFiles.Part.TRAIN));
        assertEquals(swapped + ": wrong IDX magic 0x00000801 (a label file), expected 0x00000803 (images: unsigned "
                + "bytes, 3 dimensions)", e.getMessage());
        Path text = write("labels.txt", "1,2,3\n".getBytes());
        IOException notIdx = assertThrows(IOException.class, () -> IdxFiles.readLabels(text));
        assertTrue(notIdx.getMessage().startsWith(text + ": wrong IDX magic 0x312c322c, expected 0x00000801"),
                notIdx.getMessage());
    }

    @Test
    void truncatedOrOverlongFilesAreErrors() throws IOException {
        byte[] full = images(3, 2, 2);
        Path cut = write("cut", Arrays.copyOf(full, full.length - 1));
        assertEquals(cut + ": truncated: the header promises 3 images of 2x2 (12 bytes), the file holds 11",
                assertThrows(IOException.class, () -> IdxFiles.readImages(cut)).getMessage());
        Path header = write("header", Arrays.copyOf(full, 10));
        assertEquals(header + ": truncated IDX header",
                assertThrows(IOException.class, () -> IdxFiles.readImages(header)).getMessage());
        Path cutGzip = write("cut.gz", Arrays.copyOf(gzip(full), gzip(full).length - 12));
        IOException gzipError = assertThrows(IOException.class, () -> IdxFiles.readImages(cutGzip));
        assertTrue(gzipError.getMessage().startsWith(cutGzip + ": truncated"), gzipError.getMessage());
        Path longer = write("longer", Arrays.copyOf(full, full.length + 1));
        assertEquals(longer + ": longer than the 3 images of 2x2 its header promises",
                assertThrows(IOException.class, () -> IdxFiles.readImages(longer)).getMessage());
        Path lying = write("lying", idx(IdxFiles.IMAGES_MAGIC, new int[] {60_000, 28, 28}, new byte[10]));
        assertTrue(assertThrows(IOException.class, () -> IdxFiles.readImages(lying)).getMessage()
                .startsWith(lying + ": truncated: the header promises 60000 images of 28x28 (47040000 bytes)"));
        Path huge = write("huge", idx(IdxFiles.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0]));
        assertEquals(huge + ": image count 4294967295 is too large",
                assertThrows(IOException.class, () -> IdxFiles.readImages(huge)).getMessage());
        for (int[] dims : new int[][] {{1 << 30, 28, 28}, {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}}) {
            Path tooMany = write("too-many", idx(IdxFiles.IMAGES_MAGIC, dims, new byte[0]));
            assertTrue(assertThrows(IOException.class, () -> IdxFiles.readImages(tooMany)).getMessage()
                    .contains("than one array holds"));
        }
    }

    @Test
    void countMismatchLabelsOutOfRangeAndMissingFiles() throws IOException {
        Path imagesFile = write("train-images-idx3-ubyte", images(3, 2, 2));
        Path labelsFile = write("train-labels-idx1-ubyte", labels(1, 2));
        assertEquals(imagesFile + " holds 3 images but " + labelsFile + " holds 2 labels",
                assertThrows(IOException.class, () -> MnistFiles.load(folder, MnistFiles.Part.TRAIN)).getMessage());
        write("train-labels-idx1-ubyte", labels(1, 10, 2));
        assertEquals(labelsFile + ": label 10 of item 1 is out of range 0..9",
                assertThrows(IOException.class, () -> MnistFiles.load(folder, MnistFiles.Part.TRAIN)).getMessage());
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> MnistFiles.load(folder, MnistFiles.Part.TEST));
        assertTrue(missing.getMessage().startsWith(folder.resolve("t10k-images-idx3-ubyte") + "[.gz]: no such file"),
                missing.getMessage());
    }

    @Test
    void aPartWithoutImagesIsAnError() throws IOException {
        Path images = write("train-images-idx3-ubyte", images(0, 28, 28));
        write("train-labels-idx1-ubyte", labels());
        IOException e = assertThrows(IOException.class, () -> MnistFiles.load(folder, MnistFiles.Part.TRAIN));
        assertEquals(images + ": holds no images (its header says 0)", e.getMessage());
    }
}
