package io.lanewise.spark;

import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import io.lanewise.nn.TrainingListener;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel mini-batch training: each step is one Spark job. Every partition computes the
 * gradient of its share of the global batch at the broadcast parameters ({@link PartitionGradient}); the
 * weighted gradients are summed by {@code treeAggregate} along a fixed tree ({@link FixedOrderSum}); the driver
 * applies them with the core trainer's optimizer ({@link Trainer#applyGradients()}) and broadcasts the new
 * parameters. The same seed, data order and partitioning give the same bits on every run.
 */
final class SynchronousTraining {
    private SynchronousTraining() {
    }

    static ModelWeights run(JavaSparkContext spark, JavaRDD<Shard> shards, ShardPlan plan, MlpSpec spec, Optimizer optimizer,
                            int epochs, TrainingListener listener) {
        PortableSpec portable = new PortableSpec(spec);
        int steps = plan.stepsPerEpoch();
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(1).build()) {
            float[] parameters = new float[Math.toIntExact(spec.parameterCount())];
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double epochLoss = 0;
                for (int step = 0; step < steps; step++) {
                    Tensors.copyTo(Tensors.parameters(network), parameters, 0);
                    Broadcast<float[]> broadcast = spark.broadcast(parameters);
                    FixedOrderSum.Part sum;
                    try {
                        sum = shards.mapPartitionsWithIndex(new PartitionGradient(broadcast, portable, plan, epoch, step), true)
                                .treeAggregate(FixedOrderSum.over(plan.partitions()), FixedOrderSum::add, FixedOrderSum::merge, 2)
                                .total();
                    } finally {
                        broadcast.destroy();
                    }
                    Tensors.copyFrom(sum.values(), 0, Tensors.gradients(trainer));
                    trainer.applyGradients();
                    int rows = plan.rows(step);
                    epochLoss += sum.loss() * rows;
                    listener.onBatch(epoch, step, rows, sum.loss());
                }
                listener.onEpoch(epoch, epochLoss / plan.totalRows());
            }
            return ModelWeights.of(network);
        }
    }
}
