package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets an error naming the column or file, and no task is left running or holding
 * off-heap memory, also when a task fails half-way through its partition.
 */
class BadInputTest {
    private static final MlpSpec SPEC = MlpSpec.builder(3).dense(8, Activation.RELU).dense(4, Activation.IDENTITY).seed(1).build();
    private static final StructType VECTORS = new StructType().add("features", SQLDataTypes.VectorType(), true)
            .add("label", DataTypes.DoubleType, true);

    private static LanewiseModel model() {
        try (Network network = Network.create(SPEC)) {
            return LanewiseModel.of(network);
        }
    }

    private static Dataset<Row> vectors(Object[]... rows) {
        return TestSpark.rows(VECTORS, rows);
    }

    private static Object[] row(double label, double... features) {
        return new Object[] {Vectors.dense(features), label};
    }

    /** The message of the first IllegalArgumentException or IllegalStateException in the cause chain. */
    private static String cause(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                return t.getMessage();
            }
        }
        throw new AssertionError("no IllegalArgumentException or IllegalStateException in the causes of " + thrown, thrown);
    }

    private static String failure(Runnable job) {
        return cause(assertThrows(Exception.class, job::run));
    }

    /** After each test: no stage running and no off-heap working set open (a failed job's tasks may still end). */
    @AfterEach
    void nothingLeftRunningOrOpen() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        var tracker = TestSpark.session().sparkContext().statusTracker();
        while ((OpenBuffers.count() != 0 || tracker.getActiveStageIds().length != 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, tracker.getActiveStageIds().length, "stages still running");
        assertEquals(0, OpenBuffers.count(), "off-heap working sets still open");
    }

    @Test
    void featuresOfTheWrongWidth() {
        String message = failure(() -> model().transform(vectors(row(0, 1, 2, 3), row(0, 1, 2))).collectAsList());
        assertEquals("features column 'features' has 2 values at row 1 of partition 0, but the network takes 3", message);
    }

    @Test
    void featuresOfTheWrongTypeOrMissing() {
        Dataset<Row> strings = TestSpark.rows(new StructType().add("features", DataTypes.StringType), new Object[] {"1,2,3"});
        String wrongType = cause(assertThrows(IllegalArgumentException.class, () -> model().transform(strings)));
        assertTrue(wrongType.startsWith("features column 'features' must be a Spark ML vector (org.apache.spark.ml.linalg), "
                + "array<float> or array<double> of 3 values, got string"), wrongType);
        String missing = cause(assertThrows(IllegalArgumentException.class,
                () -> model().setFeaturesCol("x").transform(vectors(row(0, 1, 2, 3)))));
        assertEquals("no features column 'x': the columns are [features, label]", missing);
        Dataset<Row> ints = TestSpark.rows(new StructType().add("features", DataTypes.createArrayType(DataTypes.IntegerType)),
                new Object[] {List.of(1, 2, 3)});
        assertThrows(IllegalArgumentException.class, () -> model().transform(ints));
    }

    @Test
    void nullRowsFailByDefaultAndAreLeftOutWhenSkipped() {
        Dataset<Row> frame = vectors(row(0, 1, 2, 3), new Object[] {null, 1.0}, row(0, 4, 5, 6));
        String message = failure(() -> model().transform(frame).collectAsList());
        assertEquals("features column 'features' is null at row 1 of partition 0: drop such rows first, or set "
                + "handleInvalid to 'skip'", message);
        List<Row> kept = model().setHandleInvalid("skip").transform(frame).collectAsList();
        assertEquals(2, kept.size());
        assertEquals(Vectors.dense(4, 5, 6), kept.get(1).getAs(0));
    }

    @Test
    void nanAndInfiniteFeaturesFailByDefaultAndAreLeftOutWhenSkipped() {
        Dataset<Row> frame = vectors(row(0, 1, 2, 3), row(0, 1, Double.NaN, 3), row(0, 1, 2, 1e300), row(0, 4, 5, 6));
        String message = failure(() -> model().transform(frame).collectAsList());
        assertEquals("features column 'features' holds NaN (as float32) at feature 1 of row 1 of partition 0: expected "
                + "finite values; clean them first, or set handleInvalid to 'skip'", message);
        assertEquals(2, model().setHandleInvalid("skip").transform(frame).count());
        assertThrows(IllegalArgumentException.class, () -> model().setHandleInvalid("keep"));
    }

    @Test
    void aMissingModelFile(@TempDir Path dir) {
        String file = dir.resolve("absent.safetensors").toString();
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> LanewiseModel.fromFile(file));
        assertEquals("model file '" + file + "' does not exist", e.getMessage());
        Exception saved = assertThrows(Exception.class, () -> LanewiseModel.load(dir.resolve("no-model").toString()));
        assertTrue(String.valueOf(saved.getMessage()).contains("no-model"), saved.toString());
    }

    @Test
    void anOutputColumnThatExistsAlready() {
        String message = cause(assertThrows(IllegalArgumentException.class,
                () -> model().setPredictionCol("label").transform(vectors(row(0, 1, 2, 3)))));
        assertEquals("output column 'label' already exists in the input [features, label]: set predictionCol to another "
                + "name, or \"\" for none", message);
    }

    @Test
    void labelsOutsideTheClasses() {
        LanewiseClassifier classifier = new LanewiseClassifier(SPEC, Optimizer.sgd(0.1)).setEpochs(1);
        assertEquals("label column 'label' holds 4.0 at row 1 of partition 0: expected a class index 0..3 (the network "
                + "has 4 outputs)", failure(() -> classifier.fit(vectors(row(0, 1, 2, 3), row(4, 1, 2, 3)))));
        assertTrue(failure(() -> classifier.fit(vectors(row(-1, 1, 2, 3)))).startsWith("label column 'label' holds -1.0"));
        assertTrue(failure(() -> classifier.fit(vectors(row(2.5, 1, 2, 3)))).startsWith("label column 'label' holds 2.5"));
        assertEquals("label column 'label' is null at row 0 of partition 0: drop such rows first, or set handleInvalid to "
                + "'skip'", failure(() -> classifier.fit(vectors(new Object[] {Vectors.dense(1, 2, 3), null}))));
        Dataset<Row> strings = TestSpark.rows(new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.StringType), new Object[] {Vectors.dense(1, 2, 3), "cat"});
        assertEquals("label column 'label' must be numeric (a class index 0..3), got string",
                cause(assertThrows(IllegalArgumentException.class, () -> classifier.fit(strings))));
    }

    @Test
    void aSynchronousBatchSmallerThanThePartitions() {
        LanewiseClassifier classifier = new LanewiseClassifier(SPEC, Optimizer.sgd(0.1)).setEpochs(1).setBatchSize(1);
        Dataset<Row> twoPartitions = vectors(row(0, 1, 2, 3), row(1, 1, 2, 3)).repartition(2);
        assertEquals("a synchronous batch of 1 rows cannot be shared by 2 partitions: use a batch of at least as many rows, "
                + "or fewer partitions", cause(assertThrows(IllegalArgumentException.class, () -> classifier.fit(twoPartitions))));
    }

    @Test
    void aScoringTaskThatThrowsHalfWayFreesItsMemory() {
        // 1,000 rows in two partitions; downstream of the scorer, a function throws at the 300th row of each
        // partition, after several batches of 128 have been scored: the scorer's iterator is not exhausted, and
        // only the task-completion listener can free its predictor
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 1000; r++) {
            rows.add(row(0, r, -r, 1));
        }
        Dataset<Row> frame = TestSpark.rows(VECTORS, rows.toArray(new Object[0][])).repartition(2);
        var udf = functions.udf(new ThrowsAtRow300(), DataTypes.DoubleType).asNondeterministic();
        long openedBefore = OpenBuffers.openedEver();
        String message = failure(() -> model().transform(frame).select(udf.apply(functions.col("prediction")))
                .collectAsList());
        assertEquals("a downstream failure, on purpose", message);
        assertTrue(OpenBuffers.openedEver() > openedBefore, "the failing tasks had opened their predictors");
        // @AfterEach checks that they are closed again
    }

    /** Passes values through and throws at the 300th of a task (one instance per task: it is deserialized). */
    private static final class ThrowsAtRow300 implements UDF1<Double, Double> {
        private static final long serialVersionUID = 1L;
        private int seen;

        @Override
        public Double call(Double value) {
            if (++seen == 300) {
                throw new IllegalStateException("a downstream failure, on purpose");
            }
            return value;
        }
    }

    @Test
    void aPartitionReadOnlyInPartFreesItsMemory() {
        long openedBefore = OpenBuffers.openedEver();
        Dataset<Row> threeFeatures = TestSpark.frame(TestSpark.digits(), 2).select(functions.slice(
                org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64"), 1, 3).as("features"));
        assertEquals(5, model().transform(threeFeatures).limit(5).collectAsList().size());
        assertTrue(OpenBuffers.openedEver() > openedBefore);
    }

    @Test
    void aTrainingTaskThatThrowsFreesItsMemory() {
        // a learning rate that makes the loss overflow: a worker's computeGradients throws mid-training
        MlpSpec spec = MlpSpec.builder(64).dense(32, Activation.RELU).dense(10, Activation.IDENTITY).seed(1).build();
        LanewiseClassifier classifier = new LanewiseClassifier(spec, Optimizer.sgd(1e12)).setEpochs(1).setBatchSize(16);
        long openedBefore = OpenBuffers.openedEver();
        String message = failure(() -> classifier.fit(TestSpark.frame(TestSpark.digits(), 2)));
        assertTrue(message.startsWith("loss is "), message);
        assertTrue(OpenBuffers.openedEver() > openedBefore);
    }
}
