package io.lanewise.samples.data;

import io.lanewise.data.ClassificationData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads Fashion-MNIST (or MNIST, which uses the same files) from a folder of IDX files named as distributed:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}. Ten classes.
 */
public final class MnistFiles {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files (gzip). */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Number of classes in MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;

    private MnistFiles() {
    }

    /** The two parts of the data set, by file name prefix. */
    public enum Part {
        /** The 60,000 training images ({@code train-*}). */
        TRAIN("train"),
        /** The 10,000 test images ({@code t10k-*}). */
        TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * Loads one part from {@code folder}: 28×28 = 784 features in [0, 1] per image, labels 0..9.
     *
     * @throws IOException naming the file if one is missing, has the wrong magic, is truncated, holds no images or
     *                     a label above 9, or if images and labels differ in number
     */
    public static ClassificationData load(Path folder, Part part) throws IOException {
        Path imagesFile = find(folder, part.prefix + "-images-idx3-ubyte");
        Path labelsFile = find(folder, part.prefix + "-labels-idx1-ubyte");
        IdxFiles.Images images = IdxFiles.readImages(imagesFile);
        int[] labels = IdxFiles.readLabels(labelsFile);
        if (images.count() == 0) {
            throw new IOException(imagesFile + ": holds no images (its header says 0)");
        }
        if (images.count() != labels.length) {
            throw new IOException(imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.length + " labels");
        }
        long width = (long) images.rows() * images.columns();
        if (width == 0 || width > Integer.MAX_VALUE) {
            throw new IOException(imagesFile + ": images of " + images.rows() + "x" + images.columns()
                    + " pixels are not usable as feature rows");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new IOException(labelsFile + ": label " + labels[i] + " of item " + i + " is out of range 0.."
                        + (CLASSES - 1));
            }
        }
        return new ClassificationData(images.pixels(), (int) width, labels, CLASSES);
    }

    /** {@code name} in {@code folder}, or {@code name.gz}. */
    private static Path find(Path folder, String name) throws IOException {
        for (Path candidate : new Path[] {folder.resolve(name), folder.resolve(name + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new NoSuchFileException(folder.resolve(name) + "[.gz]", null, "no such file (Fashion-MNIST in IDX "
                + "format; on Debian: apt-get install dataset-fashion-mnist)");
    }
}
