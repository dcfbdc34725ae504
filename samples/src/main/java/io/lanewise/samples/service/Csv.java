package io.lanewise.samples.service;

/** Parses the service's plain-text request bodies, with messages that say what was expected. */
final class Csv {
    private Csv() {
    }

    /** Exactly {@code width} comma-separated floats. */
    static float[] floats(String text, int width) {
        String[] cells = text.split(",", -1);
        if (cells.length != width) {
            throw new IllegalArgumentException("expected " + width + " comma-separated features, got " + cells.length);
        }
        float[] values = new float[width];
        for (int i = 0; i < width; i++) {
            try {
                values[i] = Float.parseFloat(cells[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("feature " + i + " is not a number: '" + cells[i].trim() + "'");
            }
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("feature " + i + " must be finite, got " + cells[i].trim());
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
