package io.lanewise.samples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lanewise.data.ClassificationData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainTestSplitTest {
    /** Row r has features (r, -r) and label r % 3, so every row can be recognised after the shuffle. */
    private static ClassificationData numbered(int rows) {
        float[] features = new float[2 * rows];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            features[2 * r] = r;
            features[2 * r + 1] = -r;
            labels[r] = r % 3;
        }
        return new ClassificationData(features, 2, labels, 3);
    }

    private static List<Integer> rowIds(ClassificationData data) {
        List<Integer> ids = new ArrayList<>();
        for (int r = 0; r < data.rows(); r++) {
            int id = (int) data.features()[2 * r];
            assertEquals(-id, data.features()[2 * r + 1]);
            assertEquals(id % 3, data.labels()[r]);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void splitsEveryRowIntoExactlyOnePartKeepingRowsWhole() {
        TrainTestSplit split = TrainTestSplit.shuffled(numbered(101), 0.2, 42);
        assertEquals(81, split.train().rows());
        assertEquals(20, split.test().rows());
        assertEquals(3, split.test().classes());
        List<Integer> all = new ArrayList<>(rowIds(split.train()));
        all.addAll(rowIds(split.test()));
        int[] sorted = all.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] expected = new int[101];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, sorted);
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        ClassificationData data = numbered(50);
        TrainTestSplit a = TrainTestSplit.shuffled(data, 0.3, 7);
        TrainTestSplit b = TrainTestSplit.shuffled(data, 0.3, 7);
        TrainTestSplit c = TrainTestSplit.shuffled(data, 0.3, 8);
        assertEquals(rowIds(a.test()), rowIds(b.test()));
        assertEquals(rowIds(a.train()), rowIds(b.train()));
        assertFalse(rowIds(a.test()).equals(rowIds(c.test())));
    }

    @Test
    void rejectsFractionsThatLeaveAPartEmpty() {
        ClassificationData data = numbered(10);
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.shuffled(data, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.shuffled(data, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.shuffled(data, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.shuffled(data, 0.01, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.shuffled(data, 0.99, 1));
    }
}
