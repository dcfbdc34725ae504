package io.lanewise.bench;

import io.lanewise.kernels.KernelSelection;
import java.lang.management.ManagementFactory;

/**
 * What a benchmark fork runs at, printed by each benchmark's setup so that every run's output says it:
 * the level {@code lanewise bench --isa} asked for, HotSpot's {@code UseAVX} and {@code MaxVectorSize}, Lanewise's
 * {@link KernelSelection#choice()}, and for OpenBLAS the core it runs and where {@code OPENBLAS_CORETYPE} came from.
 */
final class IsaReport {
    /** Set by {@code lanewise bench} in the JMH runner's environment (inherited by the forks): its --isa. */
    static final String ISA_VARIABLE = "LANEWISE_BENCH_ISA";

    private IsaReport() {
    }

    /** Prints the JVM's level and Lanewise's kernels, after a blank line (JMH's progress line has no newline). */
    static void printLanewise() {
        System.out.println("\n" + level() + "; " + jvm() + "; Lanewise kernels: " + KernelSelection.choice());
    }

    /** The level asked of lanewise bench, or that none was. */
    static String level() {
        String isa = System.getenv(ISA_VARIABLE);
        return isa == null ? "ISA level: not set by lanewise bench --isa" : "ISA level: --isa " + isa;
    }

    /**
     * HotSpot's UseAVX (and where it came from), MaxVectorSize and UseFMA (false under UseAVX=0: the Vector API's
     * fma then runs in Java, not as an instruction), or the architecture where there is no UseAVX.
     */
    static String jvm() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            var avx = hotspot.getVMOption("UseAVX");
            String origin = avx.getOrigin() == com.sun.management.VMOption.Origin.DEFAULT ? "default" : "set";
            return "JVM -XX:UseAVX=" + avx.getValue() + " (" + origin + "), MaxVectorSize="
                    + hotspot.getVMOption("MaxVectorSize").getValue() + ", UseFMA="
                    + hotspot.getVMOption("UseFMA").getValue();
        } catch (RuntimeException | LinkageError e) {
            return "JVM on " + System.getProperty("os.arch") + " (no UseAVX)";
        }
    }

    /**
     * Where OpenBLAS's core type came from: {@code OPENBLAS_CORETYPE}'s value and whether lanewise bench --isa set
     * it, was inherited from the environment, or is unset (OpenBLAS detected the CPU).
     */
    static String openBlasCoreType() {
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        String isa = System.getenv(ISA_VARIABLE);
        if (coreType == null) {
            return "OPENBLAS_CORETYPE unset: OpenBLAS detected the CPU";
        }
        return "OPENBLAS_CORETYPE=" + coreType + (isa == null || isa.equals("auto")
                ? " inherited from the environment, not set by lanewise bench --isa"
                : " set by lanewise bench --isa " + isa);
    }
}
