package io.lanewise.nn;

import io.lanewise.kernels.gemm.PackedMatrix;
import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.MlpSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One published set of weights in a {@link SharedModel}, in the form predictions read it and no other: each
 * layer's weights packed into the GEMM's panel layout (so batch 1 streams them without repacking per call) and
 * its bias row. {@link #load} packs straight from the source network, so no plain copy of the weights is kept.
 */
final class Snapshot implements AutoCloseable {
    /** Per layer, W (fanIn × width) packed for {@code Gemm.multiply(Matrix, PackedMatrix, ...)}. */
    final PackedMatrix[] weights;
    /** Per layer, the bias row b (1 × width). */
    final Matrix[] biases;
    private final Arena packedMemory = Arena.ofShared();
    private final Storage biasMemory;
    private final long byteSize;

    Snapshot(MlpSpec spec) {
        int depth = spec.depth();
        this.weights = new PackedMatrix[depth];
        this.biases = new Matrix[depth];
        Storage.Builder plan = Storage.builder();
        int[] biasSlots = new int[depth];
        long packedBytes = 0;
        for (int l = 0; l < depth; l++) {
            int fanIn = spec.fanIn(l);
            int width = spec.layers().get(l).width();
            MemorySegment packed = packedMemory.allocate(PackedMatrix.bytesFor(fanIn, width), Matrix.ALIGNMENT_BYTES);
            weights[l] = PackedMatrix.wrap(packed, fanIn, width);
            packedBytes += packed.byteSize();
            biasSlots[l] = plan.matrix(1, width);
        }
        this.biasMemory = plan.allocate("the bias rows of a published snapshot");
        for (int l = 0; l < depth; l++) {
            biases[l] = biasMemory.matrix(biasSlots[l]);
        }
        this.byteSize = packedBytes + biasMemory.byteSize();
    }

    /** Off-heap bytes a snapshot of {@code spec} takes: the packed weights plus the bias rows. */
    static long bytesFor(MlpSpec spec) {
        long bytes = 0;
        for (int l = 0; l < spec.depth(); l++) {
            int width = spec.layers().get(l).width();
            bytes += PackedMatrix.bytesFor(spec.fanIn(l), width) + Storage.bytesFor(1, width);
        }
        return bytes;
    }

    /** Packs {@code source}'s weights and copies its biases; the shapes must match. Allocates nothing. */
    void load(Network source) {
        for (int l = 0; l < weights.length; l++) {
            weights[l].pack(source.weights(l), false);
            biases[l].copyFrom(source.biases(l));
        }
    }

    /** Off-heap bytes held, as allocated (the packed segments and the bias storage); 0 once closed. */
    long byteSize() {
        return isOpen() ? byteSize : 0;
    }

    boolean isOpen() {
        return biasMemory.isOpen();
    }

    /** Frees both allocations, the second even if freeing the first fails; idempotent. */
    @Override
    public void close() {
        try {
            biasMemory.close();
        } finally {
            if (packedMemory.scope().isAlive()) {
                packedMemory.close();
            }
        }
    }
}
