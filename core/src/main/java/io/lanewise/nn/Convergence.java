package io.lanewise.nn;

import java.util.Arrays;

/**
 * When a warm-up may stop: fed the median latency of each stretch of calls (a window) and the JIT's total
 * compilation time, it says converged once, over a trailing stretch as long as a quarter of the warm-up so far (at
 * least {@value #MIN_TRAIL_NANOS} ns),
 * <ul>
 *   <li>the window medians lie within {@value #FLAT}× of each other (flat),</li>
 *   <li>they are within {@value #NEAR_BEST}× of the best window seen (not stuck after a deoptimization), and</li>
 *   <li>the JIT spent at most {@value #QUIET} of that stretch compiling (idle).</li>
 * </ul>
 * Why both signals: a fresh JVM's latency passes through plateaus (interpreter, C1 with profiling, a first C2
 * version that may be deoptimized) that stay flat for a hundred milliseconds or more while C2 is still compiling the
 * code that will replace them; and the JIT can be idle for a while in a plateau too, before a counter crosses the
 * next threshold. The trail that grows with the elapsed time waits out plateaus in proportion to how long the
 * warm-up has already taken. Not thread safe.
 */
final class Convergence {
    /** A window lasts at least this long. */
    static final long WINDOW_NANOS = 20_000_000;
    /** The shortest trailing stretch judged. */
    static final long MIN_TRAIL_NANOS = 100_000_000;
    /** The trailing stretch is at least the elapsed time divided by this. */
    static final int TRAIL_DIVISOR = 4;
    /** Largest ratio of the slowest to the fastest window in the trail. */
    static final double FLAT = 1.10;
    /** Largest ratio of the trail's fastest window to the fastest window of the whole warm-up. */
    static final double NEAR_BEST = 1.5;
    /** Largest share of the trail the JIT may spend compiling. */
    static final double QUIET = 0.10;

    private long[] ends = new long[64];
    private long[] medians = new long[64];
    private long[] compileMillis = new long[64];
    private int count;
    private long best = Long.MAX_VALUE;

    /**
     * Records a window.
     *
     * @param endNanos            when it ended, in nanoseconds since the warm-up started (increasing)
     * @param medianNanos         the median latency of its calls
     * @param compileMillisTotal  the JIT's total compilation time when it ended (0 throughout if unknown)
     * @return whether the warm-up has converged
     */
    boolean add(long endNanos, long medianNanos, long compileMillisTotal) {
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, 2 * count);
            medians = Arrays.copyOf(medians, 2 * count);
            compileMillis = Arrays.copyOf(compileMillis, 2 * count);
        }
        ends[count] = endNanos;
        medians[count] = medianNanos;
        compileMillis[count] = compileMillisTotal;
        count++;
        best = Math.min(best, medianNanos);
        long trail = Math.max(MIN_TRAIL_NANOS, endNanos / TRAIL_DIVISOR);
        int before = count - 1; // the last window that ended at least a trail ago: the trail is the windows after it
        while (before >= 0 && ends[before] > endNanos - trail) {
            before--;
        }
        if (before < 0 || count - 1 - before < 3) {
            return false;
        }
        long fastest = Long.MAX_VALUE;
        long slowest = 0;
        for (int w = before + 1; w < count; w++) {
            fastest = Math.min(fastest, medians[w]);
            slowest = Math.max(slowest, medians[w]);
        }
        long compiling = compileMillisTotal - compileMillis[before];
        return slowest <= FLAT * fastest && fastest <= NEAR_BEST * best
                && compiling * 1_000_000.0 <= QUIET * (endNanos - ends[before]);
    }
}
