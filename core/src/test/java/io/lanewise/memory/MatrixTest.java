package io.lanewise.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatrixTest {

    private static float[] sequence(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f - 3f;
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 15, 16, 17, 31, 33, 127, 1000})
    void stridePadsToWholeCacheLines(int cols) {
        int stride = Matrix.paddedStride(cols);
        assertTrue(stride >= cols && stride < cols + 16, "stride " + stride);
        assertEquals(0, stride % 16);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 33, 127})
    void copiesFloatArraysInAndOut(int cols) {
        try (Storage s = Storage.ofMatrix(5, cols)) {
            Matrix m = s.matrix(0);
            float[] in = sequence(5 * cols);
            m.copyFrom(in);
            assertArrayEquals(in, m.toArray());
            assertEquals(in[2 * cols + cols - 1], m.get(2, cols - 1));
            float[] out = new float[5 * cols + 4];
            m.copyTo(out, 4);
            for (int i = 0; i < in.length; i++) {
                assertEquals(in[i], out[i + 4]);
            }
        }
    }

    @Test
    void copiesSingleRowsFromAnArray() {
        try (Storage s = Storage.ofMatrix(3, 17)) {
            Matrix m = s.matrix(0);
            float[] source = sequence(40);
            m.copyRowFrom(2, source, 5);
            assertEquals(source[5], m.get(2, 0));
            assertEquals(source[21], m.get(2, 16));
            assertEquals(0f, m.get(1, 16));
            assertThrows(IllegalArgumentException.class, () -> m.copyRowFrom(0, source, 24));
            assertThrows(IndexOutOfBoundsException.class, () -> m.copyRowFrom(3, source, 0));
        }
    }

    @Test
    void copiesLittleEndianSegmentsAtAnOffset() {
        try (Storage s = Storage.ofMatrix(3, 7); Arena arena = Arena.ofConfined()) {
            Matrix m = s.matrix(0);
            MemorySegment external = arena.allocate(3 * 7 * 4 + 12);
            ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 21; i++) {
                external.set(le, 12 + 4L * i, i + 0.25f);
            }
            m.copyFrom(external, 12);
            assertEquals(20.25f, m.get(2, 6));
            MemorySegment back = arena.allocate(3 * 7 * 4 + 3);
            m.copyTo(back, 3);
            for (int i = 0; i < 21; i++) {
                assertEquals(i + 0.25f, back.get(le, 3 + 4L * i));
            }
        }
    }

    @Test
    void copiesAgronaBuffersAtAnOffset() {
        try (Storage s = Storage.ofMatrix(2, 17)) {
            Matrix m = s.matrix(0);
            UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8 + 34 * 4));
            for (int i = 0; i < 34; i++) {
                buffer.putFloat(8 + 4 * i, -i, ByteOrder.LITTLE_ENDIAN);
            }
            m.copyFrom(buffer, 8);
            assertEquals(-33f, m.get(1, 16));
            UnsafeBuffer out = new UnsafeBuffer(new byte[5 + 34 * 4]);
            m.copyTo(out, 5);
            assertEquals(-20f, out.getFloat(5 + 4 * 20, ByteOrder.LITTLE_ENDIAN));
        }
    }

    @Test
    void rejectsSourcesAndDestinationsTooSmall() {
        try (Storage s = Storage.ofMatrix(4, 4)) {
            Matrix m = s.matrix(0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.copyFrom(new float[15]));
            assertTrue(e.getMessage().contains("expected 16 floats"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.copyTo(new float[16], 1));
            assertThrows(IllegalArgumentException.class, () -> m.copyFrom(new float[20], -1));
            assertThrows(IllegalArgumentException.class, () -> m.copyFrom(new UnsafeBuffer(new byte[63]), 0));
            assertThrows(IllegalArgumentException.class, () -> m.copyTo(new UnsafeBuffer(new byte[64]), 1));
            assertThrows(IllegalArgumentException.class, () -> m.copyFrom(MemorySegment.ofArray(new byte[64]), 8));
        }
    }

    @Test
    void rejectsAWholeArrayLongerThanTheMatrix() {
        try (Storage s = Storage.ofMatrix(4, 4)) {
            Matrix m = s.matrix(0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.copyFrom(new float[17]));
            assertTrue(e.getMessage().contains("expected 16 floats, array length 17"), e.getMessage());
            m.copyFrom(new float[20], 4); // a part of a larger array stays possible, from an offset
        }
    }

    @Test
    void copiesPyTorchLayoutByItsShapeAndRejectsAnotherShape() {
        // nn.Linear(3, 2).weight is (out=2, in=3); Lanewise's W is (in=3, out=2)
        float[] outByIn = {1, 2, 3, 4, 5, 6};
        try (Storage s = Storage.ofMatrix(3, 2)) {
            Matrix w = s.matrix(0);
            w.copyTransposedFrom(outByIn, 2, 3);
            assertEquals(1f, w.get(0, 0));
            assertEquals(4f, w.get(0, 1));
            assertEquals(3f, w.get(2, 0));
            assertEquals(6f, w.get(2, 1));
            assertArrayEquals(outByIn, w.toTransposedArray());
            IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                    () -> w.copyTransposedFrom(outByIn, 3, 2));
            assertTrue(same.getMessage().contains("source shape 3x2 does not match: expected 2x3"), same.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.copyTransposedFrom(new float[7], 2, 3));
            IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> w.copyFrom(outByIn, 2, 3));
            assertTrue(dense.getMessage().contains("expected 3x2"), dense.getMessage());
            w.copyFrom(outByIn, 3, 2);
            assertEquals(2f, w.get(0, 1));
        }
    }

    @Test
    void paddedStrideRefusesWidthsWhosePaddingOverflowsAnInt() {
        assertEquals(Integer.MAX_VALUE - 15, Matrix.paddedStride(Integer.MAX_VALUE - 15));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matrix.paddedStride(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("cols 2147483647"), e.getMessage());
    }

    @Test
    void rejectsElementsOutsideTheShapeEvenInsideThePadding() {
        try (Storage s = Storage.ofMatrix(2, 3)) {
            Matrix m = s.matrix(0);
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> m.set(2, 0, 1f));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(-1, 0));
        }
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        Storage s = Storage.ofMatrix(2, 2);
        Matrix m = s.matrix(0);
        s.close();
        assertFalse(m.isAlive());
        assertThrows(IllegalStateException.class, () -> m.get(0, 0));
        assertThrows(IllegalStateException.class, () -> m.set(0, 0, 1f));
        assertThrows(IllegalStateException.class, () -> m.copyFrom(new float[4]));
        assertThrows(IllegalStateException.class, () -> m.fill(0f));
        assertThrows(IllegalStateException.class, () -> s.matrix(0));
        s.close(); // idempotent
    }

    @Test
    void wrapChecksStrideAndSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * (2 * 10 + 5));
            Matrix m = Matrix.wrap(seg, 3, 5, 10);
            m.set(2, 4, 7f);
            assertEquals(7f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 24));
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(seg, 3, 5, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(seg, 4, 5, 10));
            assertTrue(e.getMessage().contains("expected at least"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(seg, 0, 5, 10));
        }
    }

    @Test
    void rowViewsShareMemory() {
        try (Storage s = Storage.ofMatrix(6, 5)) {
            Matrix m = s.matrix(0);
            Matrix tail = m.rowRange(4, 2);
            tail.set(1, 4, 9f);
            assertEquals(9f, m.get(5, 4));
            assertEquals(m.stride(), tail.stride());
            assertThrows(IllegalArgumentException.class, () -> m.rowRange(5, 2));
            assertThrows(IllegalArgumentException.class, () -> m.rowRange(0, 0));
        }
    }

    @Test
    void fillAndCopyBetweenStrides() {
        try (Arena arena = Arena.ofConfined(); Storage s = Storage.ofMatrix(3, 4)) {
            Matrix wide = Matrix.wrap(arena.allocate(4L * 3 * 9), 3, 4, 9);
            wide.fill(2.5f);
            Matrix packed = s.matrix(0);
            packed.copyFrom(wide);
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f},
                    packed.toArray());
            Matrix other = Matrix.wrap(arena.allocate(4L * 12), 4, 3, 3);
            assertThrows(IllegalArgumentException.class, () -> packed.copyFrom(other));
        }
    }
}
