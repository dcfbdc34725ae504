package io.lanewise.nn;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;

/**
 * The loop behind every warm-up: rounds of calls, each round calling every path once (a batch size, a training
 * step), each call timed, until {@link Convergence} says the latency has settled or the budget is spent. The first
 * round always runs, so every path has run once whatever the budget; the budget is checked after each round, so a
 * warm-up overruns it by at most one round.
 */
final class WarmUpLoop {
    /** Rounds per window at most (a window also ends after {@link Convergence#WINDOW_NANOS}). */
    private static final int WINDOW_ROUNDS = 4_096;

    /** The work of a warm-up: path {@code path} called once, on scratch memory. */
    interface Paths {
        void call(int path);
    }

    private WarmUpLoop() {
    }

    /**
     * Checks a warm-up budget.
     *
     * @throws IllegalArgumentException if it is null, zero or negative
     */
    static void checkBudget(Duration budget) {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("warm-up budget must be a positive duration, got " + budget);
        }
    }

    /** Runs rounds of {@code paths} paths until converged or {@code budget} is spent. */
    static WarmUp run(Duration budget, int paths, Paths work) {
        long budgetNanos = budget.toNanos();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        Convergence convergence = new Convergence();
        long[] rounds = new long[WINDOW_ROUNDS];
        long[] firstPath = new long[WINDOW_ROUNDS];
        long calls = 0;
        long lastLatency = 0;
        boolean converged = false;
        int n = 0;
        long start = System.nanoTime();
        long windowStart = start;
        while (true) {
            long roundStart = System.nanoTime();
            long first = 0;
            for (int p = 0; p < paths; p++) {
                long t = System.nanoTime();
                work.call(p);
                if (p == 0) {
                    first = System.nanoTime() - t;
                }
            }
            long now = System.nanoTime();
            rounds[n] = now - roundStart;
            firstPath[n] = first;
            n++;
            calls += paths;
            boolean spent = now - start >= budgetNanos;
            if (now - windowStart >= Convergence.WINDOW_NANOS || n == WINDOW_ROUNDS || spent) {
                lastLatency = median(firstPath, n);
                converged = convergence.add(now - start, median(rounds, n), jitTimed ? jit.getTotalCompilationTime() : 0);
                n = 0;
                windowStart = now;
            }
            if (converged || spent) {
                break;
            }
        }
        return new WarmUp(calls, Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(lastLatency), converged);
    }

    /** The median of {@code values[0 .. n)}, which it sorts. */
    private static long median(long[] values, int n) {
        Arrays.sort(values, 0, n);
        return values[n / 2];
    }
}
