package io.lanewise.samples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lanewise bench --isa}: the x86 instruction-set level the benchmarks run at, for the JVM (HotSpot's
 * {@code -XX:UseAVX}, which sets the Vector API's width and so Lanewise's kernels) and for OpenBLAS (its
 * {@code OPENBLAS_CORETYPE}, read when the library loads; JMH's forks inherit the environment).
 *
 * <table>
 *   <caption>The levels</caption>
 *   <tr><th>--isa</th><th>JVM</th><th>OPENBLAS_CORETYPE</th><th>CPU flags required</th></tr>
 *   <tr><td>auto</td><td>(its default)</td><td>(removed: OpenBLAS detects the CPU)</td><td>-</td></tr>
 *   <tr><td>avx512</td><td>-XX:UseAVX=3</td><td>SkylakeX</td><td>avx512f avx512bw avx512dq avx512vl</td></tr>
 *   <tr><td>avx2</td><td>-XX:UseAVX=2</td><td>Haswell</td><td>avx2 fma</td></tr>
 *   <tr><td>sse</td><td>-XX:UseAVX=0</td><td>Nehalem</td><td>sse4_2</td></tr>
 * </table>
 *
 * <p>SkylakeX rather than Cooperlake (what OpenBLAS 0.3.31 detects on AVX-512 CPUs with BF16, such as Zen 4/5):
 * its SGEMM kernels are the same, and it runs on every AVX-512 CPU (Ice Lake has no BF16). Haswell rather than
 * Zen: the same AVX2/FMA kernels, vendor-neutral. A level this CPU lacks is an error, not a run at another level
 * (HotSpot would lower {@code UseAVX} with a warning, and OpenBLAS may crash or fall back).
 */
enum IsaLevel {
    AUTO(null, null),
    AVX512(3, "SkylakeX", "avx512f", "avx512bw", "avx512dq", "avx512vl"),
    AVX2(2, "Haswell", "avx2", "fma"),
    SSE(0, "Nehalem", "sse4_2");

    /** The environment variable OpenBLAS reads to choose its kernels instead of detecting the CPU. */
    static final String OPENBLAS_CORETYPE = "OPENBLAS_CORETYPE";

    /** The environment variable that tells the benchmarks' setup which level lanewise bench asked for. */
    static final String LEVEL_VARIABLE = "LANEWISE_BENCH_ISA";

    private final Integer useAvx;
    private final String openBlasCore;
    private final List<String> cpuFlags;

    IsaLevel(Integer useAvx, String openBlasCore, String... cpuFlags) {
        this.useAvx = useAvx;
        this.openBlasCore = openBlasCore;
        this.cpuFlags = List.of(cpuFlags);
    }

    /** The name on the command line: auto, avx512, avx2, sse. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The flags this level adds to the JMH runner and its forks: {@code -XX:UseAVX=N}, or none for auto. */
    List<String> jvmFlags() {
        return useAvx == null ? List.of() : List.of("-XX:UseAVX=" + useAvx);
    }

    /** The OpenBLAS core this level forces, or null for auto (detected). */
    String openBlasCore() {
        return openBlasCore;
    }

    /**
     * Sets {@value #OPENBLAS_CORETYPE} in the child's environment: this level's core, or none for auto, so
     * that OpenBLAS detects the CPU as the JVM does (an inherited value would pin it, e.g. to Haswell on an
     * AVX-512 CPU); and {@value #LEVEL_VARIABLE} to this level's name, which the benchmarks print.
     *
     * @return what was done, for a line on standard error, or null when nothing is worth saying
     */
    String applyTo(Map<String, String> environment) {
        String inherited = environment.get(OPENBLAS_CORETYPE);
        environment.put(LEVEL_VARIABLE, optionName());
        if (openBlasCore == null) {
            environment.remove(OPENBLAS_CORETYPE);
            return inherited == null ? null : "--isa auto: " + OPENBLAS_CORETYPE + "=" + inherited
                    + " of the environment removed, so OpenBLAS detects this CPU as the JVM does "
                    + "(--isa avx512|avx2|sse pins both)";
        }
        environment.put(OPENBLAS_CORETYPE, openBlasCore);
        return "--isa " + optionName() + ": forks run with " + String.join(" ", jvmFlags()) + ", "
                + OPENBLAS_CORETYPE + "=" + openBlasCore;
    }

    /**
     * Throws unless this level can run on a CPU of architecture {@code osArch} with the {@code /proc/cpuinfo}
     * flags given ({@code null}: unknown, then {@code jvmUseAvx}, the UseAVX this JVM chose, decides).
     *
     * @throws IllegalArgumentException saying why, and the highest level this CPU has
     */
    void requireSupported(String osArch, Set<String> flags, Integer jvmUseAvx) {
        if (this == AUTO) {
            return;
        }
        if (!osArch.equals("amd64") && !osArch.equals("x86_64")) {
            throw new IllegalArgumentException("--isa " + optionName() + " is an x86 level and this CPU is " + osArch
                    + ": only --isa auto applies here");
        }
        if (flags != null) {
            List<String> missing = cpuFlags.stream().filter(f -> !flags.contains(f)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("--isa " + optionName() + " needs CPU flags "
                        + String.join(" ", cpuFlags) + "; this CPU lacks " + String.join(" ", missing)
                        + highest(flags, null));
            }
        } else if (jvmUseAvx != null && jvmUseAvx < useAvx) {
            throw new IllegalArgumentException("--isa " + optionName() + " needs -XX:UseAVX=" + useAvx
                    + " and this JVM runs at UseAVX=" + jvmUseAvx + " on this CPU" + highest(null, jvmUseAvx));
        }
    }

    private static String highest(Set<String> flags, Integer jvmUseAvx) {
        for (IsaLevel level : List.of(AVX512, AVX2, SSE)) {
            if (flags != null ? flags.containsAll(level.cpuFlags) : jvmUseAvx >= level.useAvx) {
                return " (its highest level is --isa " + level.optionName() + ")";
            }
        }
        return " (it has none of the levels: use --isa auto)";
    }

    /** {@link #requireSupported} for this machine: os.arch, /proc/cpuinfo, else this JVM's UseAVX. */
    void requireSupportedHere() {
        requireSupported(System.getProperty("os.arch", ""), cpuFlags(Path.of("/proc/cpuinfo")), jvmUseAvx());
    }

    /** The flags of the first processor in a Linux {@code /proc/cpuinfo}, or null when there is none. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** This JVM's UseAVX (HotSpot on x86), or null. */
    private static Integer jvmUseAvx() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.valueOf(hotspot.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Parses {@code --isa}'s value, case-insensitively. */
    static final class Converter implements ITypeConverter<IsaLevel> {
        @Override
        public IsaLevel convert(String value) {
            for (IsaLevel level : values()) {
                if (level.optionName().equalsIgnoreCase(value.trim())) {
                    return level;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a level: expected auto, avx512, avx2 or sse");
        }
    }
}
