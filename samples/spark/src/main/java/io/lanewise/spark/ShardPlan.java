package io.lanewise.spark;

import io.lanewise.spec.SeededRandom;
import java.io.Serial;
import java.io.Serializable;

/**
 * Which rows each partition trains on, step by step, the same on every run: each epoch a partition shuffles its
 * own shard with a generator seeded from (seed, epoch, partition), then takes its share of each global batch
 * in that order. A global batch of {@code b} rows over {@code P} partitions gives each partition
 * {@code b / P} rows (the first {@code b % P} partitions one more); a partition whose shard runs out adds
 * nothing to the remaining steps of the epoch.
 */
final class ShardPlan implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int[] shardRows;
    private final int[] shares;
    private final long seed;

    /**
     * A plan over shards of {@code shardRows[p]} rows with global batches of {@code batch} rows.
     *
     * @throws IllegalArgumentException if the batch is not positive
     */
    ShardPlan(int[] shardRows, int batch, long seed) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batch);
        }
        this.shardRows = shardRows.clone();
        this.shares = new int[shardRows.length];
        for (int p = 0; p < shares.length; p++) {
            shares[p] = batch / shares.length + (p < batch % shares.length ? 1 : 0);
        }
        this.seed = seed;
    }

    /** Number of partitions. */
    int partitions() {
        return shardRows.length;
    }

    /** Rows of partition {@code p}'s shard. */
    int shardRows(int p) {
        return shardRows[p];
    }

    /** Rows over all shards. */
    long totalRows() {
        long n = 0;
        for (int r : shardRows) {
            n += r;
        }
        return n;
    }

    /** Synchronous steps per epoch: until the slowest shard is through. */
    int stepsPerEpoch() {
        int steps = 0;
        for (int p = 0; p < shardRows.length; p++) {
            if (shares[p] > 0) {
                steps = Math.max(steps, (shardRows[p] + shares[p] - 1) / shares[p]);
            }
        }
        return steps;
    }

    /** Rows partition {@code p} adds to step {@code step} of an epoch (0 once its shard is through). */
    int rows(int p, int step) {
        long from = (long) step * shares[p];
        return (int) Math.max(0, Math.min(shares[p], shardRows[p] - from));
    }

    /** Where in its epoch order partition {@code p}'s rows of step {@code step} start. */
    int from(int p, int step) {
        return step * shares[p];
    }

    /** Rows of global step {@code step}, over every partition. */
    int rows(int step) {
        int m = 0;
        for (int p = 0; p < shardRows.length; p++) {
            m += rows(p, step);
        }
        return m;
    }

    /** Partition {@code p}'s row order in epoch {@code epoch} (1-based): its shard's rows shuffled. */
    int[] order(int p, int epoch) {
        int[] order = new int[shardRows[p]];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long stream = (seed * 0x9E3779B97F4A7C15L + epoch) * 0xBF58476D1CE4E5B9L + p;
        new SeededRandom(stream).shuffle(order, order.length);
        return order;
    }
}
