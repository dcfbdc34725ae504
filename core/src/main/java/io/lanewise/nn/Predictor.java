package io.lanewise.nn;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.MlpSpec;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The serving path: one thread's context for predictions over a {@link SharedModel}'s weights, with its
 * own scratch, so many threads predict at once, each with its own predictor. The output is the last
 * layer's activation (the logits for the cross-entropy losses). A warm prediction allocates nothing.
 *
 * <p>Each prediction reads one published snapshot from start to end (see {@link SharedModel}). A predictor
 * belongs to one thread at a time: it may be handed from thread to thread between predictions (a pool), but
 * a call made while another thread's call is in progress throws {@link IllegalStateException}.
 *
 * <p>Non-finite input is not checked on the hot path: NaN or infinite features (or finite ones large enough
 * to overflow) give NaN or infinite outputs, as IEEE arithmetic does; {@link #predictClass} and
 * {@link #bestClass} never name a class for NaN scores.
 */
public final class Predictor implements AutoCloseable {
    private static final VarHandle IN_USE;

    static {
        try {
            IN_USE = MethodHandles.lookup().findVarHandle(Predictor.class, "inUse", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The snapshot being read, announced to publishers; null between predictions. */
    volatile Snapshot reading;
    /** 1 while a call is in progress: a second thread's call then fails instead of sharing the scratch. */
    @SuppressWarnings("unused") // through IN_USE
    private volatile int inUse;

    /** The largest batch it takes. */
    final int maxBatch;

    private final SharedModel model;
    private final MlpSpec spec;
    private final Storage storage;
    private final StepBuffers.ByRows buffersByRows;
    private final Gemm gemm;
    private final Cleaner.Cleanable cleanable;

    Predictor(SharedModel model, int maxBatch) {
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("max batch must be positive, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.model = model;
        this.spec = model.spec();
        Storage.Builder plan = Storage.builder();
        StepBuffers.Plan bufferPlan = StepBuffers.plan(plan, spec, maxBatch, false);
        this.storage = plan.allocate("a predictor with max batch " + maxBatch);
        this.buffersByRows = new StepBuffers.ByRows(bufferPlan.views(storage));
        // Only the packed-weights path, at most maxBatch rows: no space to pack B (a kilobyte, not 4.5 MB).
        this.gemm = Gemm.forPackedB(maxBatch);
        this.cleanable = Cleaners.register(this, gemm, storage);
    }

    /** Off-heap bytes of GEMM packing space this predictor holds. */
    long gemmBytes() {
        return gemm.bytes();
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
        enter();
        try {
            StepBuffers buffers = begin(rows);
            buffers.x.copyFrom(input, 0);
            forward(buffers).copyTo(output, 0);
        } finally {
            exit();
        }
    }

    /** Predicts the rows of {@code input} (rows × inputWidth) into {@code output} (rows × outputWidth). */
    public void predict(Matrix input, Matrix output) {
        if (output.rows() != input.rows() || output.cols() != spec.outputWidth()) {
            throw new IllegalArgumentException("output must be " + input.rows() + "x" + spec.outputWidth() + ", got "
                    + output.shape());
        }
        enter();
        try {
            StepBuffers buffers = begin(input.rows());
            buffers.x.copyFrom(input);
            output.copyFrom(forward(buffers));
        } finally {
            exit();
        }
    }

    /**
     * Predicts {@code rows} rows of little-endian float32 features at {@code inOffset} bytes of {@code input},
     * writing little-endian float32 outputs at {@code outOffset} bytes of {@code output}.
     */
    public void predict(MemorySegment input, long inOffset, int rows, MemorySegment output, long outOffset) {
        enter();
        try {
            StepBuffers buffers = begin(rows);
            buffers.x.copyFrom(input, inOffset);
            forward(buffers).copyTo(output, outOffset);
        } finally {
            exit();
        }
    }

    /**
     * Predicts {@code rows} rows of little-endian float32 features at byte {@code inIndex} of an Agrona
     * buffer (an SBE message, an Aeron fragment), writing outputs at byte {@code outIndex} of {@code output}.
     */
    public void predict(DirectBuffer input, int inIndex, int rows, MutableDirectBuffer output, int outIndex) {
        enter();
        try {
            StepBuffers buffers = begin(rows);
            buffers.x.copyFrom(input, inIndex);
            forward(buffers).copyTo(output, outIndex);
        } finally {
            exit();
        }
    }

    /**
     * The index of the largest output of one row: the predicted class.
     *
     * @throws IllegalArgumentException if the row does not hold {@code inputWidth} floats
     * @throws IllegalStateException    if a score is NaN (non-finite input, or a diverged model): no class is named
     */
    public int predictClass(float[] row) {
        if (row.length != spec.inputWidth()) {
            throw new IllegalArgumentException("expected one row of " + spec.inputWidth() + " floats, got " + row.length);
        }
        enter();
        try {
            StepBuffers buffers = begin(1);
            buffers.x.copyFrom(row, 0);
            Matrix out = forward(buffers);
            int best = 0;
            for (int c = 0; c < out.cols(); c++) {
                float score = out.get(0, c);
                if (Float.isNaN(score)) {
                    throw nanScore(c);
                }
                best = score > out.get(0, best) ? c : best;
            }
            return best;
        } finally {
            exit();
        }
    }

    /**
     * The index (from 0) of the largest of {@code count} scores at {@code scores[from ...]}: the class a row of
     * outputs predicts; the first one on ties.
     *
     * @throws IllegalStateException if a score is NaN: NaN scores name no class
     */
    public static int bestClass(float[] scores, int from, int count) {
        int best = 0;
        for (int c = 0; c < count; c++) {
            float score = scores[from + c];
            if (Float.isNaN(score)) {
                throw nanScore(c);
            }
            best = score > scores[from + best] ? c : best;
        }
        return best;
    }

    private static IllegalStateException nanScore(int output) {
        return new IllegalStateException("output " + output + " is NaN, so no class can be named (NaN or infinite input, "
                + "or a model whose parameters diverged)");
    }

    private void enter() {
        if (!IN_USE.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("predictor used by two threads at once: a predictor belongs to one thread at "
                    + "a time (create one per thread with SharedModel.newPredictor)");
        }
    }

    private void exit() {
        inUse = 0;
    }

    private StepBuffers begin(int rows) {
        if (!storage.isOpen()) {
            throw new IllegalStateException("predictor used after close()");
        }
        model.checkOpen();
        return buffersByRows.get(rows);
    }

    /** Runs the network over one announced snapshot; the output stays in this predictor's scratch. */
    private Matrix forward(StepBuffers buffers) {
        Snapshot snapshot;
        do {
            snapshot = model.current();
            reading = snapshot;
        } while (model.current() != snapshot); // re-check: a publisher may have swapped before the announcement
        try {
            model.checkOpen(); // after the announcement: close() sets closed, then waits for announcements to clear
            return ForwardPass.run(gemm, spec, null, snapshot, buffers);
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
            cleanable.clean();
        }
    }
}
