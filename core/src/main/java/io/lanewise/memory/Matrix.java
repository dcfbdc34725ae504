package io.lanewise.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A row-major float32 matrix view over off-heap memory: {@code rows × cols} elements, row {@code r}
 * starting {@code r · stride} floats from the view's start. Views carved by {@link Storage} start on a
 * 64-byte boundary and have a stride padded to a whole number of cache lines (16 floats), so every
 * row is aligned for 512-bit loads.
 *
 * <p>A view holds no memory of its own: it is valid while the {@link Storage} (or arena) that owns its
 * segment is open; any use after that throws {@link IllegalStateException}. Reads and writes are not
 * synchronised: one writer at a time, readers after a happens-before edge.
 */
public final class Matrix {
    /** Bytes per element. */
    public static final int FLOAT_BYTES = Float.BYTES;
    /** Alignment of every matrix carved by {@link Storage}, in bytes (one cache line). */
    public static final int ALIGNMENT_BYTES = 64;
    /** Floats per cache line: strides are padded to a multiple of this. */
    public static final int FLOATS_PER_LINE = ALIGNMENT_BYTES / FLOAT_BYTES;

    static final ValueLayout.OfFloat NATIVE_FLOAT = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfFloat LITTLE_ENDIAN_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final int rows;
    private final int cols;
    private final int stride;
    /** The {@link Storage} this view was carved from, kept reachable while the view is (its Cleaner frees it). */
    private final Object owner;

    private Matrix(MemorySegment segment, int rows, int cols, int stride, Object owner) {
        this.segment = segment;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
        this.owner = owner;
    }

    /**
     * A view over caller-owned memory, read and written in native byte order.
     *
     * @param segment the memory, at least {@code ((rows - 1) · stride + cols) · 4} bytes
     * @param rows    number of rows, positive
     * @param cols    number of columns, positive
     * @param stride  floats from one row's start to the next, at least {@code cols}
     * @throws IllegalArgumentException if the shape is not positive, the stride is below {@code cols},
     *                                  or the segment is too small
     */
    public static Matrix wrap(MemorySegment segment, int rows, int cols, int stride) {
        return wrap(segment, rows, cols, stride, null);
    }

    /** A view that keeps {@code owner} reachable as long as the view itself is. */
    static Matrix wrap(MemorySegment segment, int rows, int cols, int stride, Object owner) {
        checkShape(rows, cols);
        if (stride < cols) {
            throw new IllegalArgumentException("stride must be at least cols=" + cols + ", got " + stride);
        }
        long needed = requiredBytes(rows, cols, stride);
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment too small for a " + rows + "x" + cols + " matrix with stride "
                    + stride + ": expected at least " + needed + " bytes, got " + segment.byteSize());
        }
        return new Matrix(wholeRows(segment, 0, rows, stride), rows, cols, stride, owner);
    }

    /**
     * The view's memory: {@code rows} rows of {@code stride} floats from {@code offset}, the last row's padding
     * included where the memory has it. The kernels' masked loads and stores then end inside the segment: one
     * that reaches past its end makes the JDK check the mask lane by lane, and before C2 compiles the kernel, the
     * Java fallback of such a load trapped and was recompiled by C2 about 100 times in a JVM's first 3 seconds
     * (AVX2, AMD EPYC Zen 3).
     */
    private static MemorySegment wholeRows(MemorySegment memory, long offset, int rows, int stride) {
        return memory.asSlice(offset, Math.min(memory.byteSize() - offset, (long) rows * stride * FLOAT_BYTES));
    }

    /**
     * The stride {@link Storage} gives a matrix of {@code cols} columns: rounded up to 16 floats.
     *
     * @throws IllegalArgumentException if cols is not positive or its padded stride does not fit an int
     */
    public static int paddedStride(int cols) {
        if (cols <= 0) {
            throw new IllegalArgumentException("cols must be positive, got " + cols);
        }
        long padded = ((long) cols + FLOATS_PER_LINE - 1) / FLOATS_PER_LINE * FLOATS_PER_LINE;
        if (padded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cols " + cols + " padded to whole cache lines (" + padded
                    + " floats) exceed the largest stride, " + (Integer.MAX_VALUE / FLOATS_PER_LINE * FLOATS_PER_LINE));
        }
        return (int) padded;
    }

    static long requiredBytes(int rows, int cols, int stride) {
        return ((long) (rows - 1) * stride + cols) * FLOAT_BYTES;
    }

    static void checkShape(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** Floats from the start of one row to the start of the next. */
    public int stride() {
        return stride;
    }

    /**
     * The memory behind this view, starting at element (0, 0) and ending after the last row's padding where the
     * memory has it (else after the last element); for kernels.
     */
    public MemorySegment segment() {
        return segment;
    }

    /** True while the memory behind this view has not been freed. */
    public boolean isAlive() {
        return segment.scope().isAlive();
    }

    /** Element (row, col). */
    public float get(int row, int col) {
        checkIndex(row, col);
        return segment.getAtIndex(NATIVE_FLOAT, (long) row * stride + col);
    }

    /** Sets element (row, col). */
    public void set(int row, int col, float value) {
        checkIndex(row, col);
        segment.setAtIndex(NATIVE_FLOAT, (long) row * stride + col, value);
    }

    /** Sets every element (not the padding) to {@code value}. */
    public void fill(float value) {
        checkAlive();
        for (int r = 0; r < rows; r++) {
            long base = (long) r * stride;
            for (int c = 0; c < cols; c++) {
                segment.setAtIndex(NATIVE_FLOAT, base + c, value);
            }
        }
    }

    /**
     * A view of {@code count} consecutive rows starting at {@code first}, sharing this memory.
     *
     * @throws IllegalArgumentException if the rows are not inside this matrix
     */
    public Matrix rowRange(int first, int count) {
        if (first < 0 || count <= 0 || first + count > rows) {
            throw new IllegalArgumentException("rows [" + first + ", " + ((long) first + count)
                    + ") are not inside a matrix of " + rows + " rows");
        }
        long offset = (long) first * stride * FLOAT_BYTES;
        return new Matrix(wholeRows(segment, offset, count, stride), count, cols, stride, owner);
    }

    /** Copies {@code rows · cols} floats, dense row-major, from {@code src} starting at {@code srcOffset}. */
    public void copyFrom(float[] src, int srcOffset) {
        checkAlive();
        checkArray("source", src.length, srcOffset);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(src, srcOffset + r * cols, segment, NATIVE_FLOAT, rowByteOffset(r), cols);
        }
    }

    /** Copies {@code cols} floats from {@code src[srcOffset ...]} into row {@code row}. */
    public void copyRowFrom(int row, float[] src, int srcOffset) {
        checkAlive();
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " is outside a " + shape() + " matrix");
        }
        if (srcOffset < 0 || srcOffset > src.length - cols) {
            throw new IllegalArgumentException("source array too small for a row of " + cols + " floats from offset "
                    + srcOffset + ", array length " + src.length);
        }
        MemorySegment.copy(src, srcOffset, segment, NATIVE_FLOAT, rowByteOffset(row), cols);
    }

    /**
     * Copies {@code src}, which must hold exactly {@code rows · cols} floats, dense row-major.
     *
     * @throws IllegalArgumentException if the array's length is not {@code rows · cols}
     */
    public void copyFrom(float[] src) {
        if (src.length != denseFloats()) {
            throw new IllegalArgumentException("source array does not fit a " + shape() + " matrix: expected " + denseFloats()
                    + " floats, array length " + src.length + " (copyFrom(src, offset) takes a part of a larger array)");
        }
        copyFrom(src, 0);
    }

    /**
     * Copies a dense row-major {@code srcRows × srcCols} array, which must have this matrix's shape.
     *
     * @throws IllegalArgumentException if the shapes differ or the array does not hold exactly that many floats
     */
    public void copyFrom(float[] src, int srcRows, int srcCols) {
        checkSourceShape(src, srcRows, srcCols, rows, cols, "");
        copyFrom(src, 0);
    }

    /**
     * Copies the transpose of a dense row-major {@code srcRows × srcCols} array: element (r, c) of this matrix
     * is {@code src[c · srcCols + r]}. This is how PyTorch's {@code nn.Linear} weight, of shape (out, in), becomes
     * Lanewise's W, of shape (in, out): {@code w.copyTransposedFrom(weight, out, in)}.
     *
     * @throws IllegalArgumentException unless {@code srcRows == cols} and {@code srcCols == rows}, and the array
     *                                  holds exactly that many floats
     */
    public void copyTransposedFrom(float[] src, int srcRows, int srcCols) {
        checkAlive();
        checkSourceShape(src, srcRows, srcCols, cols, rows, " (transposed: this matrix is " + shape() + ")");
        for (int c = 0; c < cols; c++) {
            int from = c * rows;
            for (int r = 0; r < rows; r++) {
                segment.setAtIndex(NATIVE_FLOAT, (long) r * stride + c, src[from + r]);
            }
        }
    }

    /** This matrix transposed, as a new dense row-major {@code cols × rows} array (allocates; not for hot paths). */
    public float[] toTransposedArray() {
        checkAlive();
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * stride;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = segment.getAtIndex(NATIVE_FLOAT, base + c);
            }
        }
        return out;
    }

    /** Copies this matrix, dense row-major, into {@code dst} starting at {@code dstOffset}. */
    public void copyTo(float[] dst, int dstOffset) {
        checkAlive();
        checkArray("destination", dst.length, dstOffset);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(segment, NATIVE_FLOAT, rowByteOffset(r), dst, dstOffset + r * cols, cols);
        }
    }

    /** This matrix as a new dense row-major array (allocates; not for hot paths). */
    public float[] toArray() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        copyTo(out, 0);
        return out;
    }

    /**
     * Copies {@code rows · cols} little-endian float32 values, dense row-major, from {@code src} at
     * byte offset {@code byteOffset}.
     */
    public void copyFrom(MemorySegment src, long byteOffset) {
        checkAlive();
        checkSegment("source", src, byteOffset);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(src, LITTLE_ENDIAN_FLOAT, byteOffset + (long) r * cols * FLOAT_BYTES,
                    segment, NATIVE_FLOAT, rowByteOffset(r), cols);
        }
    }

    /** Copies this matrix as little-endian float32, dense row-major, to {@code dst} at {@code byteOffset}. */
    public void copyTo(MemorySegment dst, long byteOffset) {
        checkAlive();
        checkSegment("destination", dst, byteOffset);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(segment, NATIVE_FLOAT, rowByteOffset(r),
                    dst, LITTLE_ENDIAN_FLOAT, byteOffset + (long) r * cols * FLOAT_BYTES, cols);
        }
    }

    /**
     * Copies {@code rows · cols} little-endian float32 values, dense row-major, from an Agrona buffer at
     * byte {@code index}. (Agrona 2.x on JDK 25 needs
     * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} for its buffers.)
     */
    public void copyFrom(DirectBuffer src, int index) {
        checkAlive();
        checkBuffer("source", src.capacity(), index);
        int i = index;
        for (int r = 0; r < rows; r++) {
            long base = (long) r * stride;
            for (int c = 0; c < cols; c++, i += FLOAT_BYTES) {
                segment.setAtIndex(NATIVE_FLOAT, base + c, src.getFloat(i, ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    /** Copies this matrix as little-endian float32, dense row-major, into an Agrona buffer at byte {@code index}. */
    public void copyTo(MutableDirectBuffer dst, int index) {
        checkAlive();
        checkBuffer("destination", dst.capacity(), index);
        int i = index;
        for (int r = 0; r < rows; r++) {
            long base = (long) r * stride;
            for (int c = 0; c < cols; c++, i += FLOAT_BYTES) {
                dst.putFloat(i, segment.getAtIndex(NATIVE_FLOAT, base + c), ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Copies another matrix of the same shape into this one (strides may differ). */
    public void copyFrom(Matrix src) {
        checkAlive();
        src.checkAlive();
        if (src.rows != rows || src.cols != cols) {
            throw new IllegalArgumentException("shape mismatch: expected " + shape() + ", got " + src.shape());
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(src.segment, src.rowByteOffset(r), segment, rowByteOffset(r), (long) cols * FLOAT_BYTES);
        }
    }

    /** "rows x cols", for messages. */
    public String shape() {
        return rows + "x" + cols;
    }

    @Override
    public String toString() {
        return "Matrix[" + shape() + ", stride " + stride + "]";
    }

    private long rowByteOffset(int row) {
        return (long) row * stride * FLOAT_BYTES;
    }

    private long denseFloats() {
        return (long) rows * cols;
    }

    private void checkIndex(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("element (" + row + ", " + col + ") is outside a " + shape() + " matrix");
        }
    }

    /** Throws IllegalStateException if the memory was freed. */
    public void checkAlive() {
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("matrix " + shape() + " used after its storage was closed");
        }
    }

    private void checkArray(String what, int length, int offset) {
        if (offset < 0 || offset > length || length - offset < denseFloats()) {
            throw new IllegalArgumentException(what + " array too small for a " + shape() + " matrix: expected "
                    + denseFloats() + " floats from offset " + offset + ", array length " + length);
        }
    }

    private static void checkSourceShape(float[] src, int srcRows, int srcCols, int expectedRows, int expectedCols,
            String note) {
        if (srcRows != expectedRows || srcCols != expectedCols) {
            throw new IllegalArgumentException("source shape " + srcRows + "x" + srcCols + " does not match: expected "
                    + expectedRows + "x" + expectedCols + note);
        }
        if (src.length != (long) srcRows * srcCols) {
            throw new IllegalArgumentException("source array of " + src.length + " floats does not hold its stated shape "
                    + srcRows + "x" + srcCols + " (" + (long) srcRows * srcCols + " floats)");
        }
    }

    private void checkSegment(String what, MemorySegment s, long byteOffset) {
        long bytes = denseFloats() * FLOAT_BYTES;
        if (byteOffset < 0 || byteOffset > s.byteSize() || s.byteSize() - byteOffset < bytes) {
            throw new IllegalArgumentException(what + " segment too small for a " + shape() + " matrix: expected "
                    + bytes + " bytes from offset " + byteOffset + ", segment size " + s.byteSize());
        }
    }

    private void checkBuffer(String what, int capacity, int index) {
        long bytes = denseFloats() * FLOAT_BYTES;
        if (index < 0 || index > capacity || capacity - (long) index < bytes) {
            throw new IllegalArgumentException(what + " buffer too small for a " + shape() + " matrix: expected "
                    + bytes + " bytes from index " + index + ", capacity " + capacity);
        }
    }
}
