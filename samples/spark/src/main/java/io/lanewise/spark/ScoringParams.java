package io.lanewise.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The parameters {@link LanewiseModel} and {@link LanewiseClassifier} share, with Spark ML's names and
 * defaults: the features column, the output columns (an empty name leaves that column out) and what to do
 * with invalid rows. Each class declares the {@link Param} objects (Spark finds them through these accessors);
 * the getters and setters live here once.
 *
 * @param <T> the implementing class, returned by the setters
 */
public interface ScoringParams<T extends ScoringParams<T>> extends Params {
    /** Rows whose features are null or not finite fail the task, naming the column and row (the default). */
    String ERROR = "error";
    /** Rows whose features are null or not finite are left out: not scored, not trained on. */
    String SKIP = "skip";

    /** The features column: a Spark ML vector, array&lt;float&gt; or array&lt;double&gt; (default "features"). */
    Param<String> featuresCol();

    /** The predicted class as a double (default "prediction"). */
    Param<String> predictionCol();

    /** Class probabilities as a vector: softmax or per-output sigmoid (default "probability"). */
    Param<String> probabilityCol();

    /** The network's outputs (logits) as a vector (default "rawPrediction"). */
    Param<String> rawPredictionCol();

    /** "error" or "skip": what a row with null or non-finite features does (default "error"). */
    Param<String> handleInvalid();

    /** The features column's name. */
    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    /** The prediction column's name, empty for none. */
    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    /** The probability column's name, empty for none. */
    default String getProbabilityCol() {
        return getOrDefault(probabilityCol());
    }

    /** The raw-prediction column's name, empty for none. */
    default String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol());
    }

    /** "error" or "skip". */
    default String getHandleInvalid() {
        return getOrDefault(handleInvalid());
    }

    /** Sets the features column. */
    default T setFeaturesCol(String name) {
        return setString(featuresCol(), name);
    }

    /** Sets the prediction column; empty for none. */
    default T setPredictionCol(String name) {
        return setString(predictionCol(), name);
    }

    /** Sets the probability column; empty for none. */
    default T setProbabilityCol(String name) {
        return setString(probabilityCol(), name);
    }

    /** Sets the raw-prediction column; empty for none. */
    default T setRawPredictionCol(String name) {
        return setString(rawPredictionCol(), name);
    }

    /** "error" (the default) or "skip". */
    default T setHandleInvalid(String value) {
        return setString(handleInvalid(), value);
    }

    @SuppressWarnings("unchecked")
    private T setString(Param<String> param, String value) {
        set(param, value);
        return (T) this;
    }

    /** The parameters' objects for {@code parent}, in the order of the accessors above. */
    static Param<String>[] declare(Params parent) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Param<String>[] p = new Param[] {
            new Param<String>(parent, "featuresCol", "features column: vector, array<float> or array<double>"),
            new Param<String>(parent, "predictionCol", "predicted class column (empty: none)"),
            new Param<String>(parent, "probabilityCol", "class probabilities column (empty: none)"),
            new Param<String>(parent, "rawPredictionCol", "network outputs column (empty: none)"),
            new Param<String>(parent, "handleInvalid", "rows with null or non-finite features: error or skip",
                    ParamValidators.inArray(new String[] {ERROR, SKIP}))};
        return p;
    }

    /** Sets Spark ML's default column names and "error". */
    static void setDefaults(ScoringParams<?> p) {
        p.setDefault(p.featuresCol(), "features");
        p.setDefault(p.predictionCol(), "prediction");
        p.setDefault(p.probabilityCol(), "probability");
        p.setDefault(p.rawPredictionCol(), "rawPrediction");
        p.setDefault(p.handleInvalid(), ERROR);
    }
}
