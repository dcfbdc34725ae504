package io.lanewise.spark;

import io.lanewise.data.ClassificationData;
import io.lanewise.nn.Trainer;

/**
 * The single-machine trainer fed the very global batches a synchronous Spark run over {@link TestSpark#frame}
 * uses: at each step, partition 0's rows of the batch, then partition 1's, ... in their epoch orders.
 */
final class OneMachine {
    private OneMachine() {
    }

    /** Trains {@code epochs} epochs; returns every step's loss. */
    static double[] train(Trainer trainer, ClassificationData data, ShardPlan plan, int epochs) {
        int steps = plan.stepsPerEpoch();
        double[] losses = new double[epochs * steps];
        float[] x = new float[trainer.batchSize() * data.width()];
        int[] y = new int[trainer.batchSize()];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[][] orders = new int[plan.partitions()][];
            for (int p = 0; p < orders.length; p++) {
                orders[p] = plan.order(p, epoch);
            }
            for (int step = 0; step < steps; step++) {
                int at = 0;
                for (int p = 0; p < orders.length; p++) {
                    int start = TestSpark.partitionStart(data.rows(), plan.partitions(), p);
                    for (int r = 0; r < plan.rows(p, step); r++, at++) {
                        int row = start + orders[p][plan.from(p, step) + r];
                        System.arraycopy(data.features(), row * data.width(), x, at * data.width(), data.width());
                        y[at] = data.labels()[row];
                    }
                }
                float[] batchX = at == y.length ? x : java.util.Arrays.copyOf(x, at * data.width());
                int[] batchY = at == y.length ? y : java.util.Arrays.copyOf(y, at);
                losses[(epoch - 1) * steps + step] = trainer.step(batchX, batchY);
            }
        }
        return losses;
    }

    /** A shard plan for {@link TestSpark#frame}{@code (data, partitions)}. */
    static ShardPlan plan(ClassificationData data, int partitions, int batch, long seed) {
        int[] shardRows = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            shardRows[p] = TestSpark.partitionStart(data.rows(), partitions, p + 1) - TestSpark.partitionStart(data.rows(), partitions, p);
        }
        return new ShardPlan(shardRows, batch, seed);
    }
}
