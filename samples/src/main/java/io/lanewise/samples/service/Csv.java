package io.lanewise.samples.service;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.lanewise.samples.data.Numbers;

/**
 * Parses the service's plain-text request bodies, with messages that say what was expected: one CSV record
 * (RFC 4180 quoting) of numbers in the grammar training data uses ({@link Numbers}).
 */
final class Csv {
    private Csv() {
    }

    /** Exactly {@code width} comma-separated finite floats. */
    static float[] floats(String text, int width) {
        CsvRecord record;
        try {
            record = CsvReader.builder().allowExtraFields(true).allowMissingFields(true).ofSingleCsvRecord(text);
        } catch (CsvParseException e) {
            throw new IllegalArgumentException("expected " + width + " comma-separated features: " + e.getMessage());
        }
        if (record.getFieldCount() != width) {
            throw new IllegalArgumentException("expected " + width + " comma-separated features, got " + record.getFieldCount());
        }
        float[] values = new float[width];
        for (int i = 0; i < width; i++) {
            String cell = record.getField(i).strip();
            try {
                values[i] = Numbers.finiteFloat(cell);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature " + i + " " + (e.getMessage().startsWith("'" + cell + "' is not")
                        ? "is not a number: '" + cell + "'" : e.getMessage()));
            }
        }
        return values;
    }

    /** A class label in [0, classes). */
    static int label(String text, int classes) {
        try {
            int label = Integer.parseInt(text.trim());
            if (label >= 0 && label < classes) {
                return label;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("label must be an integer in 0.." + (classes - 1) + ", got '" + text.trim() + "'");
    }
}
