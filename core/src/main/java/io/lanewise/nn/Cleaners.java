package io.lanewise.nn;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.memory.Storage;
import java.lang.ref.Cleaner;

/** The one Cleaner thread of this package: stops the workers and frees the memory of forgotten trainers and predictors. */
final class Cleaners {
    private static final Cleaner CLEANER = Cleaner.create();

    private Cleaners() {
    }

    /**
     * Registers the release of {@code owner}'s GEMM context and buffers, run once: by {@code clean()} from its
     * {@code close()}, or by the Cleaner if that was forgotten. The action holds the workers and buffers, never
     * the owner, so the owner can become unreachable.
     */
    static Cleaner.Cleanable register(Object owner, Gemm gemm, Storage storage) {
        return CLEANER.register(owner, new Release(gemm, storage));
    }

    /** Stops the GEMM's workers and frees its buffers, then the storage. */
    private record Release(Gemm gemm, Storage storage) implements Runnable {
        @Override
        public void run() {
            try {
                gemm.close();
            } finally {
                storage.close();
            }
        }
    }
}
