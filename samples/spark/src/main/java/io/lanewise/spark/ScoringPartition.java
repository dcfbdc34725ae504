package io.lanewise.spark;

import java.io.Serial;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/** The function each partition runs to score its rows: a {@link BatchScorer} over the broadcast weights. */
final class ScoringPartition implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelWeights> weights;
    private final FeatureColumn features;
    private final OutputColumns outputs;
    private final boolean skipInvalid;

    ScoringPartition(Broadcast<ModelWeights> weights, FeatureColumn features, OutputColumns outputs, boolean skipInvalid) {
        this.weights = weights;
        this.features = features;
        this.outputs = outputs;
        this.skipInvalid = skipInvalid;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new BatchScorer(input, weights.value(), features, outputs, skipInvalid);
    }
}
