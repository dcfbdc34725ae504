package io.lanewise.spark;

import io.lanewise.data.ClassificationData;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** In-memory labelled data (the embedded digits, Fashion-MNIST, a CSV file) as a Spark data frame. */
public final class LabelledFrames {
    /** The frame's schema: a vector column "features" and a double column "label". */
    public static final StructType SCHEMA = new StructType().add("features", SQLDataTypes.VectorType(), true)
            .add("label", DataTypes.DoubleType, true);

    private LabelledFrames() {
    }

    /**
     * {@code data} as (features, label) rows in {@code partitions} partitions of consecutive rows: partition p holds
     * rows {@code [p·n/P, (p+1)·n/P)}. The arrays are broadcast and the rows made on the executors, so no task carries
     * the data itself.
     */
    public static Dataset<Row> of(SparkSession spark, ClassificationData data, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<float[]> features = context.broadcast(data.features());
        Broadcast<int[]> labels = context.broadcast(data.labels());
        int width = data.width();
        return spark.createDataFrame(spark.range(0, data.rows(), 1, partitions).javaRDD().map(i -> {
            int row = Math.toIntExact(i);
            double[] x = new double[width];
            float[] all = features.value();
            for (int k = 0; k < width; k++) {
                x[k] = all[row * width + k];
            }
            return RowFactory.create(Vectors.dense(x), (double) labels.value()[row]);
        }), SCHEMA);
    }

    /** The first row of partition {@code p} of {@code partitions} in a frame of {@code rows} rows made by {@link #of}. */
    public static int partitionStart(int rows, int partitions, int p) {
        return (int) ((long) p * rows / partitions);
    }
}
