package io.lanewise.samples.service;

import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The service's learner: one thread that warms its trainer up ({@link Trainer#warmUp}), then takes labelled examples
 * from a bounded queue, trains on them in mini-batches of up to {@value #BATCH}, and publishes the new weights after
 * every step, so scoring threads see them at their next request without ever waiting for training.
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
    private final Duration warmUpBudget;
    private volatile boolean running = true;
    private volatile long learned;

    OnlineLearner(Trainer trainer, SharedModel model, Duration warmUpBudget) {
        this.trainer = trainer;
        this.model = model;
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

    long learned() {
        return learned;
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
                trainer.stepGathered(x, labels, order, 0, rows);
                model.publish(trainer.network());
                learned += rows;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
    }
}
