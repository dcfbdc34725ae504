package io.lanewise.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
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
 *
 * <p>A block larger than the machine's physical memory is refused up front with an
 * {@link IllegalArgumentException} stating the bytes needed, rather than failing (or being killed) while the
 * operating system tries to provide them. A storage that becomes unreachable without {@link #close()} (with
 * no view of it reachable either) is freed by a {@link Cleaner}: a safety net, not a substitute for closing.
 */
public final class Storage implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Arena arena;
    private final MemorySegment block;
    private final Matrix[] matrices;
    private final Cleaner.Cleanable cleanable;

    @SuppressWarnings("MustBeClosedChecker") // the arena is this storage's, closed by close() or the cleaner
    private Storage(long[] offsets, List<int[]> shapes, long total) {
        this.arena = Arena.ofShared();
        this.block = arena.allocate(Math.max(total, Matrix.ALIGNMENT_BYTES), Matrix.ALIGNMENT_BYTES);
        // The action holds the arena, never this storage, so it cannot keep the storage reachable.
        this.cleanable = CLEANER.register(this, new Release(arena));
        this.matrices = new Matrix[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            int[] shape = shapes.get(i);
            int stride = Matrix.paddedStride(shape[1]);
            matrices[i] = Matrix.wrap(block.asSlice(offsets[i], bytesFor(shape[0], shape[1])), shape[0], shape[1], stride,
                    this);
        }
    }

    /** Closes the arena once: from {@link #close()} or, if that was forgotten, from the Cleaner. */
    private record Release(Arena arena) implements Runnable {
        @Override
        public void run() {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }

    /**
     * Bytes a {@code rows × cols} matrix takes here: whole padded rows.
     *
     * @throws IllegalArgumentException if the shape is not positive or its size does not fit a long
     */
    public static long bytesFor(int rows, int cols) {
        Matrix.checkShape(rows, cols);
        int stride = Matrix.paddedStride(cols);
        if ((long) rows * stride > Long.MAX_VALUE / Matrix.FLOAT_BYTES) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs more than 2^63 bytes");
        }
        return (long) rows * stride * Matrix.FLOAT_BYTES;
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
        cleanable.clean();
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

        /**
         * Allocates the planned matrices in one zeroed, 64-byte aligned block.
         *
         * @throws IllegalArgumentException if the block would be larger than the machine's physical memory
         */
        public Storage allocate() {
            return allocate("the planned matrices");
        }

        /**
         * Allocates the planned matrices in one zeroed, 64-byte aligned block; {@code purpose} (e.g. "a trainer
         * with batch size 128") names what the memory is for in the message if it is refused.
         *
         * @throws IllegalArgumentException if the block would be larger than the machine's physical memory
         */
        public Storage allocate(String purpose) {
            if (shapes.isEmpty()) {
                throw new IllegalStateException("no matrices planned: call matrix(rows, cols) first");
            }
            long[] offsets = new long[shapes.size()];
            long total = 0;
            for (int i = 0; i < shapes.size(); i++) {
                int[] shape = shapes.get(i);
                offsets[i] = total;
                long bytes = bytesFor(shape[0], shape[1]);
                if (bytes > Long.MAX_VALUE - total) {
                    throw new IllegalArgumentException(purpose + " would need more than 2^63 bytes of memory");
                }
                total += bytes;
            }
            MemoryLimit.check(total, purpose);
            return new Storage(offsets, shapes, total);
        }
    }
}
