package io.lanewise.spark;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One partition's scoring: reads up to {@link LanewiseModel#BATCH_ROWS} input rows, predicts them in one call
 * of one {@link Predictor}, and hands out the rows with the output columns appended. The predictor and its
 * model (off-heap) are opened on the first batch and freed when the input is exhausted, or when the task
 * ends otherwise (failure, a downstream {@code limit}, a kill): a task-completion listener closes them too.
 */
final class BatchScorer implements Iterator<Row>, AutoCloseable {
    private final Iterator<Row> input;
    private final ModelWeights weights;
    private final FeatureColumn features;
    private final OutputColumns outputs;
    private final boolean skipInvalid;
    private final int partition;
    private final int inputWidth;
    private final int outputWidth;
    private final Row[] rows = new Row[LanewiseModel.BATCH_ROWS];
    private final float[] x;
    private final float[] y;
    private long rowsRead;
    private int filled;
    private int next;
    private SharedModel model;
    private Predictor predictor;
    private boolean closed;

    BatchScorer(Iterator<Row> input, ModelWeights weights, FeatureColumn features, OutputColumns outputs,
                boolean skipInvalid) {
        this.input = input;
        this.weights = weights;
        this.features = features;
        this.outputs = outputs;
        this.skipInvalid = skipInvalid;
        TaskContext task = TaskContext.get();
        this.partition = task == null ? 0 : task.partitionId();
        this.inputWidth = weights.spec().inputWidth();
        this.outputWidth = weights.spec().outputWidth();
        this.x = new float[LanewiseModel.BATCH_ROWS * inputWidth];
        this.y = new float[LanewiseModel.BATCH_ROWS * outputWidth];
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> close());
        }
    }

    @Override
    public boolean hasNext() {
        if (next < filled) {
            return true;
        }
        if (closed) {
            return false;
        }
        fill();
        if (filled == 0) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("partition " + partition + " has no more rows");
        }
        Row row = rows[next];
        rows[next] = null;
        int width = row.size();
        Object[] values = new Object[width + outputs.count()];
        for (int i = 0; i < width; i++) {
            values[i] = row.get(i);
        }
        outputs.write(y, next * outputWidth, outputWidth, values, width);
        next++;
        return RowFactory.create(values);
    }

    private void fill() {
        filled = 0;
        next = 0;
        while (filled < LanewiseModel.BATCH_ROWS && input.hasNext()) {
            Row row = input.next();
            if (features.copy(row, x, filled * inputWidth, skipInvalid, partition, rowsRead++)) {
                rows[filled++] = row;
            }
        }
        if (filled == LanewiseModel.BATCH_ROWS) {
            predictor().predict(x, y);
        } else if (filled > 0) {
            // the partition's last batch: arrays of its size, once
            float[] out = new float[filled * outputWidth];
            predictor().predict(Arrays.copyOf(x, filled * inputWidth), out);
            System.arraycopy(out, 0, y, 0, out.length);
        }
    }

    private Predictor predictor() {
        if (predictor == null) {
            try (Network network = weights.toNetwork()) {
                model = SharedModel.of(network);
            }
            OpenBuffers.opened();
            predictor = model.newPredictor(LanewiseModel.BATCH_ROWS);
        }
        return predictor;
    }

    /** Frees the predictor and its model; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (predictor != null) {
            predictor.close();
        }
        if (model != null) {
            model.close();
            OpenBuffers.closed();
        }
        Arrays.fill(rows, null);
    }
}
