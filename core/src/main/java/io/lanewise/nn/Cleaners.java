package io.lanewise.nn;

import java.lang.ref.Cleaner;

/** The one Cleaner thread of this package: stops the workers and frees the memory of forgotten trainers and predictors. */
final class Cleaners {
    static final Cleaner CLEANER = Cleaner.create();

    private Cleaners() {
    }
}
