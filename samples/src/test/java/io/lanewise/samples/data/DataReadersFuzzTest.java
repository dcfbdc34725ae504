package io.lanewise.samples.data;

import static io.lanewise.samples.data.Gzip.gzip;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lanewise.data.ClassificationData;
import io.lanewise.spec.SeededRandom;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates valid IDX (plain and gzip) and CSV files (bit flips, truncations, random bytes) and checks that reading
 * gives a data set or an IOException naming the file (or, for a header that lost the label column's name, an
 * IllegalArgumentException naming it); anything else fails with the seed that reproduces it.
 */
class DataReadersFuzzTest {
    private static final int CASES = 3000;

    @TempDir
    Path folder;

    @Test
    void mutatedFilesGiveOnlyCleanErrors() throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + 12).putInt(IdxFiles.IMAGES_MAGIC).putInt(3).putInt(2).putInt(2);
        for (int i = 0; i < 12; i++) {
            images.put((byte) (40 * i));
        }
        byte[] csv = "a,b,label\n1,2,0\n3.5,-4e-1,1\n5,6,2\n".getBytes(StandardCharsets.UTF_8);
        List<byte[]> bases = List.of(images.array(), gzip(images.array()), csv, gzip(csv));
        Path file = folder.resolve("data");
        for (int seed = 0; seed < CASES; seed++) {
            SeededRandom random = new SeededRandom(seed);
            int base = random.nextInt(bases.size());
            byte[] bytes = bases.get(base).clone();
            switch (random.nextInt(3)) {
                case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                default -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            Files.write(file, bytes);
            try {
                if (base < 2) {
                    IdxFiles.Images read = IdxFiles.readImages(file);
                    assertTrue(read.pixels().length == (long) read.count() * read.rows() * read.columns(), "seed " + seed);
                } else {
                    ClassificationData read = CsvData.read(file, CsvFormat.labelColumn("label"));
                    assertTrue(read.rows() > 0 && read.width() > 0, "seed " + seed);
                }
            } catch (IOException | IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith(file.toString()), "seed " + seed + ": " + expected.getMessage());
            } catch (RuntimeException | Error unexpected) {
                fail("seed " + seed + " (base file " + base + "): " + unexpected, unexpected);
            }
        }
    }
}
