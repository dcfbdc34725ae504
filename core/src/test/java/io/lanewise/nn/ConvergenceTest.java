package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stopping rule of a warm-up, fed made-up windows of 20 ms: latency in µs, JIT time in ms. */
class ConvergenceTest {
    private static final long MS = 1_000_000;
    private static final long US = 1_000;

    /** Feeds windows of 20 ms from {@code fromMs}; each window's latency and JIT milliseconds spent in it. */
    private static int windowsUntilConverged(Convergence c, long fromMs, long[] latencyUs, long[] compileMs,
                                             long[] compileTotal) {
        for (int w = 0; w < latencyUs.length; w++) {
            compileTotal[0] += compileMs[w];
            if (c.add((fromMs + 20L * (w + 1)) * MS, latencyUs[w] * US, compileTotal[0])) {
                return w;
            }
        }
        return -1;
    }

    private static long[] repeat(long value, int count) {
        long[] a = new long[count];
        java.util.Arrays.fill(a, value);
        return a;
    }

    @Test
    void flatLatencyWithAnIdleJitConvergesOnceTheTrailIsLongEnough() {
        Convergence c = new Convergence();
        // The trail is 100 ms (5 windows) and needs a window before it: the sixth window is the first that may stop.
        assertEquals(5, windowsUntilConverged(c, 0, repeat(11, 20), repeat(0, 20), new long[1]));
    }

    @Test
    void aFlatPlateauWhileTheJitCompilesDoesNotConverge() {
        Convergence c = new Convergence();
        long[] compiling = repeat(15, 30); // 75% of each window
        assertTrue(windowsUntilConverged(c, 0, repeat(230, 30), compiling, new long[1]) < 0);
    }

    @Test
    void aPlateauAboveTheBestSeenDoesNotConvergeEvenWithAnIdleJit() {
        Convergence c = new Convergence();
        long[] total = new long[1];
        windowsUntilConverged(c, 0, repeat(64, 5), repeat(20, 5), total); // a first C2 version, 64 µs
        // then deoptimized: back to 230 µs, flat, and the JIT idle
        assertTrue(windowsUntilConverged(c, 100, repeat(230, 40), repeat(0, 40), total) < 0);
    }

    @Test
    void theTrailGrowsWithTheElapsedTime() {
        Convergence c = new Convergence();
        long[] total = new long[1];
        // 1.2 s of falling latency and a busy JIT; then flat and idle. The trail is a quarter of the elapsed time,
        // the flat stretch included, and most of each of its halves must be flat: so it stops after 300-400 ms, not
        // after the 100 ms that suffice at the start.
        long[] falling = new long[60];
        for (int w = 0; w < falling.length; w++) {
            falling[w] = 2_000 - 30L * w;
        }
        assertTrue(windowsUntilConverged(c, 0, falling, repeat(20, 60), total) < 0);
        int at = windowsUntilConverged(c, 1_200, repeat(12, 40), repeat(0, 40), total);
        assertTrue(at >= 14 && at <= 19, "converged " + at + " windows after 1.2 s");
    }

    @Test
    void theTrailStopsGrowingAtOneSecond() {
        Convergence c = new Convergence();
        long[] total = new long[1];
        long[] falling = new long[500]; // 10 s of slowly falling latency
        for (int w = 0; w < falling.length; w++) {
            falling[w] = 100_000 - 100L * w;
        }
        assertTrue(windowsUntilConverged(c, 0, falling, repeat(20, 500), total) < 0);
        // A quarter of 10 s would be 2.5 s; capped at 1 s, of which most of each half flat: 0.8-1 s.
        int at = windowsUntilConverged(c, 10_000, repeat(12, 100), repeat(0, 100), total);
        assertTrue(at >= 39 && at <= 50, "converged " + at + " windows after 10 s");
    }

    @Test
    void oneSlowWindowDoesNotHoldItBack() {
        Convergence c = new Convergence();
        long[] latency = repeat(11, 20);
        latency[3] = 90; // another process took the core for a while
        assertEquals(5, windowsUntilConverged(c, 0, latency, repeat(0, 20), new long[1]));
    }

    @Test
    void aLatencyStillFallingDoesNotConverge() {
        Convergence c = new Convergence();
        long[] falling = new long[40];
        for (int w = 0; w < falling.length; w++) {
            falling[w] = (long) (100_000 * Math.pow(0.95, w));
        }
        assertTrue(windowsUntilConverged(c, 0, falling, repeat(0, 40), new long[1]) < 0);
    }
}
