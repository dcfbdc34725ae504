package io.lanewise.samples.service;

import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.nn.Network;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The service's learner: one thread that warms its trainer up ({@link Trainer#warmUp}), then takes labelled
 * examples from a bounded queue, trains on them in mini-batches of up to {@value #BATCH}, and publishes the new
 * weights after every step, so scoring threads see them at their next request without ever waiting for training.
 *
 * <p>A bad example does not stop it. After every step the parameters and the optimizer state must be
 * finite; a step whose loss or result is not finite is undone (from a copy of the last good state) and its
 * batch retried one example at a time, so that only the examples that fail on their own are rejected and
 * counted. If the learner cannot go on (the good state cannot be restored, or anything unexpected is thrown)
 * it stops, keeps the reason, and {@link #failure()} reports it: the service then refuses feedback and says
 * why instead of queueing examples nobody will learn from.
 */
final class OnlineLearner implements AutoCloseable {
    static final int BATCH = 32;
    private static final int QUEUE = 4_096;

    private record Example(float[] features, int label) {
    }

    private final Trainer trainer;
    private final SharedModel model;
    private final BlockingQueue<Example> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    /** The last good parameters and optimizer state, restored when a step goes non-finite. */
    private final Network good;
    private final Storage goodState;
    private final Matrix[] state;
    private final Matrix[] savedState;
    private long goodSteps;
    private final Duration warmUpBudget;
    private volatile boolean running = true;
    private volatile long learned;
    private volatile long rejected;
    private volatile String failure;

    OnlineLearner(Trainer trainer, SharedModel model, Duration warmUpBudget) {
        this.trainer = trainer;
        this.model = model;
        Network network = trainer.network();
        this.good = Network.zeros(network.spec());
        int tensors = 2 * network.depth();
        int slots = trainer.optimizer().stateSlots();
        this.state = new Matrix[tensors * slots];
        Storage.Builder plan = Storage.builder();
        int[] planned = new int[state.length];
        for (int p = 0; p < tensors; p++) {
            for (int s = 0; s < slots; s++) {
                state[p * slots + s] = trainer.optimizerState(p, s);
                planned[p * slots + s] = plan.matrix(state[p * slots + s].rows(), state[p * slots + s].cols());
            }
        }
        this.goodState = state.length == 0 ? null : plan.allocate("the learner's copy of the optimizer state");
        this.savedState = new Matrix[state.length];
        for (int i = 0; i < state.length; i++) {
            savedState[i] = goodState.matrix(planned[i]);
        }
        commit();
        this.warmUpBudget = warmUpBudget;
        this.thread = new Thread(this::run, "lanewise-online-learner");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues one example; false when the queue is full. */
    boolean offer(float[] features, int label) {
        return queue.offer(new Example(features, label));
    }

    /** Examples learned so far. */
    long learned() {
        return learned;
    }

    /** Examples rejected so far because training on them gave a non-finite loss, parameter or state. */
    long rejected() {
        return rejected;
    }

    /** Why the learner stopped, or null while it runs. */
    String failure() {
        return failure;
    }

    private void run() {
        int width = model.spec().inputWidth();
        float[] x = new float[BATCH * width];
        int[] labels = new int[BATCH];
        int[] order = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            order[i] = i;
        }
        try {
            trainer.warmUp(warmUpBudget);
            while (running) {
                Example first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                int rows = 0;
                for (Example e = first; e != null && rows < BATCH; e = rows < BATCH ? queue.poll() : null) {
                    System.arraycopy(e.features(), 0, x, rows * width, width);
                    labels[rows++] = e.label();
                }
                if (tryStep(x, labels, order, 0, rows)) {
                    learned += rows;
                } else {
                    for (int r = 0; r < rows; r++) { // find the examples that fail on their own
                        if (tryStep(x, labels, order, r, 1)) {
                            learned++;
                        } else {
                            rejected++;
                        }
                    }
                }
                model.publish(trainer.network());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    /** One step on {@code rows} examples from {@code from}; kept if all is finite after it, undone otherwise. */
    private boolean tryStep(float[] x, int[] labels, int[] order, int from, int rows) {
        try {
            trainer.stepGathered(x, labels, order, from, rows);
        } catch (IllegalStateException nonFiniteLoss) {
            restore(); // the trainer changed nothing, but a closed trainer would fail here too and stop the learner
            return false;
        }
        if (!finite(trainer.network()) || !finite(state)) {
            restore();
            return false;
        }
        commit();
        return true;
    }

    private void commit() {
        good.copyFrom(trainer.network());
        for (int i = 0; i < state.length; i++) {
            savedState[i].copyFrom(state[i]);
        }
        goodSteps = trainer.steps();
    }

    private void restore() {
        trainer.network().copyFrom(good);
        for (int i = 0; i < state.length; i++) {
            state[i].copyFrom(savedState[i]);
        }
        trainer.resumeAt(goodSteps);
    }

    private static boolean finite(Network network) {
        for (int l = 0; l < network.depth(); l++) {
            if (!finite(network.weights(l)) || !finite(network.biases(l))) {
                return false;
            }
        }
        return true;
    }

    private static boolean finite(Matrix[] matrices) {
        for (Matrix m : matrices) {
            if (!finite(m)) {
                return false;
            }
        }
        return true;
    }

    private static boolean finite(Matrix m) {
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (!Float.isFinite(m.get(r, c))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trainer.close();
        good.close();
        if (goodState != null) {
            goodState.close();
        }
    }
}
