package io.lanewise.spark;

import io.lanewise.spec.Loss;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a model appends to each row, from one row of network outputs: the predicted class (the largest
 * output; for a single sigmoid output, 1 when its probability is at least 0.5), the probabilities (softmax for
 * softmax cross-entropy, a sigmoid per output for binary cross-entropy; none for mean squared error) and the raw
 * outputs. A column named "" is left out.
 */
final class OutputColumns implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String prediction;
    private final String probability;
    private final String raw;
    private final Loss loss;

    OutputColumns(String prediction, String probability, String raw, Loss loss) {
        this.prediction = prediction;
        this.probability = loss == Loss.MEAN_SQUARED_ERROR ? "" : probability;
        this.raw = raw;
        this.loss = loss;
    }

    /**
     * {@code input} with the output columns appended.
     *
     * @throws IllegalArgumentException if none is set, or one already exists in the input
     */
    StructType appendTo(StructType input) {
        if (prediction.isEmpty() && probability.isEmpty() && raw.isEmpty()) {
            throw new IllegalArgumentException("no output column: predictionCol, probabilityCol and rawPredictionCol are all empty");
        }
        StructType out = input;
        if (!prediction.isEmpty()) {
            out = append(out, prediction, "predictionCol").add(prediction, DataTypes.DoubleType, false);
        }
        if (!probability.isEmpty()) {
            out = append(out, probability, "probabilityCol").add(probability, SQLDataTypes.VectorType(), false);
        }
        if (!raw.isEmpty()) {
            out = append(out, raw, "rawPredictionCol").add(raw, SQLDataTypes.VectorType(), false);
        }
        return out;
    }

    private static StructType append(StructType schema, String name, String param) {
        if (schema.getFieldIndex(name).isDefined()) {
            throw new IllegalArgumentException("output column '" + name + "' already exists in the input "
                    + Arrays.toString(schema.fieldNames()) + ": set " + param + " to another name, or \"\" for none");
        }
        return schema;
    }

    /** Number of columns appended. */
    int count() {
        return (prediction.isEmpty() ? 0 : 1) + (probability.isEmpty() ? 0 : 1) + (raw.isEmpty() ? 0 : 1);
    }

    /** Writes the appended values for the output row {@code outputs[offset .. offset + width)} from {@code at}. */
    void write(float[] outputs, int offset, int width, Object[] values, int at) {
        int next = at;
        if (!prediction.isEmpty()) {
            values[next++] = predictedClass(outputs, offset, width);
        }
        if (!probability.isEmpty()) {
            values[next++] = new DenseVector(probabilities(outputs, offset, width));
        }
        if (!raw.isEmpty()) {
            double[] r = new double[width];
            for (int i = 0; i < width; i++) {
                r[i] = outputs[offset + i];
            }
            values[next] = new DenseVector(r);
        }
    }

    private double predictedClass(float[] outputs, int offset, int width) {
        if (width == 1) {
            // one output: a sigmoid's logit decides at 0, a regression's value is the prediction
            return loss == Loss.MEAN_SQUARED_ERROR ? outputs[offset] : (outputs[offset] >= 0f ? 1.0 : 0.0);
        }
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (outputs[offset + i] > outputs[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private double[] probabilities(float[] outputs, int offset, int width) {
        double[] p = new double[width];
        if (loss == Loss.SIGMOID_BINARY_CROSS_ENTROPY) {
            for (int i = 0; i < width; i++) {
                p[i] = 1.0 / (1.0 + Math.exp(-outputs[offset + i]));
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < width; i++) {
            max = Math.max(max, outputs[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < width; i++) {
            p[i] = Math.exp(outputs[offset + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < width; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
