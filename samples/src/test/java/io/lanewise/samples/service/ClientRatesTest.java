package io.lanewise.samples.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test steps by hand, so nothing depends on how fast the machine is. */
class ClientRatesTest {
    private long now;

    @Test
    void aBurstOfTwiceTheRateThenTheRate() {
        ClientRates rates = new ClientRates(2, () -> now);
        for (int i = 0; i < 4; i++) {
            assertTrue(rates.tryAcquire("a"), "burst example " + i);
        }
        assertFalse(rates.tryAcquire("a"), "a fifth example at once");
        now += 499_000_000L;
        assertFalse(rates.tryAcquire("a"), "0.998 of a token after 0.499 s");
        now += 1_000_000L;
        assertTrue(rates.tryAcquire("a"), "one token after 0.5 s at 2 a second");
        assertFalse(rates.tryAcquire("a"));
        now += 3_600_000_000_000L;
        for (int i = 0; i < 4; i++) {
            assertTrue(rates.tryAcquire("a"), "after an hour, the bucket holds the burst again: " + i);
        }
        assertFalse(rates.tryAcquire("a"), "and not more than the burst");
    }

    @Test
    void clientsHaveBucketsOfTheirOwn() {
        ClientRates rates = new ClientRates(0.5, () -> now);
        assertTrue(rates.tryAcquire("a"));
        assertFalse(rates.tryAcquire("a"));
        assertTrue(rates.tryAcquire("b"), "another client's bucket is full");
    }

    @Test
    void zeroIsNoLimitAndBadRatesAreRefused() {
        ClientRates rates = new ClientRates(0, () -> now);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(rates.tryAcquire("a"));
        }
        assertThrows(IllegalArgumentException.class, () -> new ClientRates(-1));
        assertThrows(IllegalArgumentException.class, () -> new ClientRates(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ClientRates(Double.POSITIVE_INFINITY));
    }
}
