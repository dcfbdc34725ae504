package io.lanewise.nn;

import java.util.Arrays;

/**
 * When a warm-up may stop: fed the median latency of each stretch of calls (a window) and the JIT's total
 * compilation time, it says converged once, over a trailing stretch as long as a quarter of the warm-up so far
 * (between {@value #MIN_TRAIL_NANOS} and {@value #MAX_TRAIL_NANOS} ns),
 * <ul>
 *   <li>the latency no longer moves: the median window of the trail's newer half is within {@value #FLAT}× of the
 *       median window of its older half, either way (medians, so that one window slowed by another process does
 *       not count);</li>
 *   <li>it is within {@value #NEAR_BEST}× of the best window seen (not stuck after a deoptimization); and</li>
 *   <li>the JIT spent at most {@value #QUIET} of the trail compiling (idle).</li>
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
    /** The longest trailing stretch judged. */
    static final long MAX_TRAIL_NANOS = 1_000_000_000;
    /** The trailing stretch is the elapsed time divided by this, within the bounds above. */
    static final int TRAIL_DIVISOR = 4;
    /** Largest ratio between the median windows of the trail's two halves. */
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
        long trail = Math.min(MAX_TRAIL_NANOS, Math.max(MIN_TRAIL_NANOS, endNanos / TRAIL_DIVISOR));
        int before = count - 1; // the last window that ended at least a trail ago: the trail is the windows after it
        while (before >= 0 && ends[before] > endNanos - trail) {
            before--;
        }
        int windows = count - 1 - before;
        if (before < 0 || windows < 4) {
            return false;
        }
        int half = windows / 2;
        long older = median(before + 1, before + 1 + half);
        long newer = median(count - half, count);
        long compiling = compileMillisTotal - compileMillis[before];
        return newer <= FLAT * older && older <= FLAT * newer && newer <= NEAR_BEST * best
                && compiling * 1_000_000.0 <= QUIET * (endNanos - ends[before]);
    }

    private long median(int from, int to) {
        long[] part = Arrays.copyOfRange(medians, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }
}
