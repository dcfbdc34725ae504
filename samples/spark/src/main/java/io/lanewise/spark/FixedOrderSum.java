package io.lanewise.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums one float vector per partition along a fixed binary tree over the partition indices, whatever order the
 * partial sums arrive in: node (level, i) is the sum of partitions {@code [i·2^level, (i+1)·2^level)}, always
 * formed as left + right. Float addition is not associative, so summing in task-completion order (as
 * {@code treeAggregate} merges) would change the last bits from run to run; along the tree it cannot.
 *
 * <p>Used as {@code treeAggregate}'s accumulator: {@link #add} takes a partition's {@link Part}, {@link #merge}
 * another accumulator. Pending nodes wait in a map until their sibling arrives. A part may carry no values
 * (a partition with nothing to add this round): it counts as zeros. The sum takes the parts' arrays and adds
 * into them.
 */
final class FixedOrderSum implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int leaves;
    private final HashMap<Long, Part> pending = new HashMap<>();
    private Part root;

    private FixedOrderSum(int leaves) {
        this.leaves = leaves;
    }

    /** An empty sum over {@code leaves} partitions. */
    static FixedOrderSum over(int leaves) {
        if (leaves <= 0) {
            throw new IllegalArgumentException("a sum needs at least one partition, got " + leaves);
        }
        return new FixedOrderSum(leaves);
    }

    /** One partition's values, weighted already, and a loss to sum alongside (a class: records hold no arrays). */
    static final class Part implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final int partition;
        private final float[] values;
        private final double loss;

        /**
         * @param partition the partition's index
         * @param values    its vector (taken, not copied), or null for zeros
         * @param loss      its share of the loss
         */
        Part(int partition, float[] values, double loss) {
            this.partition = partition;
            this.values = values;
            this.loss = loss;
        }

        int partition() {
            return partition;
        }

        /** The vector, not a copy; null for zeros. */
        float[] values() {
            return values;
        }

        double loss() {
            return loss;
        }
    }

    /** Adds partition {@code part.partition()}'s values; returns this. */
    FixedOrderSum add(Part part) {
        if (part.partition() < 0 || part.partition() >= leaves) {
            throw new IllegalArgumentException("partition " + part.partition() + " is outside 0.." + (leaves - 1));
        }
        insert(0, part.partition(), part);
        return this;
    }

    /** Adds every partial sum of {@code other} (over the same partitions); returns this. */
    FixedOrderSum merge(FixedOrderSum other) {
        if (other.leaves != leaves) {
            throw new IllegalArgumentException("sums over " + leaves + " and " + other.leaves + " partitions do not merge");
        }
        if (other.root != null) {
            insert(levels(), 0, other.root);
        }
        for (Map.Entry<Long, Part> e : other.pending.entrySet()) {
            insert((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return this;
    }

    /**
     * The sum over every partition.
     *
     * @throws IllegalStateException if some partition's values have not arrived
     */
    Part total() {
        if (root == null) {
            throw new IllegalStateException("the sum over " + leaves + " partitions is incomplete: "
                    + pending.size() + " partial sums wait for their siblings");
        }
        return root;
    }

    private int levels() {
        return 32 - Integer.numberOfLeadingZeros(leaves - 1); // ceil(log2(leaves))
    }

    private void insert(int level, int index, Part node) {
        if (root != null) {
            throw new IllegalStateException("the sum over " + leaves + " partitions is complete: partition range " + index
                    + " at level " + level + " arrived twice");
        }
        int l = level;
        int i = index;
        Part n = node;
        while (l < levels()) {
            int sibling = i ^ 1;
            if ((long) sibling << l >= leaves) {
                // the sibling covers no partition: the node moves up alone
            } else {
                Part other = pending.remove(key(l, sibling));
                if (other == null) {
                    if (pending.putIfAbsent(key(l, i), n) != null) {
                        throw new IllegalStateException("partition range " + i + " at level " + l + " arrived twice");
                    }
                    return;
                }
                n = (i & 1) == 0 ? combine(n, other) : combine(other, n);
            }
            l++;
            i >>= 1;
        }
        root = n;
    }

    private static Part combine(Part left, Part right) {
        float[] sum;
        if (left.values() == null) {
            sum = right.values();
        } else if (right.values() == null) {
            sum = left.values();
        } else {
            sum = left.values();
            float[] r = right.values();
            if (r.length != sum.length) {
                throw new IllegalArgumentException("partial sums of " + sum.length + " and " + r.length + " floats");
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] += r[k];
            }
        }
        return new Part(left.partition(), sum, left.loss() + right.loss());
    }

    private static long key(int level, int index) {
        return (long) level << 32 | index;
    }
}
