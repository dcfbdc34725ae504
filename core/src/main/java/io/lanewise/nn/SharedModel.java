package io.lanewise.nn;

import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.SeededRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.TreeSet;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Weights that many {@link Predictor}s serve from while a trainer keeps learning: {@link #publish}
 * packs a network's weights into a spare snapshot (in the GEMM's panel layout, once, there) and swaps it in
 * atomically, so every prediction uses one consistent set of weights, never half old and half new, and the
 * predict path takes no lock.
 *
 * <p>How: a small pool of snapshots. A predictor announces the snapshot it reads in a volatile field
 * (a hazard pointer) and re-checks that it is still current before using it; {@link #publish} only
 * overwrites a snapshot that is neither current nor announced by any predictor. The pool holds exactly two
 * snapshots more than there are open predictors: each predictor announces at most one, one is current, and
 * one is left to publish into, so publishing never waits for readers. It grows in {@link #newPredictor} and
 * shrinks when a predictor is closed. Publishing is serialised; predicting is wait-free apart from that
 * re-check. {@link #close()} fences readers: it waits (with an Agrona {@link IdleStrategy}) for predictions
 * in flight to finish, and later ones throw {@link IllegalStateException}.
 *
 * <p>Memory: a snapshot is the weights packed for the GEMM plus the bias rows, and nothing else. Packing
 * rounds each layer's width up to whole panels of the GEMM's NR floats (8 or 16, by the kernels this JVM
 * chose), so a snapshot takes the 4 bytes per parameter of the float weights, a little more for layers
 * whose width is not a multiple of NR. With {@code W} such bytes and {@code P} open predictors, a model holds
 * {@code (P + 2) × W} bytes off-heap ({@link #snapshotBytes()}), plus each predictor's own scratch (its
 * batch of inputs and activations, and its GEMM context).
 */
public final class SharedModel implements AutoCloseable {
    /** Snapshots beyond one per open predictor: the current one and one to publish into. */
    private static final int SPARES = 2;
    /** Seed of the made-up rows a warm-up predicts. */
    static final long WARM_UP_SEED = 0x5eedL;

    private final MlpSpec spec;
    /** Guarded by this; P + SPARES for P open predictors, until closed. */
    private Snapshot[] snapshots = new Snapshot[SPARES];
    private final IdleStrategy closeIdle = new BackoffIdleStrategy();
    private volatile Snapshot current;
    private volatile Predictor[] predictors = new Predictor[0];
    private volatile boolean closed;
    private long publications;

    private SharedModel(Network initial) {
        this.spec = initial.spec();
        for (int i = 0; i < SPARES; i++) {
            snapshots[i] = new Snapshot(spec);
        }
        snapshots[0].load(initial);
        current = snapshots[0];
    }

    /** A shared model serving a copy of {@code network}'s current weights. */
    public static SharedModel of(Network network) {
        return new SharedModel(network);
    }

    /** The description of the served network. */
    public MlpSpec spec() {
        return spec;
    }

    /** Number of {@link #publish} calls so far. */
    public synchronized long publications() {
        return publications;
    }

    /**
     * A new predictor for one thread, taking batches of up to {@code maxBatch} rows; it allocates its
     * scratch now and nothing per prediction.
     */
    public synchronized Predictor newPredictor(int maxBatch) {
        checkOpen();
        Predictor p = new Predictor(this, maxBatch);
        Snapshot spare;
        try {
            spare = new Snapshot(spec);
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        Snapshot[] more = Arrays.copyOf(snapshots, snapshots.length + 1);
        more[snapshots.length] = spare;
        snapshots = more;
        Predictor[] grown = Arrays.copyOf(predictors, predictors.length + 1);
        grown[grown.length - 1] = p;
        predictors = grown;
        return p;
    }

    /**
     * Off-heap bytes the snapshots hold now: {@code P + 2} for {@code P} open predictors, each the packed weights
     * and the bias rows (see the class comment); 0 once closed. Predictors' scratch is not counted.
     */
    public synchronized long snapshotBytes() {
        long bytes = 0;
        for (Snapshot s : snapshots) {
            bytes += s.byteSize();
        }
        return bytes;
    }

    /**
     * Makes a copy of {@code source}'s parameters the weights every later prediction uses. Call it from
     * the thread that trains {@code source}, between steps. Allocates nothing.
     *
     * @throws IllegalArgumentException if the network's shape differs from this model's
     */
    public synchronized void publish(Network source) {
        checkOpen();
        Network.checkSameShape(spec, source.spec());
        Snapshot target = spareSnapshot();
        target.load(source);
        current = target;
        publications++;
    }

    /**
     * Runs every kernel path this model's predictors take, at batch 1 and at the largest batch of each open
     * predictor, until their latency has settled (the JIT has compiled them) or {@code budget} is spent, so that the
     * first requests of a fresh JVM run at close to the steady speed. Create the serving predictors first, so that
     * their batch sizes are covered.
     *
     * <p>It predicts made-up rows from the current weights with a predictor of its own (scratch memory, closed
     * before it returns): it changes no weights, publication or other predictor, nor what any prediction returns,
     * and may run while other threads predict and publish. It stops at the first check after the budget is spent
     * (one round of calls at most later), and always makes at least one round.
     *
     * @return how many predictions it made, how long it took, the final batch-1 latency and whether it converged
     * @throws IllegalArgumentException if the budget is null, zero or negative
     * @throws IllegalStateException    if the model is closed
     */
    public WarmUp warmUp(Duration budget) {
        WarmUpLoop.checkBudget(budget);
        checkOpen();
        TreeSet<Integer> batches = new TreeSet<>();
        batches.add(1);
        for (Predictor p : predictors) {
            batches.add(p.maxBatch);
        }
        int[] sizes = batches.stream().mapToInt(Integer::intValue).toArray();
        float[][] inputs = new float[sizes.length][];
        float[][] outputs = new float[sizes.length][];
        SeededRandom random = new SeededRandom(WARM_UP_SEED);
        for (int s = 0; s < sizes.length; s++) {
            inputs[s] = new float[sizes[s] * spec.inputWidth()];
            outputs[s] = new float[sizes[s] * spec.outputWidth()];
            for (int i = 0; i < inputs[s].length; i++) {
                inputs[s][i] = (float) random.nextGaussian();
            }
        }
        try (Predictor scratch = newPredictor(sizes[sizes.length - 1])) {
            return WarmUpLoop.run(budget, sizes.length, path -> scratch.predict(inputs[path], outputs[path]));
        }
    }

    /** A snapshot neither current nor announced; one exists since the pool outnumbers the predictors by two. */
    private Snapshot spareSnapshot() {
        Snapshot now = current;
        for (Snapshot candidate : snapshots) {
            if (candidate != now && !announced(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no spare snapshot among " + snapshots.length + " for " + predictors.length
                + " predictors: the pool invariant is broken");
    }

    private boolean announced(Snapshot snapshot) {
        for (Predictor p : predictors) {
            if (p.reading == snapshot) {
                return true;
            }
        }
        return false;
    }

    private boolean anyReading() {
        for (Predictor p : predictors) {
            if (p.reading != null) {
                return true;
            }
        }
        return false;
    }

    /** The snapshot to read now; the caller announces it and re-checks (see the class comment). */
    Snapshot current() {
        return current;
    }

    /** Forgets a closed predictor, and frees a snapshot it no longer needs (none once the model is closed). */
    synchronized void remove(Predictor predictor) {
        Predictor[] now = predictors;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == predictor) {
                if (!closed) {
                    // chosen while the predictor still counts, so that whatever it announced stays
                    dropSnapshot(spareSnapshot());
                }
                Predictor[] shrunk = new Predictor[now.length - 1];
                System.arraycopy(now, 0, shrunk, 0, i);
                System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
                predictors = shrunk;
                return;
            }
        }
    }

    /**
     * Takes a spare out of the pool and frees it. A reader that read it as current earlier may still announce
     * it, but its re-check then fails (it is never current again), so it never reads the freed memory.
     */
    private void dropSnapshot(Snapshot spare) {
        Snapshot[] fewer = new Snapshot[snapshots.length - 1];
        int j = 0;
        for (Snapshot s : snapshots) {
            if (s != spare) {
                fewer[j++] = s;
            }
        }
        snapshots = fewer;
        spare.close();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("shared model used after close()");
        }
    }

    /**
     * Frees the snapshots once the predictions in flight have finished; any prediction started later throws
     * IllegalStateException (close the predictors too). Every snapshot is closed even if closing one fails; the
     * first failure is thrown with the others suppressed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true; // a reader announces, then checks this; we set it, then wait for announcements to clear
        closeIdle.reset();
        while (anyReading()) {
            closeIdle.idle();
        }
        RuntimeException failure = null;
        for (Snapshot s : snapshots) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
