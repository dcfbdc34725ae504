package io.lanewise.spark;

import io.lanewise.data.ClassificationData;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import org.apache.spark.sql.functions;

/** Held-out accuracy, from Spark's scoring or from one machine's predictor. */
final class Accuracy {
    private Accuracy() {
    }

    /** The share of {@code test}'s rows that {@code model}'s transform classifies right. */
    static double of(LanewiseModel model, ClassificationData test) {
        var scored = model.transform(TestSpark.frame(test, 2));
        long right = scored.filter(functions.col(model.getPredictionCol()).equalTo(functions.col("label"))).count();
        return (double) right / test.rows();
    }

    /** The share of {@code test}'s rows that {@code network} classifies right on one machine. */
    static double of(Network network, ClassificationData test) {
        int right = 0;
        try (SharedModel model = SharedModel.of(network); Predictor predictor = model.newPredictor(1)) {
            float[] row = new float[test.width()];
            for (int r = 0; r < test.rows(); r++) {
                System.arraycopy(test.features(), r * test.width(), row, 0, test.width());
                right += predictor.predictClass(row) == test.labels()[r] ? 1 : 0;
            }
        }
        return (double) right / test.rows();
    }
}
