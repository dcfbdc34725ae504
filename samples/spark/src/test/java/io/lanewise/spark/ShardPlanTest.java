package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShardPlanTest {
    @Test
    void splitsEachGlobalBatchOverThePartitions() {
        ShardPlan plan = new ShardPlan(new int[] {300, 290, 10}, 128, 1);
        // shares of 128: 43 + 43 + 42; the third shard has only 10 rows
        assertEquals(43, plan.rows(0, 0));
        assertEquals(43, plan.rows(1, 0));
        assertEquals(10, plan.rows(2, 0));
        assertEquals(7, plan.stepsPerEpoch(), "ceil(300 / 43) steps");
        assertEquals(0, plan.rows(2, 1), "the small shard is through after its first step");
        assertEquals(300 - 6 * 43, plan.rows(0, 6));
        assertEquals(290 - 6 * 43, plan.rows(1, 6));
        assertEquals(6 * 43, plan.from(0, 6));
        long covered = 0;
        for (int s = 0; s < plan.stepsPerEpoch(); s++) {
            covered += plan.rows(s);
        }
        assertEquals(600, covered, "an epoch covers every row once");
        assertEquals(600, plan.totalRows());
    }

    @Test
    void ordersArePermutationsFixedBySeedEpochAndPartition() {
        ShardPlan plan = new ShardPlan(new int[] {50, 50}, 10, 7);
        int[] order = plan.order(0, 1);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
        assertArrayEquals(order, new ShardPlan(new int[] {50, 50}, 10, 7).order(0, 1), "the same on every run");
        assertFalse(Arrays.equals(order, plan.order(1, 1)), "partitions shuffle differently");
        assertFalse(Arrays.equals(order, plan.order(0, 2)), "epochs shuffle differently");
        assertFalse(Arrays.equals(order, new ShardPlan(new int[] {50, 50}, 10, 8).order(0, 1)), "seeds shuffle differently");
    }

    @Test
    void rejectsABatchThatIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ShardPlan(new int[] {5}, 0, 1));
        assertEquals("batch size must be positive, got 0", e.getMessage());
    }
}
