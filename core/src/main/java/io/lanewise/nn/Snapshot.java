package io.lanewise.nn;

import io.lanewise.kernels.gemm.PackedMatrix;
import io.lanewise.memory.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One published set of weights in a {@link SharedModel}: a copy of a network's parameters plus each
 * layer's weights packed once into the GEMM's panel layout, so predictions (batch 1 above all) stream the
 * weights without repacking them per call.
 */
final class Snapshot implements AutoCloseable {
    final Network network;
    final PackedMatrix[] packed;
    private final Arena arena = Arena.ofShared();

    Snapshot(Network shape) {
        this.network = Network.zeros(shape.spec());
        this.packed = new PackedMatrix[network.depth()];
        for (int l = 0; l < packed.length; l++) {
            Matrix w = network.weights(l);
            MemorySegment memory = arena.allocate(PackedMatrix.bytesFor(w.rows(), w.cols()), Matrix.ALIGNMENT_BYTES);
            packed[l] = PackedMatrix.wrap(memory, w.rows(), w.cols());
        }
    }

    /** Copies {@code source}'s parameters and packs its weights. Allocates nothing. */
    void load(Network source) {
        network.copyFrom(source);
        for (int l = 0; l < packed.length; l++) {
            packed[l].pack(network.weights(l), false);
        }
    }

    @Override
    public void close() {
        network.close();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
