package io.lanewise.kernels.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lanewise.kernels.KernelSelection;
import io.lanewise.kernels.vector.VectorSupport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every vector operation in the kernels' C2 code is an intrinsic, on the ISA level this JVM runs at (the
 * build runs this test at the default level, under {@code -XX:UseAVX=2} and under {@code -XX:UseAVX=0}).
 * A vector operation that C2 does not intrinsify runs the Vector API's Java fallback: a loop over lanes on
 * boxed vectors, 10–100× slower. The allocation tests do not see it where escape analysis removes the boxes,
 * and whether it happens depends on the CPU (masked stores need AVX or predicate registers), on the species
 * being a constant, and on which helpers C2 inlines. So this test looks at what C2 did: it runs
 * {@link KernelWorkload} in a child JVM with this JVM's ISA flags and {@code -XX:+PrintInlining}, and fails
 * on any C2 compilation of our code where
 * <ul>
 *   <li>a {@code jdk.internal.vm.vector.VectorSupport} intrinsic was not applied ("failed to inline
 *       (intrinsic)", or "callee is too large" when C2 did not even try);</li>
 *   <li>a Vector API call had "no static binding": C2 could not see which vector class it was, so the
 *       vector is a heap object;</li>
 *   <li>one of our methods that takes or returns a vector was not inlined: the vector crosses a call as a
 *       heap object.</li>
 * </ul>
 */
class IntrinsicPathTest {
    /** Rounds of the workload: enough for C2 to compile every kernel at every level. */
    private static final int ROUNDS = 3000;
    /** C2 compilations of one method (on-stack replacements counted apart) that still mean a settled method. */
    private static final int MAX_C2_COMPILATIONS = 6;

    /** A vector class of one size, such as {@code jdk.incubator.vector.Float512Vector$Float512Mask}: its bits. */
    private static final Pattern SHAPED_VECTOR_CLASS =
            Pattern.compile("jdk\\.incubator\\.vector\\.(?:Byte|Short|Int|Long|Float|Double)(\\d+|Max)Vector");

    private static List<CompilationLog.Compilation> c2;
    /** C2's compilations of our methods and of the Vector API's (its Java fallbacks, compiled on their own). */
    private static List<CompilationLog.Compilation> c2WithVectorApi;
    /** PrintCompilation's lines where a JIT tier gave up on a method of ours. */
    private static List<String> skipped;

    @BeforeAll
    static void runWorkload() throws IOException, InterruptedException {
        assumeTrue(KernelSelection.isVectorized(), "scalar kernels: no vector operations to check");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation", "-XX:+PrintInlining"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:UseAVX=") || arg.startsWith("-XX:MaxVectorSize=")) {
                command.add(arg);
            }
        }
        for (String property : List.of(KernelSelection.PROPERTY, VectorSupport.MASKED_MEMORY_PROPERTY)) {
            String forced = System.getProperty(property);
            if (forced != null) {
                command.add("-D" + property + "=" + forced);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelWorkload.class.getName(),
                Integer.toString(ROUNDS)));
        Path log = Files.createTempFile("lanewise-inlining", ".txt");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the workload did not finish");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), () -> tail(output));
            assertTrue(output.contains("done finite"), () -> tail(output));
            // A transient skip (classes loading meanwhile) is retried; any other reason is the method's own.
            skipped = output.lines()
                    .filter(line -> line.contains("io.lanewise.") && line.contains("COMPILE SKIPPED")
                            && !line.contains("concurrent class loading"))
                    .toList();
            c2WithVectorApi = CompilationLog.parse(output).stream().filter(c -> c.tier() == 4
                    && (c.method().startsWith("io.lanewise.") || c.method().startsWith("jdk.incubator.vector.")
                    || c.method().startsWith("jdk.internal.vm.vector."))).toList();
            c2 = c2WithVectorApi.stream().filter(c -> c.method().startsWith("io.lanewise.")).toList();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void c2CompiledTheHotKernels() {
        Set<String> compiled = c2.stream().map(CompilationLog.Compilation::method).collect(Collectors.toSet());
        for (String kernel : List.of(
                "io.lanewise.kernels.vector.VectorOptimizerKernels::adamRule",
                "io.lanewise.kernels.vector.VectorOptimizerKernels::momentumRule",
                "io.lanewise.kernels.vector.VectorLossKernels::softmaxCrossEntropy",
                "io.lanewise.kernels.vector.VectorReductionKernels::columnSums",
                "io.lanewise.kernels.gemm.GemmLoops::block")) {
            assertTrue(compiled.contains(kernel), () -> kernel + " was not compiled by C2; C2 compiled " + new TreeSet<>(compiled));
        }
    }

    /**
     * No tier gives up on a method of ours. When C1 cannot compile a kernel (too many values live at once: "out of
     * virtual registers"), it runs interpreted, its vectors in the Java fallback, until C2 compiles it, which may
     * be never: a 16-lane transpose with 16 masked stores did that, and GemmAllocationTest saw 57 MB per 200 rounds.
     */
    @Test
    void everyTierCompilesOurMethods() {
        assertTrue(skipped.isEmpty(), () -> skipped.size() + " compilations of our methods given up ("
                + KernelSelection.choice() + "):\n" + String.join("\n", skipped));
    }

    /**
     * C2 compiles each method of ours, and of the Vector API, a few times at most (once, again for on-stack
     * replacement, again after a speculation failed once), not over and over. A speculation that fails every time
     * C2 makes it again is a loop of compile, trap and recompile, with the method back in slower tiers in between.
     * Two were found: the scalar panel copy read the source behind a column test, C2 hoisted the read's bounds
     * check out of the loop for all columns, and the last panel of a segment failed it (50 C2 compilations in 3
     * seconds, NEON's case); and the JDK's Java fallback of a masked load, which has the same shape and runs while
     * our kernels are in C1, failed it on our masked loads past a segment's end ({@code VectorSupport::loadMasked}
     * compiled 42 times in this workload, AVX2).
     */
    @Test
    void c2CompilesEachMethodAFewTimes() {
        Map<String, Long> times = c2WithVectorApi.stream().collect(Collectors.groupingBy(Object::toString,
                TreeMap::new, Collectors.counting()));
        List<String> again = times.entrySet().stream().filter(e -> e.getValue() > MAX_C2_COMPILATIONS)
                .map(e -> e.getKey() + ": " + e.getValue() + " times").toList();
        assertTrue(again.isEmpty(), () -> again.size() + " methods compiled by C2 more than " + MAX_C2_COMPILATIONS
                + " times (" + KernelSelection.choice() + "):\n" + String.join("\n", again));
    }

    @Test
    void everyVectorOperationInC2CodeIsAnIntrinsic() {
        List<String> offPath = new ArrayList<>();
        for (CompilationLog.Compilation compilation : c2) {
            for (CompilationLog.Call call : compilation.calls()) {
                if (!call.inlined() && offTheIntrinsicPath(call)) {
                    offPath.add(compilation + " -> " + call);
                }
            }
        }
        assertTrue(offPath.isEmpty(), () -> offPath.size() + " vector calls off the intrinsic path in C2 code ("
                + KernelSelection.choice() + "):\n" + offPath.stream().distinct().collect(Collectors.joining("\n")));
    }

    /**
     * The kernels' C2 code uses vectors of one shape, the species {@link VectorSupport#FLOATS} chose: no vector
     * class of another size (Float256Vector where the kernels run Float512Vector, say). The Vector API's own
     * methods are shared by every shape, so a second shape in the JVM gives their type profiles two receiver
     * classes; vector results of intrinsics have no exact class until C2 inlines those intrinsics late, so C2
     * compiled such calls as a type switch over both classes, and the vectors on it were boxed: the warm Adam step
     * allocated 80 bytes per stored vector of GemmLoops.finish in 2 forks of 20 (AVX-512, AMD EPYC), while the
     * transpose ran 8-lane vectors beside the kernels' 16-lane ones.
     */
    @Test
    void c2CodeUsesOneVectorShape() {
        String ours = Integer.toString(VectorSupport.FLOATS.vectorBitSize());
        List<String> found = new ArrayList<>();
        for (CompilationLog.Compilation compilation : c2) {
            for (CompilationLog.Call call : compilation.calls()) {
                Matcher vectorClass = SHAPED_VECTOR_CLASS.matcher(call.callee());
                if (vectorClass.lookingAt() && !vectorClass.group(1).equals(ours)) {
                    found.add(compilation + " -> " + call);
                }
            }
        }
        assertTrue(found.isEmpty(), () -> found.size() + " calls on vectors of another shape than " + ours
                + " bits in C2 code (" + KernelSelection.choice() + "):\n"
                + found.stream().distinct().collect(Collectors.joining("\n")));
    }

    /**
     * Where {@link VectorSupport#MASKED_MEMORY} is false, as on NEON (AArch64 without SVE), the kernels' C2 code
     * uses only vector operations NEON's C2 compiles: no masked loads or stores, and no masks built from bits
     * ({@code fromLong}, which needs SVE's bit permutes) or from one boolean ({@code maskAll}). This machine
     * compiles them all, so the intrinsic test above cannot see them; the build runs this one with masked memory
     * off (the kernels-neon execution), NEON's case, on x86.
     */
    @Test
    void c2CodeUsesOnlyWhatNeonCompiles() {
        // Elsewhere the JDK's masked loads and stores call maskAll themselves.
        assumeTrue(!VectorSupport.MASKED_MEMORY, "masked memory on: not NEON's case");
        List<String> forbidden = List.of("jdk.incubator.vector.VectorMask::fromLong", "::maskAll",
                "jdk.internal.vm.vector.VectorSupport::loadMasked", "jdk.internal.vm.vector.VectorSupport::storeMasked");
        List<String> found = new ArrayList<>();
        for (CompilationLog.Compilation compilation : c2) {
            for (CompilationLog.Call call : compilation.calls()) {
                if (forbidden.stream().anyMatch(call.callee()::contains)) {
                    found.add(compilation + " -> " + call);
                }
            }
        }
        assertTrue(found.isEmpty(), () -> found.size() + " calls NEON's C2 does not compile, in C2 code ("
                + KernelSelection.choice() + ", masked memory off):\n"
                + found.stream().distinct().collect(Collectors.joining("\n")));
    }

    /** Whether a call that was not inlined leaves a vector operation to the Java fallback or boxes a vector. */
    static boolean offTheIntrinsicPath(CompilationLog.Call call) {
        String callee = call.callee();
        if (callee.startsWith("jdk.internal.vm.vector.VectorSupport::")) {
            return true;
        }
        if (callee.startsWith("jdk.incubator.vector.")) {
            // Exceptions' constructors and throwing paths are cold by design.
            return call.message().contains("no static binding");
        }
        return callee.startsWith("io.lanewise.") && takesOrReturnsVectors(callee);
    }

    private static boolean takesOrReturnsVectors(String callee) {
        String className = callee.substring(0, callee.indexOf("::"));
        String name = callee.substring(callee.indexOf("::") + 2);
        try {
            for (Method m : Class.forName(className, false, IntrinsicPathTest.class.getClassLoader()).getDeclaredMethods()) {
                if (m.getName().equals(name) && (isVectorType(m.getReturnType())
                        || Arrays.stream(m.getParameterTypes()).anyMatch(IntrinsicPathTest::isVectorType))) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the log names a class that is not on the class path: " + className, e);
        }
    }

    private static boolean isVectorType(Class<?> type) {
        return type.getPackageName().equals("jdk.incubator.vector");
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
