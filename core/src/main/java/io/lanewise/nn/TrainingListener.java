package io.lanewise.nn;

/**
 * Hears about training progress from an {@link EpochRunner}: for progress bars and curves. Called on the
 * training thread; keep it cheap (it runs between steps, and what it allocates counts).
 */
public interface TrainingListener {
    /** A listener that does nothing. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** After each batch: its 1-based epoch, 0-based index in the epoch, rows and mean loss. */
    default void onBatch(int epoch, int batch, int rows, double loss) {
    }

    /** After each epoch: its 1-based number and the mean loss over its rows. */
    default void onEpoch(int epoch, double meanLoss) {
    }
}
