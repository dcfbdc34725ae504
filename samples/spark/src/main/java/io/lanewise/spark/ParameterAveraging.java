package io.lanewise.spark;

import io.lanewise.nn.Network;
import io.lanewise.nn.TrainingListener;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Per-epoch parameter averaging: one Spark job per epoch. Every partition trains a copy of the network on its
 * own shard for a whole epoch ({@link LocalEpoch}); the driver averages the copies' parameters and optimizer
 * state, weighted by shard rows and summed along a fixed tree, and broadcasts the average for the next epoch.
 * One round per epoch instead of one per batch, at the price of exactness: the result is not the
 * single-machine trainer's, and the copies drift apart within an epoch. Deterministic as the synchronous mode.
 */
final class ParameterAveraging {
    private ParameterAveraging() {
    }

    static ModelWeights run(JavaSparkContext spark, JavaRDD<Shard> shards, ShardPlan plan, MlpSpec spec, Optimizer optimizer,
                            int batch, int epochs, TrainingListener listener) {
        PortableSpec portableSpec = new PortableSpec(spec);
        PortableOptimizer portableOptimizer = new PortableOptimizer(optimizer);
        int parameters = Math.toIntExact(spec.parameterCount());
        float[] state = new float[parameters * (1 + optimizer.stateSlots())];
        try (Network initial = Network.create(spec)) {
            Tensors.copyTo(Tensors.parameters(initial), state, 0); // optimizer state starts at zero, as a trainer's does
        }
        int longestShard = 0;
        for (int p = 0; p < plan.partitions(); p++) {
            longestShard = Math.max(longestShard, plan.shardRows(p));
        }
        long stepsPerEpoch = ((long) longestShard + batch - 1) / batch;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Broadcast<float[]> broadcast = spark.broadcast(state);
            FixedOrderSum.Part average;
            try {
                LocalEpoch local = new LocalEpoch(broadcast, portableSpec, portableOptimizer, plan, batch, epoch,
                        (epoch - 1) * stepsPerEpoch);
                average = shards.mapPartitionsWithIndex(local, true)
                        .treeAggregate(FixedOrderSum.over(plan.partitions()), FixedOrderSum::add, FixedOrderSum::merge, 2)
                        .total();
            } finally {
                broadcast.destroy();
            }
            state = average.values();
            listener.onEpoch(epoch, average.loss());
        }
        return ModelWeights.of(spec, Arrays.copyOf(state, parameters));
    }
}
