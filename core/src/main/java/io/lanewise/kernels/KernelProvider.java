package io.lanewise.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Chooses, once per JVM, whether kernels run on the Vector API and at which width, as Lucene's
 * VectorizationProvider does. The choice is read by {@code static final} fields of the kernel
 * families so that the JIT inlines through it.
 *
 * <p>The system property {@value #PROPERTY} forces a choice: {@code scalar}, {@code 256} or {@code 512};
 * {@code auto} (the default) takes the preferred width of this CPU when the incubator module is
 * present, C2 is available, and vectors hold at least 8 floats, else falls back to scalar and logs why.
 */
public final class KernelProvider {
    /** The system property that forces the implementation: auto, scalar, 256 or 512. */
    public static final String PROPERTY = "lanewise.vector";

    private static final System.Logger LOG = System.getLogger(KernelProvider.class.getName());
    private static final String[] CHOICE = choose();
    private static final int BITS = Integer.parseInt(CHOICE[0]);

    private KernelProvider() {
    }

    /** The vector width in bits (256 or 512), or 0 when the scalar kernels run. */
    public static int vectorBits() {
        return BITS;
    }

    /** True when the Vector API kernels run. */
    public static boolean isVectorized() {
        return BITS > 0;
    }

    /** Why this choice was made, for logs and benchmark reports. */
    public static String reason() {
        return CHOICE[1];
    }

    private static String[] choose() {
        String requested = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        String[] choice = switch (requested) {
            case "scalar" -> new String[] {"0", "forced by -D" + PROPERTY + "=scalar"};
            case "256", "512", "auto" -> vectorChoice(requested);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + requested
                    + " is not understood: expected auto, scalar, 256 or 512");
        };
        System.Logger.Level level = "0".equals(choice[0]) && "auto".equals(requested)
                ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
        LOG.log(level, "Lanewise kernels: {0}", describe(choice));
        return choice;
    }

    private static String describe(String[] choice) {
        return ("0".equals(choice[0]) ? "scalar" : "Vector API, " + choice[0] + "-bit") + " (" + choice[1] + ")";
    }

    private static String[] vectorChoice(String requested) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new String[] {"0", "module jdk.incubator.vector is not present: run with --add-modules jdk.incubator.vector"};
        }
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String arg : args) {
            if (arg.equals("-Xint") || arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                return new String[] {"0", "C2 is disabled (" + arg + "): the Vector API would run interpreted"};
            }
        }
        int preferred = io.lanewise.kernels.vector.VectorProbe.preferredBits();
        if (requested.equals("auto")) {
            if (preferred < 256) {
                return new String[] {"0", "preferred vector width is " + preferred + " bits, below 256"};
            }
            int bits = Math.min(preferred, 512);
            return new String[] {Integer.toString(bits), "preferred width of this CPU"};
        }
        int bits = Integer.parseInt(requested);
        if (bits > preferred) {
            return new String[] {Integer.toString(Math.max(preferred, 0) >= 256 ? preferred : 0),
                    bits + "-bit requested but this CPU's widest is " + preferred};
        }
        return new String[] {Integer.toString(bits), "forced by -D" + PROPERTY + "=" + bits};
    }
}
