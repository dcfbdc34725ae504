package io.lanewise.spark.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Tables read and written by extension: Parquet by default, CSV (with a header) or JSON. */
final class Tables {
    private Tables() {
    }

    static Dataset<Row> read(SparkSession spark, String path) {
        if (path.endsWith(".csv") || path.endsWith(".csv.gz")) {
            return spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        }
        if (path.endsWith(".json")) {
            return spark.read().json(path);
        }
        return spark.read().parquet(path);
    }

    static void write(Dataset<Row> rows, String path) {
        if (path.endsWith(".json")) {
            rows.write().mode("overwrite").json(path);
        } else {
            rows.write().mode("overwrite").parquet(path);
        }
    }
}
