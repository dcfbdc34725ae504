package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Partial sums arriving in any order, merged in any grouping, give the same bits: those of one fixed tree. */
class FixedOrderSumTest {
    private static final int LENGTH = 1000;

    /** Values spanning magnitudes, so that the order of float additions changes the result. */
    private static float[][] leaves(int count) {
        SeededRandom random = new SeededRandom(count);
        float[][] v = new float[count][LENGTH];
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < LENGTH; i++) {
                v[p][i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
            }
        }
        return v;
    }

    private static FixedOrderSum.Part part(float[][] leaves, int p) {
        return new FixedOrderSum.Part(p, leaves[p].clone(), p + 0.25);
    }

    /** The tree written out: node (level, i) = left + right, a missing right sibling passes the left up. */
    private static float[] tree(float[][] leaves, int from, int size) {
        if (size == 1) {
            return from < leaves.length ? leaves[from].clone() : null;
        }
        float[] left = tree(leaves, from, size / 2);
        float[] right = tree(leaves, from + size / 2, size / 2);
        if (right == null) {
            return left;
        }
        for (int i = 0; i < LENGTH; i++) {
            left[i] += right[i];
        }
        return left;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 13})
    void everyArrivalOrderAndGroupingGivesTheTreesBits(int partitions) {
        float[][] leaves = leaves(partitions);
        int size = Integer.highestOneBit(partitions) == partitions ? partitions : Integer.highestOneBit(partitions) * 2;
        float[] expected = tree(leaves, 0, size);
        SeededRandom random = new SeededRandom(77);
        for (int trial = 0; trial < 50; trial++) {
            List<Integer> order = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                order.add(p);
            }
            for (int i = order.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                order.set(i, order.set(j, order.get(i)));
            }
            // as treeAggregate: a few accumulators take parts, then merge into one in some order
            int groups = 1 + random.nextInt(partitions);
            List<FixedOrderSum> accumulators = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                accumulators.add(FixedOrderSum.over(partitions));
            }
            for (int p : order) {
                accumulators.get(random.nextInt(groups)).add(part(leaves, p));
            }
            FixedOrderSum total = FixedOrderSum.over(partitions);
            while (!accumulators.isEmpty()) {
                total.merge(accumulators.remove(random.nextInt(accumulators.size())));
            }
            assertArrayEquals(expected, total.total().values(), "trial " + trial);
            assertEquals(partitions * (partitions - 1) / 2.0 + 0.25 * partitions, total.total().loss(), 1e-12);
        }
    }

    @Test
    void theOrderMattersForFloatsSoATreeIsNeeded() {
        // the premise: summing the same parts in another order changes bits
        float[][] leaves = leaves(5);
        float[] forward = new float[LENGTH];
        float[] backward = new float[LENGTH];
        for (int p = 0; p < 5; p++) {
            for (int i = 0; i < LENGTH; i++) {
                forward[i] += leaves[p][i];
                backward[i] += leaves[4 - p][i];
            }
        }
        assertNotEquals(java.util.Arrays.toString(forward), java.util.Arrays.toString(backward));
    }

    @Test
    void emptyPartsCountAsZerosAndMissingOnesAreReported() {
        float[][] leaves = leaves(3);
        FixedOrderSum sum = FixedOrderSum.over(3);
        sum.add(new FixedOrderSum.Part(1, null, 0));
        sum.add(part(leaves, 2));
        IllegalStateException incomplete = assertThrows(IllegalStateException.class, sum::total);
        assertTrue(incomplete.getMessage().contains("incomplete"), incomplete.getMessage());
        sum.add(part(leaves, 0));
        float[] expected = leaves[0].clone();
        for (int i = 0; i < LENGTH; i++) {
            expected[i] += leaves[2][i];
        }
        assertArrayEquals(expected, sum.total().values());
        assertThrows(IllegalStateException.class, () -> sum.add(part(leaves, 0)));
        assertThrows(IllegalArgumentException.class, () -> FixedOrderSum.over(3).add(part(leaves(4), 3)));
        assertThrows(IllegalArgumentException.class, () -> FixedOrderSum.over(3).merge(FixedOrderSum.over(4)));
    }
}
