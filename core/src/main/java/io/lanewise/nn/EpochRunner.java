package io.lanewise.nn;

import io.lanewise.data.ClassificationData;
import io.lanewise.spec.SeededRandom;

/**
 * Runs epochs of a {@link Trainer} over an in-memory data set: each epoch shuffles the row order with a
 * seeded generator, then steps through it in batches of the trainer's batch size (the last batch may be
 * smaller), gathering rows straight into the trainer, so an epoch allocates nothing per batch. The same
 * seed and data give the same batches, run after run. Not thread safe.
 */
public final class EpochRunner {
    private final Trainer trainer;
    private final ClassificationData data;
    private final int[] order;
    private final SeededRandom random;
    private int epochs;

    /**
     * A runner over {@code data}, shuffling with {@code seed}.
     *
     * @throws IllegalArgumentException if the data's width or classes do not fit the trainer's network
     */
    public EpochRunner(Trainer trainer, ClassificationData data, long seed) {
        var spec = trainer.network().spec();
        if (data.width() != spec.inputWidth()) {
            throw new IllegalArgumentException("data rows have " + data.width() + " features but the network expects "
                    + spec.inputWidth());
        }
        if (data.classes() > spec.outputWidth()) {
            throw new IllegalArgumentException("data has " + data.classes() + " classes but the network has "
                    + spec.outputWidth() + " outputs");
        }
        if (!spec.loss().takesClassLabels()) {
            throw new IllegalArgumentException("class-labelled data needs softmax cross-entropy, the network uses "
                    + spec.loss());
        }
        this.trainer = trainer;
        this.data = data;
        this.order = new int[data.rows()];
        this.random = new SeededRandom(seed);
    }

    /** Epochs run so far. */
    public int epochs() {
        return epochs;
    }

    /** The shuffling generator's state, for checkpoints. */
    public long shuffleState() {
        return random.state();
    }

    /**
     * Continues from a checkpoint: {@code epochsDone} epochs run, the shuffling generator at
     * {@code shuffleState} (taken between epochs).
     */
    public void resumeAt(int epochsDone, long shuffleState) {
        if (epochsDone < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochsDone);
        }
        this.epochs = epochsDone;
        random.setState(shuffleState);
    }

    /**
     * One epoch: shuffle, then every batch.
     *
     * @return the mean loss over the epoch's rows
     */
    public double runEpoch(TrainingListener listener) {
        int epoch = ++epochs;
        for (int i = 0; i < order.length; i++) {
            order[i] = i; // each epoch's order depends on the generator's state alone, so checkpoints need only that
        }
        random.shuffle(order, order.length);
        int batch = trainer.batchSize();
        double total = 0;
        int index = 0;
        for (int from = 0; from < order.length; from += batch, index++) {
            int rows = Math.min(batch, order.length - from);
            double loss = trainer.stepGathered(data.features(), data.labels(), order, from, rows);
            total += loss * rows;
            listener.onBatch(epoch, index, rows, loss);
        }
        double mean = total / order.length;
        listener.onEpoch(epoch, mean);
        return mean;
    }
}
