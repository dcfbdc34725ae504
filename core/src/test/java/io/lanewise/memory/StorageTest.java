package io.lanewise.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StorageTest {

    @Test
    void carvesAlignedDisjointZeroedViewsFromOneBlock() {
        Storage.Builder b = Storage.builder();
        int[][] shapes = {{784, 256}, {1, 256}, {256, 10}, {3, 17}, {1, 1}, {33, 127}};
        int[] slots = new int[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            slots[i] = b.matrix(shapes[i][0], shapes[i][1]);
        }
        try (Storage s = b.allocate()) {
            long expected = 0;
            for (int[] shape : shapes) {
                expected += Storage.bytesFor(shape[0], shape[1]);
            }
            assertEquals(expected, s.byteSize());
            long previousEnd = -1;
            for (int i = 0; i < shapes.length; i++) {
                Matrix m = s.matrix(slots[i]);
                assertEquals(shapes[i][0], m.rows());
                assertEquals(shapes[i][1], m.cols());
                assertEquals(0, m.segment().address() % Matrix.ALIGNMENT_BYTES, "view " + i + " is not 64-byte aligned");
                assertTrue(m.segment().address() > previousEnd, "views overlap");
                previousEnd = m.segment().address() + m.segment().byteSize() - 1;
                for (float v : m.toArray()) {
                    assertEquals(0f, v);
                }
            }
            s.matrix(slots[0]).set(783, 255, 1f);
            assertEquals(0f, s.matrix(slots[1]).get(0, 0));
        }
    }

    @Test
    void rejectsBadShapesAndSlots() {
        Storage.Builder b = Storage.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.matrix(0, 3));
        assertTrue(e.getMessage().contains("0x3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.matrix(3, -1));
        assertThrows(IllegalStateException.class, b::allocate);
        try (Storage s = Storage.ofMatrix(2, 2)) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> s.matrix(1));
            assertTrue(bad.getMessage().contains("expected 0..0"), bad.getMessage());
        }
    }

    @Test
    void closeFreesAndIsIdempotent() {
        Storage s = Storage.ofMatrix(2, 2);
        assertTrue(s.isOpen());
        s.close();
        s.close();
        assertFalse(s.isOpen());
        assertThrows(IllegalStateException.class, () -> s.matrix(0));
    }
}
