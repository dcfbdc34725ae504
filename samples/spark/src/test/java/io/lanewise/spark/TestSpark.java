package io.lanewise.spark;

import io.lanewise.data.ClassificationData;
import io.lanewise.samples.data.Digits;
import io.lanewise.samples.data.MnistFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The one Spark session every test class in this JVM shares ({@code local[2]}, loopback only, no UI): Spark
 * starts once. Also the data the tests use, as data frames whose partitions are known.
 */
final class TestSpark {
    /** Where Debian's dataset-fashion-mnist installs the IDX files. */
    static final boolean FASHION_MNIST = Files.isRegularFile(MnistFiles.FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz"));

    private static SparkSession session;
    private static ClassificationData fashionTrain;
    private static ClassificationData fashionTest;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("lanewise-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }

    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    static synchronized ClassificationData fashionTrain() {
        if (fashionTrain == null) {
            fashionTrain = load(MnistFiles.Part.TRAIN);
        }
        return fashionTrain;
    }

    static synchronized ClassificationData fashionTest() {
        if (fashionTest == null) {
            fashionTest = load(MnistFiles.Part.TEST);
        }
        return fashionTest;
    }

    private static ClassificationData load(MnistFiles.Part part) {
        try {
            return MnistFiles.load(MnistFiles.FASHION_MNIST_DIR, part);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClassificationData digits() {
        try {
            return Digits.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code data} in {@code partitions} partitions of consecutive rows ({@link LabelledFrames#of}). */
    static Dataset<Row> frame(ClassificationData data, int partitions) {
        return LabelledFrames.of(session(), data, partitions);
    }

    /** The first row of partition {@code p} in {@link #frame}. */
    static int partitionStart(int rows, int partitions, int p) {
        return LabelledFrames.partitionStart(rows, partitions, p);
    }

    /** A small data frame from rows given in full, in one partition. */
    static Dataset<Row> rows(StructType schema, Object[]... rows) {
        List<Row> list = new ArrayList<>();
        for (Object[] r : rows) {
            list.add(RowFactory.create(r));
        }
        return session().createDataFrame(list, schema).coalesce(1);
    }
}
