package io.lanewise.samples.cli;

import io.lanewise.nn.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch: rows done, loss, samples/s and time left (me.tongfei's progressbar). */
final class EpochProgress implements TrainingListener {
    private final int epochs;
    private final int rows;
    private final boolean enabled;
    private ProgressBar bar;
    private double lossSum;
    private long seen;
    private long start;

    EpochProgress(int epochs, int rows, boolean enabled) {
        this.epochs = epochs;
        this.rows = rows;
        this.enabled = enabled;
    }

    @Override
    public void onBatch(int epoch, int batch, int batchRows, double loss) {
        if (batch == 0) {
            lossSum = 0;
            seen = 0;
            start = System.nanoTime();
            if (enabled) {
                bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs)).setInitialMax(rows)
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).setUpdateIntervalMillis(100)
                        .continuousUpdate().build();
            }
        }
        lossSum += loss * batchRows;
        seen += batchRows;
        if (bar != null) {
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            bar.stepBy(batchRows);
            bar.setExtraMessage(String.format(" loss %.4f, %,.0f samples/s", lossSum / seen, seen / seconds));
        }
    }

    @Override
    public void onEpoch(int epoch, double meanLoss) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Samples per second over the last epoch. */
    double samplesPerSecond() {
        return seen / Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    }
}
