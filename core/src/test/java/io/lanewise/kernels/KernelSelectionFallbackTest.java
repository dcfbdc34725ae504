package io.lanewise.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.memory.Matrix;
import io.lanewise.memory.Storage;
import io.lanewise.spec.Activation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider's fallbacks, each in a child JVM (the choice is made once per JVM): without the incubator
 * module the scalar kernels run and the vector classes are never loaded; without C2 the scalar kernels
 * run too.
 */
class KernelSelectionFallbackTest {
    /** Runs one kernel through {@link Kernels} and prints which family ran and why. */
    public static final class Child {
        public static void main(String[] args) {
            try (Storage storage = Storage.ofMatrix(3, 17)) {
                Matrix m = storage.matrix(0);
                m.fill(0f);
                Kernels.ACTIVATIONS.forward(Activation.SIGMOID, m, m);
                System.out.println(Kernels.ACTIVATIONS.getClass().getSimpleName() + " " + m.get(2, 16) + " "
                        + KernelSelection.reason());
            }
        }
    }

    @Test
    void withoutTheIncubatorModuleTheScalarKernelsRun() throws Exception {
        String out = runChild(List.of());
        assertTrue(out.startsWith("ScalarActivationKernels 0.5 module jdk.incubator.vector is not present"), out);
    }

    @Test
    void withoutC2TheScalarKernelsRun() throws Exception {
        String out = runChild(List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1"));
        assertTrue(out.startsWith("ScalarActivationKernels 0.5 C2 is disabled"), out);
    }

    private static String runChild(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
