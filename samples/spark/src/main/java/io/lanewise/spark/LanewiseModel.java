package io.lanewise.spark;

import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Batch scoring with a Lanewise network as a Spark ML {@link Model}: appends the predicted class, the class
 * probabilities and the raw outputs (see {@link ScoringParams}) to every row. The weights are broadcast once per
 * {@link #transform}; each partition builds one {@link io.lanewise.nn.Predictor} and scores its rows in batches
 * of {@value #BATCH_ROWS}, and frees its off-heap memory when its rows are done or its task ends, failed or not.
 *
 * <p>Rows with null or non-finite features fail the task by default, naming the column, the partition and the
 * row; with {@code handleInvalid = "skip"} they are left out of the output. Works in a {@code Pipeline}
 * (after a {@code VectorAssembler}, a {@code StandardScaler}, ...) and saves and loads with
 * {@link #write()} / {@link #read()}: Spark's metadata plus the model as a safetensors file.
 */
public final class LanewiseModel extends Model<LanewiseModel> implements ScoringParams<LanewiseModel>, MLWritable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Rows per prediction call: the predictor's fast path. */
    public static final int BATCH_ROWS = 128;
    private static final String MODEL_FILE = "model.safetensors";

    private final String uid;
    private final ModelWeights weights;
    private final Param<String>[] scoringParams;

    LanewiseModel(String uid, ModelWeights weights) {
        this.uid = uid; // before the params: each takes its parent's uid
        this.weights = weights;
        this.scoringParams = ScoringParams.declare(this);
        ScoringParams.setDefaults(this);
    }

    /** A model serving a copy of {@code network}'s current parameters. */
    public static LanewiseModel of(Network network) {
        return new LanewiseModel(Identifiable$.MODULE$.randomUID("lanewise"), ModelWeights.of(network));
    }

    /**
     * A model read from a Lanewise safetensors file (as {@code ModelFiles.save} writes it) at a local path or a
     * Hadoop file system URI, read on the driver.
     *
     * @throws java.io.FileNotFoundException naming the file if it does not exist
     * @throws IOException                   naming the file if it is not a Lanewise model
     */
    public static LanewiseModel fromFile(String location) throws IOException {
        return fromFile(location, null);
    }

    /**
     * A model read from a plain PyTorch safetensors file of an {@code nn.Sequential} of {@code nn.Linear} layers
     * with activation {@code hidden} between them (a Lanewise file is read as {@link #fromFile(String)} does).
     */
    public static LanewiseModel fromFile(String location, Activation hidden) throws IOException {
        try (Network network = ModelStore.load(location, hidden)) {
            return of(network);
        }
    }

    /** The network's description. */
    public MlpSpec spec() {
        return weights.spec();
    }

    /** A new off-heap network with this model's parameters; the caller closes it. */
    public Network toNetwork() {
        return weights.toNetwork();
    }

    /** Writes the network as a Lanewise safetensors file (local path or Hadoop URI), readable by the CLI. */
    public void saveSafetensors(String location) throws IOException {
        try (Network network = weights.toNetwork()) {
            ModelStore.save(network, location);
        }
    }

    /**
     * A copy of the parameters end to end: per layer W (fanIn × width, row-major) then b. This is also the layout
     * of Spark MLlib's {@code MultilayerPerceptronClassificationModel} weights.
     */
    public float[] parameters() {
        return weights.parameters().clone();
    }

    ModelWeights weights() {
        return weights;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType out = transformSchema(schema);
        FeatureColumn features = FeatureColumn.of(schema, getFeaturesCol(), spec().inputWidth());
        Broadcast<ModelWeights> broadcast =
                JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(weights);
        ScoringPartition scoring = new ScoringPartition(broadcast, features, outputColumns(),
                SKIP.equals(getHandleInvalid()));
        return dataset.toDF().mapPartitions(scoring, Encoders.row(out));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureColumn.of(schema, getFeaturesCol(), spec().inputWidth());
        return outputColumns().appendTo(schema);
    }

    private OutputColumns outputColumns() {
        return new OutputColumns(getPredictionCol(), getProbabilityCol(), getRawPredictionCol(), spec().loss());
    }

    @Override
    public LanewiseModel copy(ParamMap extra) {
        return copyValues(new LanewiseModel(uid, weights), extra).setParent(parent());
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<String> featuresCol() {
        return scoringParams[0];
    }

    @Override
    public Param<String> predictionCol() {
        return scoringParams[1];
    }

    @Override
    public Param<String> probabilityCol() {
        return scoringParams[2];
    }

    @Override
    public Param<String> rawPredictionCol() {
        return scoringParams[3];
    }

    @Override
    public Param<String> handleInvalid() {
        return scoringParams[4];
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reads what {@link #write()} saved; Spark's {@code Pipeline} finds this static method by name. */
    public static MLReader<LanewiseModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static LanewiseModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final LanewiseModel model;

        Writer(LanewiseModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            try {
                model.saveSafetensors(new org.apache.hadoop.fs.Path(path, MODEL_FILE).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Reader extends MLReader<LanewiseModel> {
        @Override
        public LanewiseModel load(String path) {
            DefaultParamsReader.Metadata metadata =
                    DefaultParamsReader.loadMetadata(path, sparkSession(), LanewiseModel.class.getName());
            try (Network network = ModelStore.load(new org.apache.hadoop.fs.Path(path, MODEL_FILE).toString(), null)) {
                LanewiseModel model = new LanewiseModel(metadata.uid(), ModelWeights.of(network));
                metadata.getAndSetParams(model, Option.empty());
                return model;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
