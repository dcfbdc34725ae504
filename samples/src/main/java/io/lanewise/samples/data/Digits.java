package io.lanewise.samples.data;

import io.lanewise.data.ClassificationData;
import java.io.IOException;
import java.io.InputStream;

/**
 * The embedded data set: 1,797 handwritten digits of 8×8 pixels (UCI's optical digits test set, as shipped by
 * scikit-learn; see {@code DIGITS-NOTICE.txt} beside it), 64 features in [0, 1] and labels 0..9.
 */
public final class Digits {
    /** Number of rows. */
    public static final int ROWS = 1797;
    /** Features per row: 8×8 pixels. */
    public static final int WIDTH = 64;
    /** Number of classes: the digits 0..9. */
    public static final int CLASSES = 10;

    private static final String RESOURCE = "digits.csv.gz";
    /** The largest pixel value in the file (pixel counts of 4×4 blocks). */
    private static final float MAX_PIXEL = 16f;

    private Digits() {
    }

    /**
     * Loads the embedded digits, pixels scaled from 0..16 to [0, 1].
     *
     * @throws IOException if the resource is missing from the class path or unreadable
     */
    public static ClassificationData load() throws IOException {
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is missing beside " + Digits.class.getName());
            }
            ClassificationData raw = CsvData.read(in, RESOURCE + " (embedded)", CsvFormat.labelColumn(-1).withClasses(CLASSES));
            float[] features = raw.features();
            for (int i = 0; i < features.length; i++) {
                features[i] /= MAX_PIXEL;
            }
            return raw;
        }
    }
}
