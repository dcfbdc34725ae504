package io.lanewise.spark;

import java.io.Serial;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns one partition of (features, label) rows into a {@link Shard}, checking every row: the features as
 * {@link FeatureColumn} does, the label as a class index in {@code 0..classes-1}. Errors name the column, the
 * value, the partition and the row.
 */
final class ShardBuilder implements Function2<Integer, Iterator<Row>, Iterator<Shard>> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final FeatureColumn features;
    private final String label;
    private final int labelIndex;
    private final int classes;
    private final int width;
    private final boolean skipInvalid;

    /**
     * A builder reading {@code features} and the numeric column {@code label} of rows with {@code schema}.
     *
     * @throws IllegalArgumentException if the label column is missing or not numeric
     */
    ShardBuilder(StructType schema, FeatureColumn features, String label, int width, int classes, boolean skipInvalid) {
        checkLabelColumn(schema, label, classes);
        this.features = features;
        this.label = label;
        this.labelIndex = schema.fieldIndex(label);
        this.classes = classes;
        this.width = width;
        this.skipInvalid = skipInvalid;
    }

    /**
     * Checks that {@code schema} has a numeric column {@code label}.
     *
     * @throws IllegalArgumentException naming the column and what it is
     */
    static void checkLabelColumn(StructType schema, String label, int classes) {
        StructField field = FeatureColumn.field(schema, label, "label");
        if (!(field.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + label + "' must be numeric (a class index 0.."
                    + (classes - 1) + "), got " + field.dataType().simpleString());
        }
    }

    @Override
    public Iterator<Shard> call(Integer partition, Iterator<Row> rows) {
        float[] x = new float[width * 1024];
        int[] y = new int[1024];
        int count = 0;
        long rowNumber = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            long number = rowNumber++;
            if (count == y.length) {
                y = Arrays.copyOf(y, 2 * count);
                x = Arrays.copyOf(x, 2 * count * width);
            }
            if (!features.copy(row, x, count * width, skipInvalid, partition, number)) {
                continue;
            }
            if (row.isNullAt(labelIndex)) {
                if (skipInvalid) {
                    continue;
                }
                throw new IllegalArgumentException("label column '" + label + "' is null at row " + number + " of partition "
                        + partition + ": drop such rows first, or set handleInvalid to 'skip'");
            }
            double value = ((Number) row.get(labelIndex)).doubleValue();
            if (!(value >= 0 && value < classes && value == Math.rint(value))) {
                throw new IllegalArgumentException("label column '" + label + "' holds " + value + " at row " + number
                        + " of partition " + partition + ": expected a class index 0.." + (classes - 1) + " (the network has "
                        + classes + " outputs)");
            }
            y[count++] = (int) value;
        }
        return List.of(new Shard(Arrays.copyOf(x, count * width), width, Arrays.copyOf(y, count))).iterator();
    }
}
