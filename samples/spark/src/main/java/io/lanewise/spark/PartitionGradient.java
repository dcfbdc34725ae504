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
 * One partition's part of a synchronous step: the gradient of the mean loss over its rows of the global batch,
 * computed with the core's trainer at the broadcast parameters and weighted by its share of the batch's rows,
 * so that the sum over partitions is the gradient of the whole batch's mean loss.
 */
final class PartitionGradient implements Function2<Integer, Iterator<Shard>, Iterator<FixedOrderSum.Part>> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The workers compute gradients only; the driver applies them with the real optimizer. */
    private static final Optimizer GRADIENTS_ONLY = Optimizer.sgd(1.0);

    private final Broadcast<float[]> parameters;
    private final PortableSpec spec;
    private final ShardPlan plan;
    private final int epoch;
    private final int step;

    PartitionGradient(Broadcast<float[]> parameters, PortableSpec spec, ShardPlan plan, int epoch, int step) {
        this.parameters = parameters;
        this.spec = spec;
        this.plan = plan;
        this.epoch = epoch;
        this.step = step;
    }

    @Override
    public Iterator<FixedOrderSum.Part> call(Integer partition, Iterator<Shard> shards) {
        Shard shard = shards.next();
        int rows = plan.rows(partition, step);
        if (rows == 0) {
            return List.of(new FixedOrderSum.Part(partition, null, 0)).iterator();
        }
        MlpSpec s = spec.spec();
        float[] x = new float[rows * s.inputWidth()];
        int[] y = new int[rows];
        shard.gather(plan.order(partition, epoch), plan.from(partition, step), rows, x, y);
        double share = (double) rows / plan.rows(step);
        float[] gradient = new float[parameters.value().length];
        double loss;
        OpenBuffers.opened();
        try (Network network = Network.zeros(s);
             Trainer trainer = Trainer.builder(network, GRADIENTS_ONLY).batchSize(rows).build()) {
            Tensors.copyFrom(parameters.value(), 0, Tensors.parameters(network));
            loss = trainer.computeGradients(x, y);
            Tensors.copyTo(Tensors.gradients(trainer), gradient, 0);
        } finally {
            OpenBuffers.closed();
        }
        float weight = (float) share;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= weight;
        }
        return List.of(new FixedOrderSum.Part(partition, gradient, loss * share)).iterator();
    }
}
