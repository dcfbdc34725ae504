package io.lanewise.data;

import io.lanewise.spec.SeededRandom;

/**
 * The classic two-spirals problem: two interleaved spirals in the plane, one class each, not linearly
 * separable. A small built-in problem for smoke tests and the quick start.
 */
public final class TwoSpirals {
    private TwoSpirals() {
    }

    /**
     * {@code rows} points (alternating classes), 1.5 turns each, coordinates in about [-1, 1], with
     * Gaussian noise of standard deviation {@code noise}, drawn from {@code seed}.
     */
    public static ClassificationData generate(int rows, double noise, long seed) {
        if (rows < 2) {
            throw new IllegalArgumentException("two spirals need at least 2 rows, got " + rows);
        }
        SeededRandom random = new SeededRandom(seed);
        float[] features = new float[2 * rows];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            int label = i % 2;
            double t = 0.15 + 0.85 * random.nextDouble();
            double angle = t * 3 * Math.PI + label * Math.PI;
            features[2 * i] = (float) (t * Math.cos(angle) + noise * random.nextGaussian());
            features[2 * i + 1] = (float) (t * Math.sin(angle) + noise * random.nextGaussian());
            labels[i] = label;
        }
        return new ClassificationData(features, 2, labels, 2);
    }
}
