package io.lanewise.nn;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.MlpSpec;
import java.lang.foreign.MemorySegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The serving path: one thread's context for predictions over a {@link SharedModel}'s weights, with its
 * own scratch, so many threads predict at once, each with its own predictor. The output is the last
 * layer's activation (the logits for the cross-entropy losses). A warm prediction allocates nothing.
 *
 * <p>Each prediction reads one published snapshot from start to end (see {@link SharedModel}). Not
 * thread safe: one predictor per thread.
 */
public final class Predictor implements AutoCloseable {
    /** The snapshot being read, announced to publishers; null between predictions. */
    volatile Snapshot reading;

    /** The largest batch it takes. */
    final int maxBatch;

    private final SharedModel model;
    private final MlpSpec spec;
    private final Storage storage;
    private final StepBuffers.ByRows buffers;
    private final Gemm gemm;

    Predictor(SharedModel model, int maxBatch) {
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("max batch must be positive, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.model = model;
        this.spec = model.spec();
        Storage.Builder plan = Storage.builder();
        StepBuffers.Plan forward = StepBuffers.plan(plan, spec, maxBatch, false);
        this.storage = plan.allocate();
        this.buffers = new StepBuffers.ByRows(forward.views(storage));
        this.gemm = Gemm.create();
    }

    /** Features per input row. */
    public int inputWidth() {
        return spec.inputWidth();
    }

    /** Floats per output row. */
    public int outputWidth() {
        return spec.outputWidth();
    }

    /**
     * Predicts {@code input.length / inputWidth} rows (dense row-major) into {@code output}
     * ({@code rows × outputWidth} floats).
     *
     * @throws IllegalArgumentException if the lengths do not hold whole rows, or more rows than the max batch
     * @throws IllegalStateException    after close
     */
    public void predict(float[] input, float[] output) {
        int width = spec.inputWidth();
        if (input.length == 0 || input.length % width != 0) {
            throw new IllegalArgumentException("input must hold whole rows of " + width + " floats, got " + input.length);
        }
        int rows = input.length / width;
        checkOutput(output.length, rows);
        StepBuffers b = begin(rows);
        b.x.copyFrom(input, 0);
        forward(b).copyTo(output, 0);
    }

    /** Predicts the rows of {@code input} (rows × inputWidth) into {@code output} (rows × outputWidth). */
    public void predict(Matrix input, Matrix output) {
        if (output.rows() != input.rows() || output.cols() != spec.outputWidth()) {
            throw new IllegalArgumentException("output must be " + input.rows() + "x" + spec.outputWidth() + ", got "
                    + output.shape());
        }
        StepBuffers b = begin(input.rows());
        b.x.copyFrom(input);
        output.copyFrom(forward(b));
    }

    /**
     * Predicts {@code rows} rows of little-endian float32 features at {@code inOffset} bytes of {@code input},
     * writing little-endian float32 outputs at {@code outOffset} bytes of {@code output}.
     */
    public void predict(MemorySegment input, long inOffset, int rows, MemorySegment output, long outOffset) {
        StepBuffers b = begin(rows);
        b.x.copyFrom(input, inOffset);
        forward(b).copyTo(output, outOffset);
    }

    /**
     * Predicts {@code rows} rows of little-endian float32 features at byte {@code inIndex} of an Agrona
     * buffer (an SBE message, an Aeron fragment), writing outputs at byte {@code outIndex} of {@code output}.
     */
    public void predict(DirectBuffer input, int inIndex, int rows, MutableDirectBuffer output, int outIndex) {
        StepBuffers b = begin(rows);
        b.x.copyFrom(input, inIndex);
        forward(b).copyTo(output, outIndex);
    }

    /** The index of the largest output of one row: the predicted class. */
    public int predictClass(float[] row) {
        if (row.length != spec.inputWidth()) {
            throw new IllegalArgumentException("expected one row of " + spec.inputWidth() + " floats, got " + row.length);
        }
        StepBuffers b = begin(1);
        b.x.copyFrom(row, 0);
        Matrix out = forward(b);
        int best = 0;
        for (int c = 1; c < out.cols(); c++) {
            if (out.get(0, c) > out.get(0, best)) {
                best = c;
            }
        }
        return best;
    }

    private StepBuffers begin(int rows) {
        if (!storage.isOpen()) {
            throw new IllegalStateException("predictor used after close()");
        }
        model.checkOpen();
        return buffers.get(rows);
    }

    /** Runs the network over one announced snapshot; the output stays in this predictor's scratch. */
    private Matrix forward(StepBuffers b) {
        Snapshot snapshot;
        do {
            snapshot = model.current();
            reading = snapshot;
        } while (model.current() != snapshot); // re-check: a publisher may have swapped before the announcement
        try {
            return b.forward(gemm, snapshot.network, snapshot.packed);
        } finally {
            reading = null;
        }
    }

    private void checkOutput(int length, int rows) {
        long expected = (long) rows * spec.outputWidth();
        if (length != expected) {
            throw new IllegalArgumentException("expected an output of " + expected + " floats (" + rows + " rows of "
                    + spec.outputWidth() + "), got " + length);
        }
    }

    /** Frees the scratch and leaves the model; idempotent. */
    @Override
    public void close() {
        if (storage.isOpen()) {
            model.remove(this);
            gemm.close();
            storage.close();
        }
    }
}
