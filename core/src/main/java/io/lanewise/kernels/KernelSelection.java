package io.lanewise.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Chooses, once per JVM, whether kernels run on the Vector API and at which width, as Lucene's
 * VectorizationProvider does. The choice is read by
 * {@code static final} fields of the kernel families so that the JIT inlines through it.
 *
 * <p>The system property {@value #PROPERTY} forces a choice: {@code scalar}, {@code 128}, {@code 256} or
 * {@code 512}; {@code auto} (the default) takes the preferred width of this CPU and JVM (512 on AVX-512,
 * 256 on AVX2 or under {@code -XX:UseAVX=2}, 128 on NEON or under {@code -XX:UseAVX=0}) when the
 * incubator module is present and C2 is available, else falls back to scalar and logs why. Where C2
 * compiles only part of the Vector API (x86 with SSE only), the kernels that need the rest run their
 * scalar twins: see {@code VectorSupport.FULL}.
 */
public final class KernelSelection {
    /** The system property that forces the implementation: auto, scalar, 128, 256 or 512. */
    public static final String PROPERTY = "lanewise.vector";

    /**
     * What the kernels run on.
     *
     * @param bits   the vector width in bits (128, 256 or 512), or 0 when the scalar kernels run
     * @param reason why, for logs and benchmark reports
     */
    public record Choice(int bits, String reason) {
        /** True when the Vector API kernels run. */
        public boolean vectorized() {
            return bits > 0;
        }

        @Override
        public String toString() {
            return (bits == 0 ? "scalar" : "Vector API, " + bits + "-bit")
                    + " (" + reason + ")";
        }
    }

    private static final System.Logger LOG = System.getLogger(KernelSelection.class.getName());
    private static final Choice CHOICE = choose();

    private KernelSelection() {
    }

    /** The choice of this JVM. */
    public static Choice choice() {
        return CHOICE;
    }

    /** The vector width in bits (128, 256 or 512), or 0 when the scalar kernels run. */
    public static int vectorBits() {
        return CHOICE.bits();
    }

    /** True when the Vector API kernels run. */
    public static boolean isVectorized() {
        return CHOICE.vectorized();
    }

    /** Why this choice was made, for logs and benchmark reports. */
    public static String reason() {
        return CHOICE.reason();
    }

    private static Choice choose() {
        String requested = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        Choice choice = switch (requested) {
            case "scalar" -> scalar("forced by -D" + PROPERTY + "=scalar");
            case "128", "256", "512", "auto" -> vectorChoice(requested);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + requested
                    + " is not understood: expected auto, scalar, 128, 256 or 512");
        };
        System.Logger.Level level = !choice.vectorized() && "auto".equals(requested)
                ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
        LOG.log(level, "Lanewise kernels: {0}", choice);
        return choice;
    }

    private static Choice scalar(String reason) {
        return new Choice(0, reason);
    }

    private static Choice vectorChoice(String requested) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return scalar("module jdk.incubator.vector is not present: run with --add-modules jdk.incubator.vector");
        }
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String arg : args) {
            if (arg.equals("-Xint") || arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                return scalar("C2 is disabled (" + arg + "): the Vector API would run interpreted");
            }
        }
        int preferred = io.lanewise.kernels.vector.VectorProbe.preferredBits();
        if (requested.equals("auto")) {
            if (preferred < 128) {
                return scalar("preferred vector width is " + preferred + " bits, below 128");
            }
            return new Choice(Math.min(preferred, 512), "preferred width of this CPU");
        }
        int bits = Integer.parseInt(requested);
        if (bits > preferred) {
            return preferred >= 128
                    ? new Choice(preferred, bits + "-bit requested but this CPU's widest is " + preferred)
                    : scalar(bits + "-bit requested but this CPU's widest is " + preferred);
        }
        return new Choice(bits, "forced by -D" + PROPERTY + "=" + bits);
    }
}
