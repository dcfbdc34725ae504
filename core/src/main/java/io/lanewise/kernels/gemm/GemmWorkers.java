package io.lanewise.kernels.gemm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The worker threads of a multi-threaded {@link Gemm}: {@link #run} posts the context's job, computes part 0
 * on the caller's thread while worker w computes part w, and returns when every part is done.
 *
 * <p>Between calls a worker spins for {@link #SPIN_NANOS}, then parks until the next post, so an idle context
 * costs no CPU. The spin covers the gaps of a training step: tens of microseconds between GEMMs, and up to
 * about a hundred from the last layer's update to the next step's first GEMM, where waking a parked thread
 * would add its latency to every step. No wake-up is lost: a worker announces {@link Worker#PARKED}
 * before it checks for work a last time and parks, and the caller posts before it reads that state and
 * unparks a parked worker; with both volatile, either the worker sees the post or the caller sees PARKED.
 *
 * <p>A worker holds this pool (the job, the loop nest and its packing space), never the object that owns
 * the context, so an owner left unclosed can still be collected and cleaned.
 */
final class GemmWorkers {
    /** How long a worker spins for the next job before it parks. */
    static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final GemmLoops loops;
    private final GemmJob job;
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    /** The caller's wait for the workers to finish their parts: a few microseconds, as the parts are even. */
    private final IdleStrategy callerIdle = new BackoffIdleStrategy(1000, 100, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(20));
    /** Incremented by each post; a worker runs a part whenever it differs from the last one it ran. */
    private volatile long posted;
    private volatile boolean open = true;
    private volatile Throwable failure;

    /** Starts {@code count} workers named {@code lanewise-gemm-1..count} computing parts of {@code job}. */
    GemmWorkers(int count, GemmLoops loops, GemmJob job) {
        this.loops = loops;
        this.job = job;
        this.workers = new Worker[count];
        for (int w = 0; w < count; w++) {
            workers[w] = new Worker(this, w + 1);
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /**
     * Computes every part of the job, filled by the caller, part 0 on this thread; rethrows the first failure.
     * One caller at a time.
     */
    void run() {
        failure = null;
        pending.set(workers.length);
        posted = posted + 1;
        for (Worker w : workers) {
            if (w.state == Worker.PARKED) {
                LockSupport.unpark(w.thread);
            }
        }
        Throwable own = null;
        try {
            loops.compute(job, 0);
        } catch (Throwable t) {
            own = t;
        }
        callerIdle.reset();
        while (pending.get() != 0) {
            callerIdle.idle();
        }
        Throwable t = own != null ? own : failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** Stops the workers and waits for them to end; not during a {@link #run}. Idempotent. */
    void close() {
        open = false;
        boolean interrupted = false;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
            while (w.thread.isAlive()) {
                try {
                    w.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One worker thread and its announced state. */
    private static final class Worker implements Runnable {
        static final int RUNNING = 0;
        /** Set before the last check for work and the park: the caller must unpark. */
        static final int PARKED = 1;

        final GemmWorkers pool;
        final int part;
        final Thread thread;
        volatile int state = RUNNING;

        Worker(GemmWorkers pool, int part) {
            this.pool = pool;
            this.part = part;
            this.thread = new Thread(this, "lanewise-gemm-" + part);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            GemmWorkers pool = this.pool;
            long done = 0;
            long next;
            while ((next = awaitPost(done)) != done) {
                done = next;
                try {
                    pool.loops.compute(pool.job, part);
                } catch (Throwable t) {
                    pool.failure = t;
                }
                pool.pending.decrementAndGet();
            }
        }

        /** The next post after {@code done}, or {@code done} itself once the pool is closed. */
        private long awaitPost(long done) {
            GemmWorkers pool = this.pool;
            long spinEnd = System.nanoTime() + SPIN_NANOS;
            long next;
            while ((next = pool.posted) == done) {
                if (!pool.open) {
                    return done;
                }
                if (System.nanoTime() - spinEnd > 0) {
                    return awaitPostParked(done);
                }
                Thread.onSpinWait();
            }
            return next;
        }

        private long awaitPostParked(long done) {
            GemmWorkers pool = this.pool;
            state = PARKED;
            long next;
            while ((next = pool.posted) == done) {
                if (!pool.open) {
                    return done;
                }
                LockSupport.park(pool);
            }
            state = RUNNING;
            return next;
        }
    }
}
