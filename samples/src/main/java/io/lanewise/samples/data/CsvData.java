package io.lanewise.samples.data;

import io.lanewise.data.ClassificationData;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a classification data set from a CSV file of numbers (comma-separated with RFC 4180 quoting, UTF-8,
 * optionally gzip): every column but the label is a feature (a finite decimal number, see {@link Numbers}), and
 * the label is a class: an integer 0..K-1 (written as {@code 3} or {@code 3.0}), K at most {@value #MAX_CLASSES}
 * or the format's fixed number of classes. K is the largest label + 1 unless the format fixes it; at least two
 * different labels must occur. Blank lines are skipped. A problem in the data is an {@link IOException} naming
 * the file and the line.
 */
public final class CsvData {
    /** The most classes a CSV data set may have: labels are 0..MAX_CLASSES-1. */
    public static final int MAX_CLASSES = 10_000;
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
            throw DataFiles.naming(file, e);
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
        Reader text = new InputStreamReader(DataFiles.decompressing(in), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        Table table = new Table(source, format);
        CsvRows rows = new CsvRows(text, source);
        for (String[] cells = rows.next(); cells != null; cells = rows.next()) {
            table.add(cells, rows.line());
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
        private int minLabel = Integer.MAX_VALUE;

        Table(String source, CsvFormat format) {
            this.source = source;
            this.format = format;
        }

        void add(String[] cells, long line) throws IOException {
            if (columns < 0) {
                if (cells.length < 2) {
                    throw new IOException(source + ":" + line + ": found " + cells.length + " column; need at least one "
                            + "feature and the label");
                }
                columns = cells.length;
                if (format.header()) {
                    names = new String[columns];
                    for (int c = 0; c < columns; c++) {
                        names[c] = unquote(cells[c]);
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
                String cell = cells[c];
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
            if (minLabel == maxLabel) {
                throw new IOException(source + ": every label is " + maxLabel + "; a classification needs at least 2 classes");
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

        private int label(String cell, long line) throws IOException {
            String where = source + ":" + line + ": label in column " + describe(labelColumn) + " ";
            double value = number(cell, where);
            if (value != Math.rint(value)) {
                throw new IOException(where + "'" + cell + "' is not an integer");
            }
            if (value < 0) {
                throw new IOException(where + "'" + cell + "' is negative");
            }
            int limit = format.classes() > 0 ? format.classes() : MAX_CLASSES;
            if (value >= limit) {
                throw new IOException(where + "'" + cell + "' is out of range: expected 0.." + (limit - 1)
                        + (format.classes() > 0 ? "" : " (labels are classes 0..K-1, at most " + MAX_CLASSES + " classes)"));
            }
            maxLabel = Math.max(maxLabel, (int) value);
            minLabel = Math.min(minLabel, (int) value);
            return (int) value;
        }

        private float feature(String cell, int column, long line) throws IOException {
            try {
                return Numbers.finiteFloat(cell);
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ":" + line + ": column " + describe(column) + " " + e.getMessage());
            }
        }

        private static double number(String cell, String where) throws IOException {
            try {
                return Numbers.decimal(cell);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + e.getMessage());
            }
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
