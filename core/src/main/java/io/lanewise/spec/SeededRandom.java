package io.lanewise.spec;

/**
 * A small, fast, seeded generator (SplitMix64) whose whole state is one {@code long}, so that a
 * checkpoint can save and restore it and a run is reproducible on every JVM. Not thread safe.
 */
public final class SeededRandom {
    private long state;

    /** A generator starting from {@code seed}. */
    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** The whole state; {@link #setState} restores it. */
    public long state() {
        return state;
    }

    /** Restores a state read with {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Box–Muller, one draw per call so the state stays one long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Uniform in [0, bound), unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Shuffles {@code a[0 .. length)} in place (Fisher–Yates). */
    public void shuffle(int[] a, int length) {
        for (int i = length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
