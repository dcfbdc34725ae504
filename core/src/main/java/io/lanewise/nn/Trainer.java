package io.lanewise.nn;

import io.lanewise.kernels.Kernels;
import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.agrona.DirectBuffer;

/**
 * Trains a {@link Network} in place with the fused step of ARCHITECTURE.md: per layer, forward
 * {@code Z = X·W + b, A = f(Z)} with bias and activation in the GEMM epilogue; the loss and its gradient
 * in one pass; backward {@code dW = Xᵀ·dZ}, {@code db = Σ dZ}, {@code dX = (dZ·Wᵀ) ⊙ f'(Z_prev)} with the
 * derivative in the GEMM epilogue; and each layer's optimizer update as soon as its gradients exist
 * (after the whole backward pass when gradients are clipped by their global norm, which needs them all).
 *
 * <p>Every buffer (gradients, optimizer state, activations, staging for inputs and targets, GEMM packing)
 * is allocated when the trainer is built; a warm step allocates nothing. A batch may have fewer rows than
 * the configured batch size (the last batch of an epoch). Not thread safe: one thread steps a trainer.
 * With {@code threads > 1} the GEMMs are split over workers started at build time, in a fixed way, so
 * the same seed, data order and thread count give bit-identical parameters.
 */
public final class Trainer implements AutoCloseable {
    /** The most optimizer state slots an optimizer keeps (Adam's two moments). */
    private static final int STATE_SLOTS = 2;

    private final Network network;
    private final MlpSpec spec;
    private final Optimizer optimizer;
    private final int batchSize;
    private final Gemm gemm;
    private final Storage storage;
    private final StepBuffers.ByRows buffersByRows;
    private final ParameterTensors gradients;
    /** Per optimizer state slot (see {@link #optimizerState}), a set shaped like the parameters; absent if unused. */
    private final ParameterTensors[] state;
    private final int[] gatheredLabels;
    private final Cleaner.Cleanable cleanable;
    /**
     * 1, or 0 for a warm-up's scratch trainer, whose network then never changes. A factor, not a branch: a branch
     * that the warm-up always took one way would be compiled for that way alone, and the real trainer's first step
     * would throw the compiled step away.
     */
    private final float rateScale;
    private long steps;

    private Trainer(Network network, Optimizer optimizer, int batchSize, int threads, boolean frozen) {
        this.rateScale = frozen ? 0f : 1f;
        this.network = network;
        this.spec = network.spec();
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        // The one allocation, in this order: the batch's buffers, the gradients, then each optimizer state slot.
        Storage.Builder plan = Storage.builder();
        StepBuffers.Plan stepPlan = StepBuffers.plan(plan, spec, batchSize, true);
        ParameterTensors.Plan gradientPlan = ParameterTensors.plan(plan, spec);
        ParameterTensors.Plan[] statePlans = new ParameterTensors.Plan[optimizer.stateSlots()];
        for (int s = 0; s < statePlans.length; s++) {
            statePlans[s] = ParameterTensors.plan(plan, spec);
        }
        this.storage = plan.allocate("a trainer with batch size " + batchSize);
        this.buffersByRows = new StepBuffers.ByRows(stepPlan.views(storage));
        this.gradients = gradientPlan.views(storage);
        this.state = new ParameterTensors[STATE_SLOTS];
        for (int s = 0; s < STATE_SLOTS; s++) {
            state[s] = s < statePlans.length ? statePlans[s].views(storage) : ParameterTensors.absent(spec);
        }
        this.gatheredLabels = new int[batchSize];
        // A step's GEMMs per layer: Z = X·W (B × in)·(in × out), dW = Xᵀ·dZ (in × B)·(B × out) and
        // dX = dZ·Wᵀ (B × out)·(out × in); the packing space is sized to the largest of them.
        int widest = spec.maxWidth();
        this.gemm = Gemm.create(threads, Math.max(batchSize, widest), widest, Math.max(batchSize, widest));
        // A safety net if close() is forgotten: the action holds the workers and buffers, never this trainer.
        this.cleanable = Cleaners.register(this, gemm, storage);
    }

    /** Off-heap bytes of GEMM packing space this trainer holds, all its threads together. */
    long gemmBytes() {
        return gemm.bytes();
    }

    /** A builder for a trainer of {@code network} with {@code optimizer}. */
    public static Builder builder(Network network, Optimizer optimizer) {
        return new Builder(network, optimizer);
    }

    /** The network being trained (its parameters are updated in place). */
    public Network network() {
        return network;
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The largest batch a step takes. */
    public int batchSize() {
        return batchSize;
    }

    /** Steps done so far (the next update uses learning rate {@code schedule.rate(steps())}). */
    public long steps() {
        return steps;
    }

    /**
     * The optimizer state of parameter tensor {@code index} (ordered W_0, b_0, W_1, b_1, ...): slot 0 is
     * SGD's velocity or Adam's first moment, slot 1 Adam's second moment; null where the optimizer keeps
     * none. Live views, for checkpoints.
     */
    public Matrix optimizerState(int index, int slot) {
        int tensors = gradients.inOrder.length;
        if (index < 0 || index >= tensors || slot < 0 || slot >= STATE_SLOTS) {
            throw new IllegalArgumentException("no optimizer state " + index + "/" + slot + ": expected tensor 0.."
                    + (tensors - 1) + ", slot 0 or 1");
        }
        return state[slot].inOrder[index];
    }

    /**
     * Sets the number of steps done, so that a trainer restored from a checkpoint continues the
     * learning-rate schedule and Adam's bias corrections where they were.
     */
    public void resumeAt(long stepsDone) {
        if (stepsDone < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + stepsDone);
        }
        this.steps = stepsDone;
    }

    /**
     * One step on {@code labels.length} rows of {@code inputs} (dense row-major, {@code inputWidth} floats
     * per row) with class labels.
     *
     * @return the batch's mean loss, before the update
     * @throws IllegalArgumentException if the shapes, the row count or a label do not fit (nothing is updated)
     * @throws IllegalStateException    if the loss is NaN or infinite (nothing is updated), or after close
     */
    public double step(float[] inputs, int[] labels) {
        StepBuffers buffers = buffersFor(labels.length);
        checkInputLength(inputs.length, labels.length);
        checkTakesLabels();
        buffers.x.copyFrom(inputs, 0);
        return run(buffers, labels, 0);
    }

    /**
     * One step on {@code rows} rows with float targets (for mean squared error and binary cross-entropy):
     * {@code targets} holds {@code rows × outputWidth} floats, row-major; rows = targets.length / outputWidth.
     */
    public double step(float[] inputs, float[] targets) {
        int out = spec.outputWidth();
        if (targets.length % out != 0) {
            throw new IllegalArgumentException("targets must hold whole rows of " + out + " floats, got " + targets.length);
        }
        StepBuffers buffers = buffersFor(targets.length / out);
        checkInputLength(inputs.length, buffers.rows);
        checkTakesTargets();
        buffers.x.copyFrom(inputs, 0);
        buffers.targets.copyFrom(targets, 0);
        return run(buffers, null, 0);
    }

    /** One step on the rows of {@code inputs} with labels {@code labels[labelOffset ...]}. */
    public double step(Matrix inputs, int[] labels, int labelOffset) {
        StepBuffers buffers = buffersFor(inputs.rows());
        checkLabelRange(labels, labelOffset, buffers.rows);
        buffers.x.copyFrom(inputs);
        return run(buffers, labels, labelOffset);
    }

    /** One step on the rows of {@code inputs} with float target rows {@code targets}. */
    public double step(Matrix inputs, Matrix targets) {
        StepBuffers buffers = buffersFor(inputs.rows());
        checkTakesTargets();
        buffers.x.copyFrom(inputs);
        buffers.targets.copyFrom(targets);
        return run(buffers, null, 0);
    }

    /**
     * One step on {@code rows} rows of little-endian float32 inputs at {@code byteOffset} of {@code inputs},
     * with labels {@code labels[labelOffset ...]}.
     */
    public double step(MemorySegment inputs, long byteOffset, int rows, int[] labels, int labelOffset) {
        StepBuffers buffers = buffersFor(rows);
        checkLabelRange(labels, labelOffset, rows);
        buffers.x.copyFrom(inputs, byteOffset);
        return run(buffers, labels, labelOffset);
    }

    /**
     * One step on {@code rows} rows of little-endian float32 inputs at byte {@code index} of an Agrona
     * buffer, with labels {@code labels[labelOffset ...]}.
     */
    public double step(DirectBuffer inputs, int index, int rows, int[] labels, int labelOffset) {
        StepBuffers buffers = buffersFor(rows);
        checkLabelRange(labels, labelOffset, rows);
        buffers.x.copyFrom(inputs, index);
        return run(buffers, labels, labelOffset);
    }

    /**
     * One step on the rows {@code order[from .. from + rows)} of a data set held as dense row-major
     * {@code features} and {@code labels}: the rows are gathered straight into the trainer's input buffer,
     * so an epoch over a shuffled order allocates nothing.
     */
    public double stepGathered(float[] features, int[] labels, int[] order, int from, int rows) {
        StepBuffers buffers = buffersFor(rows);
        checkTakesLabels();
        if (from < 0 || from > order.length - rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + ((long) from + rows) + ") are outside the order of "
                    + order.length + " rows");
        }
        int width = spec.inputWidth();
        for (int r = 0; r < rows; r++) {
            int row = order[from + r];
            if (row < 0 || row >= labels.length || (long) (row + 1) * width > features.length) {
                throw new IllegalArgumentException("row " + row + " at order position " + (from + r)
                        + " is outside the data set of " + labels.length + " rows");
            }
            buffers.x.copyRowFrom(r, features, row * width);
            gatheredLabels[r] = labels[row];
        }
        return run(buffers, gatheredLabels, 0);
    }

    /**
     * Runs the kernel paths of a training step until their latency has settled (the JIT has compiled them) or
     * {@code budget} is spent, so that the first epochs of a fresh JVM train at close to the steady speed: steps of
     * the batch size, of one row less (an epoch's last batch is smaller, and a row count that leaves a partial
     * register tile takes a path of its own; code compiled without it would be thrown away when the first such batch
     * comes) and of one row (the GEMM's row path for the smallest batches).
     *
     * <p>It steps a scratch copy: a copy of the network, trained by a trainer of its own (the same optimizer, batch
     * size and threads; its own gradients, optimizer state and GEMM workers) at learning rate 0 on made-up rows,
     * all freed before it returns. This trainer's network, optimizer state and step count are not touched, so
     * training gives the same bits with or without a warm-up. Call it between steps, from the thread that steps
     * (it reads the network once, to copy it). It stops at the first check after the budget is spent (one step at
     * most later), and always makes at least one step.
     *
     * @return how many steps it made, how long it took, the final full-batch step time and whether it converged
     * @throws IllegalArgumentException if the budget is null, zero or negative
     * @throws IllegalStateException    if the trainer or its network is closed
     */
    public WarmUp warmUp(Duration budget) {
        WarmUpLoop.checkBudget(budget);
        if (!storage.isOpen() || !network.isOpen()) {
            throw new IllegalStateException("trainer used after close()");
        }
        int[] sizes = IntStream.of(batchSize, batchSize - 1, 1).filter(r -> r > 0).distinct().toArray();
        int in = spec.inputWidth();
        int out = spec.outputWidth();
        SeededRandom random = new SeededRandom(SharedModel.WARM_UP_SEED);
        float[] inputs = new float[batchSize * in];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[batchSize];
        int[] order = new int[batchSize];
        for (int r = 0; r < batchSize; r++) {
            labels[r] = random.nextInt(out);
            order[r] = r;
        }
        float[][] rowsIn = new float[sizes.length][];
        float[][] rowsTargets = new float[sizes.length][];
        for (int p = 0; p < sizes.length; p++) {
            rowsIn[p] = Arrays.copyOf(inputs, sizes[p] * in);
            rowsTargets[p] = new float[sizes[p] * out];
            for (int i = 0; i < rowsTargets[p].length; i++) {
                rowsTargets[p][i] = random.nextInt(2);
            }
        }
        boolean classes = spec.loss().takesClassLabels();
        try (Network copy = Network.zeros(spec)) {
            copy.copyFrom(network);
            try (Trainer scratch = new Trainer(copy, optimizer, batchSize, gemm.threads(), true)) {
                return WarmUpLoop.run(budget, sizes.length, path -> {
                    if (classes) {
                        scratch.stepGathered(inputs, labels, order, 0, sizes[path]); // as EpochRunner steps
                    } else {
                        scratch.step(rowsIn[path], rowsTargets[path]);
                    }
                });
            }
        }
    }

    /**
     * The loss of {@code labels.length} rows of {@code inputs} (dense row-major) and its gradient with
     * respect to every parameter, without updating anything: the gradients land in {@link #gradient(int)},
     * where a caller may read them, replace them (with gradients summed over machines, say) and then
     * apply them with {@link #applyGradients()}. Computing and then applying gives the same parameters, to
     * the bit, as {@link #step(float[], int[])}.
     *
     * @return the batch's mean loss
     * @throws IllegalArgumentException if the shapes, the row count or a label do not fit
     * @throws IllegalStateException    if the loss is NaN or infinite, or after close
     */
    public double computeGradients(float[] inputs, int[] labels) {
        StepBuffers buffers = buffersFor(labels.length);
        checkInputLength(inputs.length, labels.length);
        checkTakesLabels();
        buffers.x.copyFrom(inputs, 0);
        return gradientsOf(buffers, labels);
    }

    /** As {@link #computeGradients(float[], int[])}, with float target rows (see {@link #step(float[], float[])}). */
    public double computeGradients(float[] inputs, float[] targets) {
        int out = spec.outputWidth();
        if (targets.length % out != 0) {
            throw new IllegalArgumentException("targets must hold whole rows of " + out + " floats, got " + targets.length);
        }
        StepBuffers buffers = buffersFor(targets.length / out);
        checkInputLength(inputs.length, buffers.rows);
        checkTakesTargets();
        buffers.x.copyFrom(inputs, 0);
        buffers.targets.copyFrom(targets, 0);
        return gradientsOf(buffers, null);
    }

    /**
     * The gradient of the mean loss with respect to parameter tensor {@code index} (ordered W_0, b_0, W_1,
     * b_1, ..., shaped as {@link Network#weights} and {@link Network#biases}), as the last step or
     * {@link #computeGradients} left it: a live view, which {@link #applyGradients()} reads.
     */
    public Matrix gradient(int index) {
        if (index < 0 || index >= gradients.inOrder.length) {
            throw new IllegalArgumentException("no parameter tensor " + index + ": expected 0.."
                    + (gradients.inOrder.length - 1));
        }
        if (!storage.isOpen()) {
            throw new IllegalStateException("trainer used after close()");
        }
        return gradients.inOrder[index];
    }

    /**
     * Applies the gradients in {@link #gradient(int)} with this trainer's optimizer, exactly as a step does
     * after its backward pass: clipping by global norm if configured, then the update of every parameter and
     * its optimizer state at learning rate {@code schedule.rate(steps())}; counts one step.
     *
     * @throws IllegalStateException after close
     */
    public void applyGradients() {
        if (!storage.isOpen()) {
            throw new IllegalStateException("trainer used after close()");
        }
        if (optimizer.clipNorm() > 0) {
            Kernels.REDUCTIONS.clipByGlobalNorm(gradients.inOrder, optimizer.clipNorm());
        }
        float rate = (float) optimizer.schedule().rate(steps);
        for (int l = 0; l < spec.depth(); l++) {
            update(l, rate);
        }
        steps++;
    }

    /** Steps 1–3 of the fused step (forward, loss, backward) on the staged rows, leaving the gradients; no update. */
    private double gradientsOf(StepBuffers buffers, int[] labels) {
        double loss = forwardAndLoss(buffers, labels, 0);
        for (int l = spec.depth() - 1; l >= 0; l--) {
            backward(buffers, l);
        }
        return loss;
    }

    /**
     * The fused step on the rows staged in {@code buffers}: forward and loss, then from the last layer down each
     * layer's backward and, unless gradients are clipped by their global norm, its update.
     */
    private double run(StepBuffers buffers, int[] labels, int labelOffset) {
        double loss = forwardAndLoss(buffers, labels, labelOffset);
        boolean clip = optimizer.clipNorm() > 0;
        float rate = rateScale * (float) optimizer.schedule().rate(steps);
        for (int l = spec.depth() - 1; l >= 0; l--) {
            backward(buffers, l);
            if (!clip) {
                update(l, rate);
            }
        }
        if (clip) {
            Kernels.REDUCTIONS.clipByGlobalNorm(gradients.inOrder, optimizer.clipNorm());
            for (int l = 0; l < spec.depth(); l++) {
                update(l, rate);
            }
        }
        steps++;
        return loss;
    }

    /** The forward pass and the loss with its gradient dZ of the last layer; throws if the loss is not finite. */
    private double forwardAndLoss(StepBuffers buffers, int[] labels, int labelOffset) {
        ForwardPass.run(gemm, network.spec(), network, null, buffers);
        double loss = lossAndGradient(buffers, labels, labelOffset);
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("loss is " + loss + " at step " + steps
                    + ": expected a finite number (learning rate too high, or NaN/inf in the inputs?); parameters unchanged");
        }
        return loss;
    }

    /**
     * The loss of the output against the labels or targets, and its gradient dZ of the last layer, in one pass over
     * the output. The cross-entropy losses take the logits (the spec holds their last activation to the identity, so
     * the output is Z) and write dZ; mean squared error writes dA, then multiplies it by f'(Z) in place.
     */
    private double lossAndGradient(StepBuffers buffers, int[] labels, int labelOffset) {
        int last = spec.depth() - 1;
        Matrix output = buffers.output();
        Matrix gradient = buffers.deltas(last);
        return switch (spec.loss()) {
            case SOFTMAX_CROSS_ENTROPY -> Kernels.LOSSES.softmaxCrossEntropy(output, labels, labelOffset, gradient);
            case SIGMOID_BINARY_CROSS_ENTROPY -> Kernels.LOSSES.sigmoidBinaryCrossEntropy(output, buffers.targets, gradient);
            case MEAN_SQUARED_ERROR -> {
                double loss = Kernels.LOSSES.meanSquaredError(output, buffers.targets, gradient);
                Activation f = spec.layers().get(last).activation();
                if (f.kind() != Activation.Kind.IDENTITY) {
                    Kernels.ACTIVATIONS.backward(f, buffers.preActivations(last), gradient, gradient);
                }
                yield loss;
            }
        };
    }

    /** Layer l's gradients dW_l and db_l from dZ_l, and dZ_{l-1} (with W_l as it is, before any update). */
    private void backward(StepBuffers buffers, int l) {
        boolean first = l == 0; // the first layer's input is X, which needs no gradient
        Matrix dzBelow = first ? null : buffers.deltas(l - 1);
        Activation fBelow = first ? null : spec.layers().get(l - 1).activation();
        Matrix zBelow = first ? null : buffers.preActivations(l - 1);
        DenseLayer.backward(gemm, buffers.deltas(l), buffers.input(l), network.weights(l), gradients.weights[l],
                gradients.biases[l], dzBelow, fBelow, zBelow);
    }

    /** Layer l's parameters and optimizer state, updated from its gradients at learning rate {@code rate}. */
    private void update(int l, float rate) {
        long step = steps + 1;
        Kernels.OPTIMIZERS.update(optimizer, rate, step, network.weights(l), gradients.weights[l], state[0].weights[l],
                state[1].weights[l]);
        Kernels.OPTIMIZERS.update(optimizer, rate, step, network.biases(l), gradients.biases[l], state[0].biases[l],
                state[1].biases[l]);
    }

    private StepBuffers buffersFor(int rows) {
        if (!storage.isOpen()) {
            throw new IllegalStateException("trainer used after close()");
        }
        return buffersByRows.get(rows);
    }

    private void checkInputLength(int length, int rows) {
        long expected = (long) rows * spec.inputWidth();
        if (length != expected) {
            throw new IllegalArgumentException("expected " + expected + " input floats (" + rows + " rows of "
                    + spec.inputWidth() + "), got " + length);
        }
    }

    private void checkLabelRange(int[] labels, int offset, int rows) {
        checkTakesLabels();
        if (offset < 0 || offset > labels.length - rows) {
            throw new IllegalArgumentException("labels [" + offset + ", " + ((long) offset + rows)
                    + ") are outside the label array of length " + labels.length);
        }
    }

    private void checkTakesLabels() {
        if (!spec.loss().takesClassLabels()) {
            throw new IllegalArgumentException(spec.loss() + " takes float target rows of width " + spec.outputWidth()
                    + ", got integer class labels");
        }
    }

    private void checkTakesTargets() {
        if (spec.loss().takesClassLabels()) {
            throw new IllegalArgumentException(spec.loss() + " takes integer class labels, got float target rows");
        }
    }

    /** Stops the GEMM workers and frees every buffer (not the network); idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Collects batch size and thread count. */
    public static final class Builder {
        private final Network network;
        private final Optimizer optimizer;
        private int batchSize = 128;
        private int threads = 1;

        private Builder(Network network, Optimizer optimizer) {
            if (network == null || optimizer == null) {
                throw new IllegalArgumentException("a trainer needs a network and an optimizer");
            }
            this.network = network;
            this.optimizer = optimizer;
        }

        /** The largest batch a step takes (default 128). */
        public Builder batchSize(int rows) {
            if (rows <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /** Threads the GEMMs are split over (default 1: the calling thread only). */
        public Builder threads(int count) {
            if (count <= 0) {
                throw new IllegalArgumentException("thread count must be positive, got " + count);
            }
            this.threads = count;
            return this;
        }

        /** Allocates every buffer and starts the workers. */
        public Trainer build() {
            if (!network.isOpen()) {
                throw new IllegalStateException("network was closed");
            }
            return new Trainer(network, optimizer, batchSize, threads, false);
        }
    }
}
