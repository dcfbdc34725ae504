package io.lanewise.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
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
    void sizesThatOverflowAreIllegalArgumentsNotOutOfBounds() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> Storage.ofMatrix(1, Integer.MAX_VALUE));
        assertTrue(wide.getMessage().contains("cols 2147483647"), wide.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> Storage.bytesFor(Integer.MAX_VALUE, Integer.MAX_VALUE - 15));
        assertTrue(huge.getMessage().contains("more than 2^63 bytes"), huge.getMessage());
        Storage.Builder plan = Storage.builder();
        plan.matrix(1 << 30, 1 << 30); // 2^62 bytes each: their sum overflows a long
        plan.matrix(1 << 30, 1 << 30);
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, plan::allocate);
        assertTrue(sum.getMessage().contains("more than 2^63 bytes"), sum.getMessage());
    }

    @Test
    void moreThanPhysicalMemoryIsRefusedStatingTheBytesNeeded() {
        Storage.Builder plan = Storage.builder();
        plan.matrix(1 << 20, 1 << 20); // 4 TiB
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.allocate("a test block"));
        assertTrue(e.getMessage().startsWith("a test block would need 4398046511104 bytes (4096.0 GiB) of off-heap memory, "
                + "more than this machine's"), e.getMessage());
    }

    @Test
    void aForgottenStorageIsFreedOnceNoViewOfItIsReachable() throws InterruptedException {
        Matrix kept = Storage.ofMatrix(4, 4).matrix(0);
        MemorySegment forgotten = Storage.ofMatrix(4, 4).matrix(0).segment();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (forgotten.scope().isAlive() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertFalse(forgotten.scope().isAlive(), "the Cleaner freed a storage nothing refers to");
        assertTrue(kept.isAlive(), "a reachable view keeps its storage");
        kept.set(3, 3, 1f);
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
