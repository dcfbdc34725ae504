package io.lanewise.bench;

import java.util.Arrays;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The latencies of the first calls of a fresh JVM, one by one, and of a later steady stretch: the cold-start
 * harness's measurement ({@link ColdStartRun}). Reports, per bucket of calls (1–10, 11–100, 101–1,000,
 * 1,001–10,000, 10,001–20,000, then the steady stretch), the p50, p99 and maximum through HdrHistogram, and how
 * many calls it took to reach the steady speed.
 */
final class CallLatencies {
    /** Calls timed one by one from the first. */
    static final int FIRST_CALLS = 20_000;
    /** The buckets of calls reported: [from, to), 0-based. */
    private static final int[][] BUCKETS = {{0, 1}, {1, 10}, {10, 100}, {100, 1_000}, {1_000, 10_000},
        {10_000, 20_000}};
    /** A call is at the steady speed when the median of this many calls from it is within {@link #NEAR_STEADY}. */
    private static final int STEADY_WINDOW = 100;
    private static final double NEAR_STEADY = 1.25;

    private final long[] first = new long[FIRST_CALLS];
    private final Histogram steady = new Histogram(3);

    /** Records call {@code index} (0-based, below {@link #FIRST_CALLS}). */
    void first(int index, long nanos) {
        first[index] = nanos;
    }

    /** Records one call of the steady stretch. */
    void steady(long nanos) {
        steady.recordValue(Math.max(1, nanos));
    }

    /** The results as key=value pairs (microseconds), in the order written. */
    void report(Map<String, String> out) {
        for (int[] b : BUCKETS) {
            Histogram h = new Histogram(3);
            for (int i = b[0]; i < b[1]; i++) {
                h.recordValue(Math.max(1, first[i]));
            }
            String name = "calls_" + (b[0] + 1) + "_" + b[1];
            if (b[1] - b[0] == 1) {
                out.put(name + "_us", micros(h.getMaxValue()));
            } else {
                out.put(name + "_p50_us", micros(h.getValueAtPercentile(50)));
                out.put(name + "_p99_us", micros(h.getValueAtPercentile(99)));
                out.put(name + "_max_us", micros(h.getMaxValue()));
            }
        }
        Histogram first1000 = new Histogram(3);
        for (int i = 0; i < 1_000; i++) {
            first1000.recordValue(Math.max(1, first[i]));
        }
        out.put("calls_1_1000_p99_us", micros(first1000.getValueAtPercentile(99)));
        long steadyP50 = steady.getValueAtPercentile(50);
        out.put("steady_calls", Long.toString(steady.getTotalCount()));
        out.put("steady_p50_us", micros(steadyP50));
        out.put("steady_p99_us", micros(steady.getValueAtPercentile(99)));
        out.put("calls_to_steady", Integer.toString(callsToSteady(steadyP50)));
    }

    /**
     * The first call from which the median of {@value #STEADY_WINDOW} calls is within {@value #NEAR_STEADY}× the
     * steady p50; {@link #FIRST_CALLS} if none is.
     */
    private int callsToSteady(long steadyP50) {
        long[] window = new long[STEADY_WINDOW];
        for (int i = 0; i + STEADY_WINDOW <= FIRST_CALLS; i++) {
            System.arraycopy(first, i, window, 0, STEADY_WINDOW);
            Arrays.sort(window);
            if (window[STEADY_WINDOW / 2] <= NEAR_STEADY * steadyP50) {
                return i;
            }
        }
        return FIRST_CALLS;
    }

    static String micros(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e3);
    }
}
