package io.lanewise.samples.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: each client may send {@code perSecond} examples a second, in bursts of
 * up to twice that, so that no one client can steer the shared model faster than the others. Buckets of
 * clients quiet for a minute are dropped when there are many, which bounds the memory.
 */
final class ClientRates {
    private static final int MAX_CLIENTS = 10_000;
    private static final long QUIET_NANOS = 60_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long last;
    }

    /** {@code perSecond} examples a second per client; 0 for no limit. */
    ClientRates(double perSecond) {
        this(perSecond, System::nanoTime);
    }

    /** As {@link #ClientRates(double)}, on {@code nanoClock} (tests step it by hand). */
    ClientRates(double perSecond, LongSupplier nanoClock) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("examples per second per client must be finite and >= 0, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.burst = Math.max(1, 2 * perSecond);
        this.nanoClock = nanoClock;
    }

    double perSecond() {
        return perSecond;
    }

    /** Takes one token of {@code client}'s bucket; false if it has none left. */
    boolean tryAcquire(String client) {
        if (perSecond == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (buckets.size() > MAX_CLIENTS) {
            buckets.values().removeIf(b -> now - b.last > QUIET_NANOS);
        }
        Bucket bucket = buckets.computeIfAbsent(client, c -> {
            Bucket b = new Bucket();
            b.tokens = burst;
            b.last = now;
            return b;
        });
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.last) * perSecond / 1e9);
            bucket.last = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }
}
