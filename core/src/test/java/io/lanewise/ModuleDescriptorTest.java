package io.lanewise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lanewise.kernels.KernelSelection;
import io.lanewise.nn.Trainer;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor as a module-path user meets it: it resolves against the JDK and Agrona, exports the
 * API and nothing of the kernels' internals, and its classes load and run as a named module.
 */
class ModuleDescriptorTest {
    private static final String MODULE = "io.lanewise.core";

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleLayer layer() throws URISyntaxException {
        ModuleFinder finder = ModuleFinder.of(codeSource(Trainer.class), codeSource(DirectBuffer.class));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.ofSystem(), Set.of(MODULE));
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void exportsTheApiAndNotTheKernelInternals() throws URISyntaxException {
        ModuleDescriptor descriptor = layer().findModule(MODULE).orElseThrow().getDescriptor();
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("io.lanewise.spec", "io.lanewise.memory", "io.lanewise.nn", "io.lanewise.io",
                "io.lanewise.data", "io.lanewise.reference", "io.lanewise.kernels", "io.lanewise.kernels.gemm")), exported);
        Set<String> hidden = new TreeSet<>(descriptor.packages());
        hidden.removeAll(exported);
        assertEquals(Set.of("io.lanewise.kernels.vector", "io.lanewise.kernels.internal"), hidden);
    }

    @Test
    void runsAsANamedModule() throws Exception {
        ModuleLayer layer = layer();
        Module core = layer.findModule(MODULE).orElseThrow();
        ClassLoader loader = layer.findLoader(MODULE);
        Class<?> provider = loader.loadClass("io.lanewise.kernels.KernelSelection");
        assertEquals(core, provider.getModule());
        // The same choice as on the class path: the module brings the incubator module it needs.
        assertEquals(KernelSelection.vectorBits(), provider.getMethod("vectorBits").invoke(null),
                String.valueOf(provider.getMethod("reason").invoke(null)));
        Class<?> support = loader.loadClass("io.lanewise.kernels.vector.VectorSupport");
        assertThrows(IllegalAccessException.class, () -> support.getField("FULL").get(null),
                "a class outside the module reads an unexported package");
    }
}
