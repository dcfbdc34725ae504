package io.lanewise.kernels.vector;

import jdk.incubator.vector.VectorShape;

/** Asks the Vector API what this CPU offers; loaded only once the incubator module is known present. */
public final class VectorProbe {
    private VectorProbe() {
    }

    /** The widest vector this CPU and JVM prefer, in bits. */
    public static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }
}
