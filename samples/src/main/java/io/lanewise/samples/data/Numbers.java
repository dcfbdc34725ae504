package io.lanewise.samples.data;

/**
 * The one number grammar of every text input (training CSV, predict input, the service's bodies): a plain
 * decimal number, optionally signed and with an exponent ({@code 3}, {@code -0.5}, {@code +1e-3}), whose value
 * fits a float. What Java parses but a data file does not mean is refused: {@code NaN}, {@code Infinity},
 * hexadecimal ({@code 0x1p3}) and type suffixes ({@code 1f}, {@code 2d}).
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * {@code cell} (already stripped of surrounding blanks) as a finite float.
     *
     * @throws IllegalArgumentException saying what is wrong with the cell, quoting it, e.g. "'1e39' is out of the
     *                                  float range"
     */
    public static float finiteFloat(String cell) {
        float value = (float) decimal(cell);
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("'" + cell + "' is out of the float range");
        }
        return value;
    }

    /**
     * {@code cell} as a decimal number (a double), refusing NaN, infinities, hexadecimal and type suffixes.
     *
     * @throws IllegalArgumentException "is empty" or "'CELL' is not a number"
     */
    public static double decimal(String cell) {
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
        throw new IllegalArgumentException(cell.isEmpty() ? "is empty" : "'" + cell + "' is not a number");
    }
}
