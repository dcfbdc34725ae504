package io.lanewise.samples.data;

/**
 * How to read a CSV file of numbers into a classification data set: which column holds the label, whether the
 * first line names the columns, and how many classes there are. Build one with {@link #labelColumn(int)} or
 * {@link #labelColumn(String)}.
 *
 * @param header     whether the first line names the columns (and is not data)
 * @param labelName  the label column's name in the header, or null to use {@code labelIndex}
 * @param labelIndex the label column's index from 0, or from the end if negative (-1 is the last column)
 * @param classes    the number of classes, or 0 to take the largest label + 1
 */
public record CsvFormat(boolean header, String labelName, int labelIndex, int classes) {

    /**
     * Checks the combination.
     *
     * @throws IllegalArgumentException if a label name is given without a header, or classes is neither 0 nor at
     *                                  least 2
     */
    public CsvFormat {
        if (labelName != null && !header) {
            throw new IllegalArgumentException("a label column named '" + labelName + "' needs a header line");
        }
        if (classes != 0 && classes < 2) {
            throw new IllegalArgumentException("classes must be 0 (largest label + 1) or at least 2, got " + classes);
        }
    }

    /** No header line; the label in column {@code index} from 0 (negative counts from the end: -1 is the last). */
    public static CsvFormat labelColumn(int index) {
        return new CsvFormat(false, null, index, 0);
    }

    /** A header line; the label in the column it names {@code name}. */
    public static CsvFormat labelColumn(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("label column name must not be blank");
        }
        return new CsvFormat(true, name, 0, 0);
    }

    /** The same, with the first line a header to skip. */
    public CsvFormat withHeader() {
        return new CsvFormat(true, labelName, labelIndex, classes);
    }

    /** The same, with a fixed number of classes; a label at or above it is an error. */
    public CsvFormat withClasses(int classes) {
        return new CsvFormat(header, labelName, labelIndex, classes);
    }
}
