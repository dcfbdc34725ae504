package io.lanewise.spark;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many off-heap working sets (a partition's predictor and its model, a task's trainer and its network) this
 * module has open in this JVM: each task opens one and must free it when it ends, also when it fails. Tests
 * read it to prove that.
 */
final class OpenBuffers {
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final AtomicLong EVER = new AtomicLong();

    private OpenBuffers() {
    }

    static void opened() {
        OPEN.incrementAndGet();
        EVER.incrementAndGet();
    }

    static void closed() {
        OPEN.decrementAndGet();
    }

    /** Working sets open now. */
    static int count() {
        return OPEN.get();
    }

    /** Working sets opened since this JVM started. */
    static long openedEver() {
        return EVER.get();
    }
}
