package io.lanewise.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One off-heap allocation carved into named matrix views, as a C program allocates once (compare
 * llm.c): parameters, gradients, activations and scratch of a network each get a view here.
 *
 * <p>Plan the shapes with a {@link Builder}, then {@link Builder#allocate()} takes one 64-byte aligned
 * block from a shared {@link Arena} and carves it: every view starts on a cache line and has its
 * stride padded to 16 floats. {@link #close()} frees the block; any use of a view afterwards throws
 * {@link IllegalStateException}. The memory starts zeroed. Views may be read from any thread;
 * closing is not thread safe with concurrent use.
 */
public final class Storage implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment block;
    private final Matrix[] matrices;

    @SuppressWarnings("MustBeClosedChecker") // the arena is this storage's, closed by close()
    private Storage(List<int[]> shapes) {
        long total = 0;
        long[] offsets = new long[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            int[] shape = shapes.get(i);
            offsets[i] = total;
            total = Math.addExact(total, bytesFor(shape[0], shape[1]));
        }
        this.arena = Arena.ofShared();
        this.block = arena.allocate(Math.max(total, Matrix.ALIGNMENT_BYTES), Matrix.ALIGNMENT_BYTES);
        this.matrices = new Matrix[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            int[] shape = shapes.get(i);
            int stride = Matrix.paddedStride(shape[1]);
            matrices[i] = Matrix.wrap(block.asSlice(offsets[i], bytesFor(shape[0], shape[1])), shape[0], shape[1], stride);
        }
    }

    /** Bytes a {@code rows × cols} matrix takes here: whole padded rows. */
    public static long bytesFor(int rows, int cols) {
        Matrix.checkShape(rows, cols);
        return (long) rows * Matrix.paddedStride(cols) * Matrix.FLOAT_BYTES;
    }

    /** A builder to plan the matrices of one allocation. */
    public static Builder builder() {
        return new Builder();
    }

    /** A storage holding a single {@code rows × cols} matrix, view 0. */
    public static Storage ofMatrix(int rows, int cols) {
        Builder b = builder();
        b.matrix(rows, cols);
        return b.allocate();
    }

    /**
     * The view planned as {@code slot} (the number {@link Builder#matrix} returned).
     *
     * @throws IllegalArgumentException if no such slot was planned
     * @throws IllegalStateException    if this storage was closed
     */
    public Matrix matrix(int slot) {
        checkOpen();
        if (slot < 0 || slot >= matrices.length) {
            throw new IllegalArgumentException("no matrix slot " + slot + ": expected 0.." + (matrices.length - 1));
        }
        return matrices[slot];
    }

    /** Number of planned matrices. */
    public int size() {
        return matrices.length;
    }

    /** Total bytes allocated. */
    public long byteSize() {
        return block.byteSize();
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** Frees the memory; idempotent. Views used afterwards throw IllegalStateException. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private void checkOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("storage used after close()");
        }
    }

    /** Plans the shapes of one allocation. Not thread safe. */
    public static final class Builder {
        private final List<int[]> shapes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Plans a {@code rows × cols} matrix.
         *
         * @return its slot, to pass to {@link Storage#matrix(int)}
         * @throws IllegalArgumentException if the shape is not positive
         */
        public int matrix(int rows, int cols) {
            Matrix.checkShape(rows, cols);
            shapes.add(new int[] {rows, cols});
            return shapes.size() - 1;
        }

        /** Allocates the planned matrices in one zeroed, 64-byte aligned block. */
        public Storage allocate() {
            if (shapes.isEmpty()) {
                throw new IllegalStateException("no matrices planned: call matrix(rows, cols) first");
            }
            return new Storage(shapes);
        }
    }
}
