package io.lanewise.spark;

import io.lanewise.nn.TrainingListener;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.Serial;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Data-parallel training of a Lanewise classifier as a Spark ML {@link Estimator}: {@link #fit} trains the
 * network of an {@link MlpSpec} (softmax cross-entropy) with an {@link Optimizer} on a features column and a label
 * column of class indices {@code 0..K-1}, and returns a {@link LanewiseModel} with the same column parameters.
 *
 * <p>Each input partition becomes one shard, checked and cached as dense arrays (repartition the input to the
 * number of cores first). Two modes ({@code trainingMode}):
 * <ul>
 *   <li>{@value #SYNCHRONOUS} (default): one Spark job per global batch of {@code batchSize} rows, split over the
 *       partitions; the gradients are summed with {@code treeAggregate} in a fixed order and applied on the driver
 *       by the core trainer's optimizer. The same mathematics as one machine with that batch size.</li>
 *   <li>{@value #AVERAGING}: one job per epoch; each partition trains alone on its shard with batches of
 *       {@code batchSize} rows, and the driver averages parameters and optimizer state.</li>
 * </ul>
 * The same seed, data order and partitioning give bit-identical models from run to run.
 */
public final class LanewiseClassifier extends Estimator<LanewiseModel> implements ScoringParams<LanewiseClassifier> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Synchronous mini-batch steps. */
    public static final String SYNCHRONOUS = "synchronous";
    /** Per-epoch parameter averaging. */
    public static final String AVERAGING = "averaging";

    private final String uid;
    private final PortableSpec spec;
    private final PortableOptimizer optimizer;
    private transient TrainingListener listener = TrainingListener.NONE;
    private final Param<String>[] scoringParams;
    private final Param<String> labelCol;
    private final IntParam batchSize;
    private final IntParam epochs;
    private final LongParam seed;
    private final Param<String> trainingMode;

    /**
     * A classifier training {@code spec}'s network with {@code optimizer}.
     *
     * @throws IllegalArgumentException if the spec's loss is not softmax cross-entropy
     */
    public LanewiseClassifier(MlpSpec spec, Optimizer optimizer) {
        this(Identifiable$.MODULE$.randomUID("lanewiseClassifier"), spec, optimizer);
    }

    private LanewiseClassifier(String uid, MlpSpec spec, Optimizer optimizer) {
        if (spec == null || optimizer == null) {
            throw new IllegalArgumentException("a classifier needs a spec and an optimizer");
        }
        if (spec.loss() != Loss.SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalArgumentException("a classifier trains on class labels with softmax cross-entropy, the spec has "
                    + spec.loss());
        }
        this.uid = uid; // before the params: each takes its parent's uid
        this.spec = new PortableSpec(spec);
        this.optimizer = new PortableOptimizer(optimizer);
        this.scoringParams = ScoringParams.declare(this);
        this.labelCol = new Param<>(this, "labelCol", "label column: class indices 0..K-1");
        this.batchSize = new IntParam(this, "batchSize", "rows per batch (global in synchronous mode, per partition in "
                + "averaging mode)", ParamValidators.gtEq(1));
        this.epochs = new IntParam(this, "epochs", "passes over the data", ParamValidators.gtEq(1));
        this.seed = new LongParam(this, "seed", "seed of the shuffles (the initial weights come from the spec's seed)");
        this.trainingMode = new Param<>(this, "trainingMode", "synchronous or averaging",
                ParamValidators.inArray(new String[] {SYNCHRONOUS, AVERAGING}));
        ScoringParams.setDefaults(this);
        setDefault(labelCol, "label");
        setDefault(batchSize, 128);
        setDefault(epochs, 10);
        setDefault(seed, 42L);
        setDefault(trainingMode, SYNCHRONOUS);
    }

    /** The network's description. */
    public MlpSpec spec() {
        return spec.spec();
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer.optimizer();
    }

    @Override
    public LanewiseModel fit(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        MlpSpec s = spec();
        Dataset<Row> selected = dataset.select(functions.col(quoted(getFeaturesCol())), functions.col(quoted(getLabelCol())));
        FeatureColumn features = FeatureColumn.of(selected.schema(), getFeaturesCol(), s.inputWidth());
        ShardBuilder builder = new ShardBuilder(selected.schema(), features, getLabelCol(), s.inputWidth(), s.outputWidth(),
                SKIP.equals(getHandleInvalid()));
        JavaRDD<Shard> shards = selected.javaRDD().mapPartitionsWithIndex(builder, true);
        // Cut the lineage back to the cached shards: every training round is a job, and each job ships its
        // stage's lineage to the tasks; the input query's plan would cost more than the step itself.
        shards.rdd().localCheckpoint();
        try {
            List<Integer> sizes = shards.map(Shard::rows).collect();
            int[] shardRows = sizes.stream().mapToInt(Integer::intValue).toArray();
            ShardPlan plan = new ShardPlan(shardRows, getBatchSize(), getSeed());
            if (SYNCHRONOUS.equals(getTrainingMode()) && getBatchSize() < plan.partitions()) {
                throw new IllegalArgumentException("a synchronous batch of " + getBatchSize() + " rows cannot be shared by "
                        + plan.partitions() + " partitions: use a batch of at least as many rows, or fewer partitions");
            }
            if (plan.totalRows() == 0) {
                throw new IllegalArgumentException("no rows to train on in columns '" + getFeaturesCol() + "' and '"
                        + getLabelCol() + "'");
            }
            JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            ModelWeights trained = SYNCHRONOUS.equals(getTrainingMode())
                    ? SynchronousTraining.run(spark, shards, plan, s, optimizer(), getEpochs(), listener)
                    : ParameterAveraging.run(spark, shards, plan, s, optimizer(), getBatchSize(), getEpochs(), listener);
            LanewiseModel model = new LanewiseModel(Identifiable$.MODULE$.randomUID("lanewise"), trained);
            for (Param<String> p : scoringParams) {
                model.set(model.getParam(p.name()), getOrDefault(p));
            }
            return model.setParent(this);
        } finally {
            shards.unpersist(false);
        }
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureColumn.of(schema, getFeaturesCol(), spec().inputWidth());
        ShardBuilder.checkLabelColumn(schema, getLabelCol(), spec().outputWidth());
        return new OutputColumns(getPredictionCol(), getProbabilityCol(), getRawPredictionCol(), spec().loss())
                .appendTo(schema);
    }

    @Override
    public LanewiseClassifier copy(ParamMap extra) {
        LanewiseClassifier copy = copyValues(new LanewiseClassifier(uid, spec(), optimizer()), extra);
        copy.listener = listener;
        return copy;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Hears every synchronous step's loss and every epoch's mean loss, on the driver (default: none). */
    public LanewiseClassifier setListener(TrainingListener l) {
        this.listener = l == null ? TrainingListener.NONE : l;
        return this;
    }

    /** The label column: class indices, any numeric type (default "label"). */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Rows per batch (default 128): global in synchronous mode, per partition in averaging mode. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Passes over the data (default 10). */
    public IntParam epochs() {
        return epochs;
    }

    /** Seed of the per-partition shuffles (default 42); the initial weights come from the spec's seed. */
    public LongParam seed() {
        return seed;
    }

    /** {@value #SYNCHRONOUS} (default) or {@value #AVERAGING}. */
    public Param<String> trainingMode() {
        return trainingMode;
    }

    /** The label column's name. */
    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    /** Rows per batch. */
    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    /** Passes over the data. */
    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    /** Seed of the shuffles. */
    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    /** "synchronous" or "averaging". */
    public String getTrainingMode() {
        return getOrDefault(trainingMode);
    }

    /** Sets the label column. */
    public LanewiseClassifier setLabelCol(String name) {
        set(labelCol, name);
        return this;
    }

    /** Sets the rows per batch. */
    public LanewiseClassifier setBatchSize(int rows) {
        set(batchSize, rows);
        return this;
    }

    /** Sets the passes over the data. */
    public LanewiseClassifier setEpochs(int count) {
        set(epochs, count);
        return this;
    }

    /** Sets the seed of the shuffles. */
    public LanewiseClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    /** "synchronous" (default) or "averaging". */
    public LanewiseClassifier setTrainingMode(String mode) {
        set(trainingMode, mode);
        return this;
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
}
