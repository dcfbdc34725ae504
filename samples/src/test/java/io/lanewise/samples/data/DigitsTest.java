package io.lanewise.samples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DigitsTest {
    @Test
    void loadsAllRowsScaledToTheUnitInterval() throws IOException {
        ClassificationData digits = Digits.load();
        assertEquals(Digits.ROWS, digits.rows());
        assertEquals(Digits.WIDTH, digits.width());
        assertEquals(Digits.CLASSES, digits.classes());
        float max = 0;
        for (float f : digits.features()) {
            assertTrue(f >= 0 && f <= 1, "feature " + f);
            max = Math.max(max, f);
        }
        assertEquals(1f, max);
        int[] counts = new int[10];
        for (int label : digits.labels()) {
            counts[label]++;
        }
        // scikit-learn's description gives about 180 samples per class
        assertTrue(Arrays.stream(counts).allMatch(c -> c >= 170 && c <= 190), Arrays.toString(counts));
        assertEquals(0, digits.labels()[0]);
        // the first row of the file, a zero: 0,0,5,13,9,1,0,0,...
        assertArrayEquals(new float[] {0, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0},
                Arrays.copyOf(digits.features(), 8));
    }
}
