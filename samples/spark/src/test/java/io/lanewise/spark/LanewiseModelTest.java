package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.io.ModelFiles;
import io.lanewise.io.SafetensorsWriter;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.SeededRandom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring through the Transformer: the predictor's outputs exactly, every input form, pipelines, save and load. */
class LanewiseModelTest {
    private static final int ROWS = 60_000;

    /** Fashion-MNIST's 60,000 training images where installed, else 60,000 seeded random rows of 64 features. */
    private static ClassificationData sixtyThousandRows() {
        if (TestSpark.FASHION_MNIST) {
            return TestSpark.fashionTrain();
        }
        SeededRandom random = new SeededRandom(3);
        float[] x = new float[ROWS * 64];
        int[] y = new int[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int r = 0; r < ROWS; r++) {
            y[r] = random.nextInt(10);
        }
        return new ClassificationData(x, 64, y, 10);
    }

    private static MlpSpec spec(int inputWidth) {
        return MlpSpec.builder(inputWidth).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.IDENTITY).seed(11).build();
    }

    @Test
    void scoringSixtyThousandRowsGivesExactlyThePredictorsOutputs() {
        ClassificationData data = sixtyThousandRows();
        assertEquals(ROWS, data.rows());
        MlpSpec spec = spec(data.width());
        float[] expected = new float[ROWS * 10];
        LanewiseModel model;
        try (Network network = Network.create(spec);
             SharedModel shared = SharedModel.of(network);
             Predictor predictor = shared.newPredictor(LanewiseModel.BATCH_ROWS)) {
            // one predictor over the rows in order, batches of 128 from row 0; Spark's two partitions of 30,000
            // rows batch them differently (30,000 = 234 · 128 + 48), so this also checks that a row's outputs do
            // not depend on its batch
            for (int from = 0; from < ROWS; from += LanewiseModel.BATCH_ROWS) {
                int rows = Math.min(LanewiseModel.BATCH_ROWS, ROWS - from);
                float[] out = new float[rows * 10];
                predictor.predict(java.util.Arrays.copyOfRange(data.features(), from * data.width(),
                        (from + rows) * data.width()), out);
                System.arraycopy(out, 0, expected, from * 10, out.length);
            }
            model = LanewiseModel.of(network);
        }
        List<Row> scored = model.transform(TestSpark.frame(data, 2)).select("prediction", "rawPrediction").collectAsList();
        assertEquals(ROWS, scored.size());
        int differentBits = 0;
        for (int r = 0; r < ROWS; r++) {
            Vector raw = scored.get(r).getAs(1);
            int best = 0;
            for (int c = 0; c < 10; c++) {
                if (Float.floatToRawIntBits((float) raw.apply(c)) != Float.floatToRawIntBits(expected[r * 10 + c])) {
                    differentBits++;
                }
                if (expected[r * 10 + c] > expected[r * 10 + best]) {
                    best = c;
                }
            }
            assertEquals(best, scored.get(r).getDouble(0), 0.0, "predicted class of row " + r);
        }
        assertEquals(0, differentBits, "raw outputs that differ from the predictor's in any bit");
    }

    @Test
    void vectorsSparseVectorsAndFloatAndDoubleArraysScoreAlike() {
        ClassificationData digits = TestSpark.digits();
        MlpSpec spec = spec(64);
        StructType schema = new StructType().add("dense", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("sparse", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("floats", DataTypes.createArrayType(DataTypes.FloatType))
                .add("doubles", DataTypes.createArrayType(DataTypes.DoubleType));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            double[] d = new double[64];
            List<Float> f = new ArrayList<>();
            List<Double> dd = new ArrayList<>();
            for (int k = 0; k < 64; k++) {
                d[k] = digits.features()[r * 64 + k];
                f.add(digits.features()[r * 64 + k]);
                dd.add(d[k]);
            }
            rows.add(RowFactory.create(Vectors.dense(d), Vectors.dense(d).toSparse(), f, dd));
        }
        Dataset<Row> frame = TestSpark.session().createDataFrame(rows, schema).repartition(2);
        try (Network network = Network.create(spec)) {
            LanewiseModel model = LanewiseModel.of(network).setProbabilityCol("").setPredictionCol("");
            List<Row> dense = model.setFeaturesCol("dense").transform(frame).select("rawPrediction").collectAsList();
            for (String column : List.of("sparse", "floats", "doubles")) {
                List<Row> other = model.setFeaturesCol(column).transform(frame).select("rawPrediction").collectAsList();
                assertEquals(dense, other, column + " against dense vectors");
            }
        }
    }

    @Test
    void worksInAPipelineAfterAnAssemblerAndAScalerAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        ClassificationData digits = TestSpark.digits();
        StructType schema = new StructType();
        for (int k = 0; k < 64; k++) {
            schema = schema.add("p" + k, DataTypes.DoubleType);
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 500; r++) {
            Object[] values = new Object[64];
            for (int k = 0; k < 64; k++) {
                values[k] = (double) digits.features()[r * 64 + k];
            }
            rows.add(RowFactory.create(values));
        }
        Dataset<Row> frame = TestSpark.session().createDataFrame(rows, schema).repartition(2);
        LanewiseModel lanewise;
        try (Network network = Network.create(spec(64))) {
            lanewise = LanewiseModel.of(network).setFeaturesCol("scaled").setPredictionCol("digit");
        }
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(schema.fieldNames()).setOutputCol("assembled"),
            new StandardScaler().setInputCol("assembled").setOutputCol("scaled").setWithMean(true),
            lanewise});
        PipelineModel fitted = pipeline.fit(frame);
        List<Row> before = fitted.transform(frame).select("digit", "probability", "rawPrediction").collectAsList();
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> after = loaded.transform(frame).select("digit", "probability", "rawPrediction").collectAsList();
        assertEquals(before, after, "predictions of the pipeline saved and loaded");
        LanewiseModel stage = (LanewiseModel) loaded.stages()[2];
        assertEquals("scaled", stage.getFeaturesCol());
        assertEquals("digit", stage.getPredictionCol());
        assertEquals(lanewise.uid(), stage.uid());
        assertArrayEquals(lanewise.weights().parameters(), stage.weights().parameters());
        for (Row r : before) {
            Vector p = r.getAs(1);
            double sum = 0;
            for (int c = 0; c < p.size(); c++) {
                sum += p.apply(c);
            }
            assertEquals(1.0, sum, 1e-9, "softmax probabilities sum to 1");
            assertEquals(p.argmax(), r.getDouble(0), 0.0, "the prediction is the most probable class");
        }
    }

    @Test
    void readsLanewiseAndPlainPyTorchFilesAlike(@TempDir Path dir) throws Exception {
        Path lanewiseFile = dir.resolve("lanewise.safetensors");
        Path torchFile = dir.resolve("torch.safetensors");
        try (Network network = Network.create(spec(64))) {
            ModelFiles.save(network, lanewiseFile);
            SafetensorsWriter.write(torchFile, ModelFiles.tensors(network), Map.of()); // no Lanewise metadata
        }
        LanewiseModel fromLanewise = LanewiseModel.fromFile(lanewiseFile.toString());
        LanewiseModel fromTorch = LanewiseModel.fromFile(torchFile.toUri().toString(), Activation.RELU);
        assertEquals(fromLanewise.spec().layers(), fromTorch.spec().layers());
        assertArrayEquals(fromLanewise.weights().parameters(), fromTorch.weights().parameters());
        Dataset<Row> frame = TestSpark.frame(TestSpark.digits(), 2);
        assertEquals(fromLanewise.transform(frame).select("rawPrediction").collectAsList(),
                fromTorch.transform(frame).select("rawPrediction").collectAsList());
        Path saved = dir.resolve("resaved.safetensors");
        fromTorch.saveSafetensors(saved.toString());
        assertTrue(Files.size(saved) > 0);
        assertArrayEquals(fromLanewise.weights().parameters(), LanewiseModel.fromFile(saved.toString()).weights().parameters());
    }
}
