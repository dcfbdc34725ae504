package io.lanewise.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider honours -Dlanewise.vector, which the build sets to run the kernel tests in every mode. */
class KernelSelectionTest {

    @Test
    void honoursTheForcedChoice() {
        String requested = System.getProperty(KernelSelection.PROPERTY, "auto");
        switch (requested) {
            case "scalar" -> {
                assertFalse(KernelSelection.isVectorized());
                assertEquals(0, KernelSelection.vectorBits());
            }
            case "128", "256", "512" ->
                    assertEquals(Integer.parseInt(requested), KernelSelection.vectorBits(), KernelSelection.reason());
            default -> assertTrue(KernelSelection.vectorBits() == 0 || KernelSelection.vectorBits() >= 128,
                    KernelSelection.reason());
        }
        assertFalse(KernelSelection.reason().isBlank());
        KernelSelection.Choice choice = KernelSelection.choice();
        assertEquals(KernelSelection.vectorBits(), choice.bits());
        assertEquals(KernelSelection.isVectorized(), choice.vectorized(), choice.toString());
    }
}
