package io.lanewise.samples.data;

import io.lanewise.data.ClassificationData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a classification data set from a CSV file of numbers (comma-separated, UTF-8, optionally gzip): every
 * column but the label is a feature (a finite decimal number), and the label is a non-negative integer (written
 * as {@code 3} or {@code 3.0}). Cells are not quoted; header names may be. Blank lines are skipped. A problem in
 * the data is an {@link IOException} naming the file and the line.
 */
public final class CsvData {
    private static final long MAX_FEATURES = Integer.MAX_VALUE - 8;

    private CsvData() {
    }

    /**
     * Reads {@code file} as {@code format} describes.
     *
     * @throws IOException              naming the file and line of a non-numeric cell, a ragged row, a bad label, or
     *                                  if the file cannot be read
     * @throws IllegalArgumentException if the format's label column is not in the file
     */
    public static ClassificationData read(Path file, CsvFormat format) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), format);
        } catch (IOException e) {
            throw DataFiles.naming(file.toString(), e);
        }
    }

    /**
     * Reads CSV text from {@code in} (gzip or not), naming it {@code source} in error messages. Does not close
     * {@code in}.
     *
     * @throws IOException              naming the source and line of a non-numeric cell, a ragged row, a bad label
     * @throws IllegalArgumentException if the format's label column is not in the data
     */
    public static ClassificationData read(InputStream in, String source, CsvFormat format) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(DataFiles.decompressing(in),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        Table table = new Table(source, format);
        int lineNumber = 0;
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte-order mark some spreadsheets write
                }
                if (!line.isBlank()) {
                    table.add(line.split(",", -1), lineNumber);
                }
            }
        } catch (CharacterCodingException e) {
            throw new IOException(source + ":" + (lineNumber + 1) + ": not UTF-8 text", e);
        }
        return table.build();
    }

    /** The rows read so far, growing as lines come. */
    private static final class Table {
        private final String source;
        private final CsvFormat format;
        private String[] names;
        private int columns = -1;
        private int labelColumn;
        private float[] features = new float[1024];
        private int[] labels = new int[64];
        private int rows;
        private int maxLabel = -1;

        Table(String source, CsvFormat format) {
            this.source = source;
            this.format = format;
        }

        void add(String[] cells, int line) throws IOException {
            if (columns < 0) {
                if (cells.length < 2) {
                    throw new IOException(source + ":" + line + ": found " + cells.length + " column; need at least one "
                            + "feature and the label");
                }
                columns = cells.length;
                if (format.header()) {
                    names = new String[columns];
                    for (int c = 0; c < columns; c++) {
                        names[c] = unquote(cells[c].strip());
                    }
                }
                labelColumn = labelColumn();
                if (format.header()) {
                    return;
                }
            }
            if (cells.length != columns) {
                throw new IOException(source + ":" + line + ": expected " + columns + " columns like the first line, found "
                        + cells.length);
            }
            int width = columns - 1;
            if ((long) (rows + 1) * width > MAX_FEATURES) {
                throw new IOException(source + ":" + line + ": too many values for one float array");
            }
            if ((long) (rows + 1) * width > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(MAX_FEATURES, Math.max((long) (rows + 1) * width,
                        2L * features.length)));
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, 2 * labels.length);
            }
            int f = rows * width;
            for (int c = 0; c < columns; c++) {
                String cell = cells[c].strip();
                if (c == labelColumn) {
                    labels[rows] = label(cell, line);
                } else {
                    features[f++] = feature(cell, c, line);
                }
            }
            rows++;
        }

        ClassificationData build() throws IOException {
            if (rows == 0) {
                throw new IOException(source + ": no data rows");
            }
            int classes = format.classes() > 0 ? format.classes() : maxLabel + 1;
            if (classes < 2) {
                throw new IOException(source + ": every label is 0; a classification needs at least 2 classes");
            }
            int width = columns - 1;
            return new ClassificationData(Arrays.copyOf(features, rows * width), width, Arrays.copyOf(labels, rows), classes);
        }

        private int labelColumn() {
            if (format.labelName() != null) {
                int found = Arrays.asList(names).indexOf(format.labelName());
                if (found < 0) {
                    throw new IllegalArgumentException(source + ": no column named '" + format.labelName()
                            + "' in the header " + Arrays.toString(names));
                }
                return found;
            }
            int index = format.labelIndex() < 0 ? columns + format.labelIndex() : format.labelIndex();
            if (index < 0 || index >= columns) {
                throw new IllegalArgumentException(source + ": label column " + format.labelIndex() + " is outside the "
                        + columns + " columns");
            }
            return index;
        }

        private int label(String cell, int line) throws IOException {
            String where = source + ":" + line + ": label in column " + describe(labelColumn) + " ";
            double value = number(cell, where);
            if (value != Math.rint(value)) {
                throw new IOException(where + "'" + cell + "' is not an integer");
            }
            if (value < 0) {
                throw new IOException(where + "'" + cell + "' is negative");
            }
            int limit = format.classes() > 0 ? format.classes() : Integer.MAX_VALUE;
            if (value >= limit) {
                throw new IOException(where + "'" + cell + "' is out of range: expected 0.." + (limit - 1));
            }
            maxLabel = Math.max(maxLabel, (int) value);
            return (int) value;
        }

        private float feature(String cell, int column, int line) throws IOException {
            String where = source + ":" + line + ": column " + describe(column) + " ";
            float value = (float) number(cell, where);
            if (!Float.isFinite(value)) {
                throw new IOException(where + "'" + cell + "' is out of the float range");
            }
            return value;
        }

        /** A decimal number, refusing what Java parses but CSV does not mean (NaN, Infinity, hex, 1f). */
        private static double number(String cell, String where) throws IOException {
            boolean plain = !cell.isEmpty();
            for (int i = 0; i < cell.length() && plain; i++) {
                char c = cell.charAt(i);
                plain = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            }
            try {
                if (plain) {
                    return Double.parseDouble(cell);
                }
            } catch (NumberFormatException e) {
                // reported below, like any other non-number
            }
            throw new IOException(where + (cell.isEmpty() ? "is empty" : "'" + cell + "' is not a number"));
        }

        /** A column as people count it (from 1), with its header name if there is one. */
        private String describe(int column) {
            return (column + 1) + (names == null ? "" : " ('" + names[column] + "')");
        }

        private static String unquote(String name) {
            return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1)
                    : name;
        }
    }
}
