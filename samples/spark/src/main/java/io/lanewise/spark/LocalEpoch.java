package io.lanewise.spark;

import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.Serial;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's epoch under parameter averaging: from the broadcast parameters and optimizer state, the core's
 * trainer runs a whole epoch over the partition's shard alone (its own shuffled order, batches of the configured
 * size), and returns its parameters and optimizer state weighted by its share of all rows, so that the sum over
 * partitions is their row-weighted average.
 */
final class LocalEpoch implements Function2<Integer, Iterator<Shard>, Iterator<FixedOrderSum.Part>> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Broadcast<float[]> state;
    private final PortableSpec spec;
    private final PortableOptimizer optimizer;
    private final ShardPlan plan;
    private final int batch;
    private final int epoch;
    private final long stepsDone;

    LocalEpoch(Broadcast<float[]> state, PortableSpec spec, PortableOptimizer optimizer, ShardPlan plan, int batch,
               int epoch, long stepsDone) {
        this.state = state;
        this.spec = spec;
        this.optimizer = optimizer;
        this.plan = plan;
        this.batch = batch;
        this.epoch = epoch;
        this.stepsDone = stepsDone;
    }

    @Override
    public Iterator<FixedOrderSum.Part> call(Integer partition, Iterator<Shard> shards) {
        Shard shard = shards.next();
        int rows = shard.rows();
        if (rows == 0) {
            return List.of(new FixedOrderSum.Part(partition, null, 0)).iterator();
        }
        MlpSpec s = spec.spec();
        Optimizer o = optimizer.optimizer();
        float[] start = state.value();
        float[] end = new float[start.length];
        double lossSum = 0;
        OpenBuffers.opened();
        try (Network network = Network.zeros(s);
             Trainer trainer = Trainer.builder(network, o).batchSize(batch).build()) {
            int at = Tensors.copyFrom(start, 0, Tensors.parameters(network));
            for (int slot = 0; slot < o.stateSlots(); slot++) {
                at = Tensors.copyFrom(start, at, Tensors.optimizerState(trainer, slot));
            }
            trainer.resumeAt(stepsDone);
            int[] order = plan.order(partition, epoch);
            for (int from = 0; from < rows; from += batch) {
                int count = Math.min(batch, rows - from);
                lossSum += trainer.stepGathered(shard.features(), shard.labels(), order, from, count) * count;
            }
            at = Tensors.copyTo(Tensors.parameters(network), end, 0);
            for (int slot = 0; slot < o.stateSlots(); slot++) {
                at = Tensors.copyTo(Tensors.optimizerState(trainer, slot), end, at);
            }
        } finally {
            OpenBuffers.closed();
        }
        float weight = (float) ((double) rows / plan.totalRows());
        for (int i = 0; i < end.length; i++) {
            end[i] *= weight;
        }
        return List.of(new FixedOrderSum.Part(partition, end, lossSum / plan.totalRows())).iterator();
    }
}
