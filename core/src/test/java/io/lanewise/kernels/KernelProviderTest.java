package io.lanewise.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider honours -Dlanewise.vector, which the build sets to run the kernel tests in every mode. */
class KernelProviderTest {

    @Test
    void honoursTheForcedChoice() {
        String requested = System.getProperty(KernelProvider.PROPERTY, "auto");
        switch (requested) {
            case "scalar" -> {
                assertFalse(KernelProvider.isVectorized());
                assertEquals(0, KernelProvider.vectorBits());
            }
            case "128", "256", "512" ->
                    assertEquals(Integer.parseInt(requested), KernelProvider.vectorBits(), KernelProvider.reason());
            default -> assertTrue(KernelProvider.vectorBits() == 0 || KernelProvider.vectorBits() >= 128,
                    KernelProvider.reason());
        }
        assertFalse(KernelProvider.reason().isBlank());
        KernelProvider.Choice choice = KernelProvider.choice();
        assertEquals(KernelProvider.vectorBits(), choice.bits());
        assertEquals(KernelProvider.isVectorized(), choice.vectorized(), choice.toString());
    }
}
