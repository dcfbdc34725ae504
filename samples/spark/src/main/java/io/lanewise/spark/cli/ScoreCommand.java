package io.lanewise.spark.cli;

import io.lanewise.spark.LanewiseModel;
import io.lanewise.spark.ScoringParams;
import io.lanewise.spec.Activation;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanewise spark score}: appends predictions to every row of a table and writes it out. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score every row of a table (Parquet, or CSV/JSON by extension) with a safetensors model and write "
                + "the rows with prediction, probability and rawPrediction columns as Parquet (or JSON).")
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A Lanewise or PyTorch safetensors model (local path or Hadoop URI).")
    String model;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "For a plain PyTorch nn.Sequential file (no Lanewise metadata): the hidden activation.")
    String activation;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "The rows: .parquet (default), .csv (with a header) or .json.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where the scored rows go: Parquet, or JSON for .json.")
    String output;

    @Option(names = "--features-col", defaultValue = "features", paramLabel = "NAME",
            description = "The features column: a vector or an array of floats or doubles (default features). If the input has "
                    + "no such column, its numeric columns other than --label-col are assembled into it, in order.")
    String featuresCol;

    @Option(names = "--label-col", defaultValue = "label", paramLabel = "NAME",
            description = "A column never taken as a feature when assembling (default label).")
    String labelCol;

    @Option(names = "--handle-invalid", defaultValue = ScoringParams.ERROR, paramLabel = "error|skip",
            description = "Rows with null or non-finite features: fail naming the row (default), or leave them out.")
    String handleInvalid;

    @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input first (default: as read).")
    Integer partitions;

    @Override
    public Integer call() throws Exception {
        LanewiseModel scorer = LanewiseModel.fromFile(model, activation == null ? null : Activation.parse(activation))
                .setFeaturesCol(featuresCol).setHandleInvalid(handleInvalid);
        long start = System.nanoTime();
        try (SparkOptions.Session started = spark.start("lanewise score")) {
            SparkSession session = started.spark();
            Dataset<Row> rows = Tables.read(session, input);
            if (partitions != null) {
                rows = rows.repartition(partitions);
            }
            if (!Arrays.asList(rows.columns()).contains(featuresCol)) {
                String[] numeric = Arrays.stream(rows.schema().fields())
                        .filter(f -> f.dataType() instanceof NumericType && !f.name().equals(labelCol))
                        .map(StructField::name).toArray(String[]::new);
                System.err.println("lanewise spark score: no column '" + featuresCol + "'; assembling the " + numeric.length
                        + " numeric columns into it");
                rows = new VectorAssembler().setInputCols(numeric).setOutputCol(featuresCol).transform(rows);
            }
            Tables.write(scorer.transform(rows), output);
            long scored = Tables.read(session, output).count();
            System.out.printf("scored %,d rows in %.1f s into %s%n", scored, (System.nanoTime() - start) / 1e9, output);
        }
        return 0;
    }
}
