package io.lanewise.nn;

import java.time.Duration;
import java.util.Locale;

/**
 * What a warm-up ({@link SharedModel#warmUp}, {@link Trainer#warmUp}) did.
 *
 * @param calls        predictions or training steps made, on scratch memory
 * @param elapsed      wall time the warm-up took
 * @param finalLatency the median time of one call of the first kind (batch 1 for a model, a full-batch step for a
 *                     trainer) over the last stretch measured
 * @param converged    true when the warm-up stopped because the latency had settled and the JIT was idle; false when
 *                     the budget ran out first
 */
public record WarmUp(long calls, Duration elapsed, Duration finalLatency, boolean converged) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d calls in %.0f ms, %s, last latency %.1f µs", calls,
                elapsed.toNanos() / 1e6, converged ? "converged" : "budget spent before it converged",
                finalLatency.toNanos() / 1e3);
    }
}
