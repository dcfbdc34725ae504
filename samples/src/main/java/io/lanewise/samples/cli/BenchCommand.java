package io.lanewise.samples.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanewise bench}: runs the JMH benchmarks of {@code bench/target/benchmarks.jar} in a child JVM (the same
 * java binary, with the flags our code needs, passed on to JMH's forks too), with this process's standard streams,
 * and returns the child's exit status. Arguments it does not know go to JMH unchanged and in order, so every JMH
 * option works; the parser must treat unknown options as positional ({@link Commands#commandLine()} sets that).
 * {@code --isa} pins the instruction-set level of the JVM and of OpenBLAS ({@link IsaLevel}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the JMH benchmarks (bench/target/benchmarks.jar) in a child JVM with the flags they need "
                + "(also passed to JMH's forks with -jvmArgsPrepend). Arguments this command does not know, such as "
                + "benchmark regexes and JMH options (-p NAME=VALUE, -f, -wi, -i, -rf json, ...), go to JMH as they are.",
        footer = {"",
                "ISA levels (--isa; the JVM flag goes to the runner and its forks):",
                "  auto    the JVM's default; OPENBLAS_CORETYPE removed: OpenBLAS detects",
                "  avx512  -XX:UseAVX=3, OPENBLAS_CORETYPE=SkylakeX (needs avx512f/bw/dq/vl)",
                "  avx2    -XX:UseAVX=2, OPENBLAS_CORETYPE=Haswell  (needs avx2, fma)",
                "  sse     -XX:UseAVX=0, OPENBLAS_CORETYPE=Nehalem  (SSE4.2; 128-bit vectors, scalar twins where C2 lacks ops)",
                "A level this CPU lacks is an error. ONNX Runtime has no such switch: it runs",
                "its best kernels. Each benchmark's setup prints the level, UseAVX, Lanewise's",
                "kernels and OpenBLAS's core.",
                "", "Examples:",
                "  lanewise bench --list",
                "  lanewise bench --quick GemmBenchmark -p shape=512x512x512 -p op=NN",
                "  lanewise bench --prof gc TrainStepBenchmark -rf json -rff train.json",
                "  lanewise bench --isa avx2 GemmBenchmark -p impl=lanewise,openblas",
                "  lanewise bench -- -h      JMH's own help (arguments after -- all go to JMH)"})
final class BenchCommand implements Callable<Integer> {
    /** Flags of the JMH runner JVM and, through -jvmArgsPrepend, of every fork. */
    static final List<String> JVM_FLAGS = List.of("--add-modules", "jdk.incubator.vector",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");

    /** {@code --quick}: JMH option and value pairs, each added only when the JMH arguments do not set it. */
    static final List<String> QUICK = List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s");

    private static final String JAR_IN_TREE = "bench/target/benchmarks.jar";

    @Option(names = "--list", description = "List the benchmarks (JMH -l); only those matching the regexes given.")
    boolean list;

    @Option(names = "--quick", description = "A short run: -f 1 -wi 2 -w 1s -i 3 -r 1s, except what the JMH "
            + "arguments set themselves. For a look, not for numbers to quote.")
    boolean quick;

    @Option(names = "--prof", paramLabel = "PROFILER",
            description = "A JMH profiler (JMH -prof), repeatable: gc for bytes allocated per operation, stack, "
                    + "perfnorm, ... ('lanewise bench -- -lprof' lists them).")
    List<String> profilers;

    @Option(names = "--isa", paramLabel = "LEVEL", converter = IsaLevel.Converter.class,
            description = "Instruction-set level: auto (default), avx512, avx2 or sse; sets -XX:UseAVX for the JVM "
                    + "and its forks and OPENBLAS_CORETYPE for OpenBLAS (table below).")
    IsaLevel isa = IsaLevel.AUTO;

    @Option(names = "--jar", paramLabel = "PATH",
            description = "The benchmarks jar (default: " + JAR_IN_TREE + " of the source tree this CLI was built in, "
                    + "else of the current directory).")
    Path jar;

    @Parameters(paramLabel = "JMH_ARG", arity = "0..*",
            description = "Benchmark regexes and JMH options, passed to JMH verbatim and in order.")
    List<String> jmhArgs;

    @Override
    public Integer call() throws Exception {
        requireNoUseAvx(isa, orEmpty(jmhArgs));
        isa.requireSupportedHere();
        Path benchmarks = benchmarksJar(jar, codeSource(), Path.of(""));
        List<String> command = childCommand(javaBinary(), benchmarks, isa,
                jmhArguments(list, quick, orEmpty(profilers), orEmpty(jmhArgs)));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        String note = isa.applyTo(builder.environment());
        if (note != null && !list) {
            System.err.println("lanewise bench: " + note);
        }
        Process child = builder.start();
        // If this JVM is stopped (SIGTERM, Ctrl-C), stop the JMH runner and its forks with it.
        Thread stop = new Thread(() -> stop(child));
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return child.waitFor();
        } finally {
            stop(child);
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /**
     * The JMH arguments for the options given: {@code -l} for {@code --list}, {@code -prof NAME} per profiler, the
     * {@link #QUICK} pairs the passthrough arguments do not set, then the passthrough arguments unchanged.
     */
    static List<String> jmhArguments(boolean list, boolean quick, List<String> profilers, List<String> passthrough) {
        List<String> args = new ArrayList<>();
        if (list) {
            args.add("-l");
        }
        for (String profiler : profilers) {
            args.add("-prof");
            args.add(profiler);
        }
        if (quick) {
            for (int i = 0; i < QUICK.size(); i += 2) {
                if (!sets(passthrough, QUICK.get(i).substring(1))) { // JMH rejects an option given twice
                    args.add(QUICK.get(i));
                    args.add(QUICK.get(i + 1));
                }
            }
        }
        args.addAll(passthrough);
        return args;
    }

    /**
     * The child's command line: {@code java FLAGS -jar JAR -jvmArgsPrepend "FLAGS" JMH_ARGS...}, FLAGS being
     * {@link #JVM_FLAGS} and the level's ({@code -XX:UseAVX=N}), so the runner (which runs the benchmarks under
     * {@code -f 0}) and every fork run at the same level.
     */
    static List<String> childCommand(String java, Path jar, IsaLevel isa, List<String> jmhArguments) {
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.addAll(isa.jvmFlags());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.add("-jar");
        command.add(jar.toString());
        command.add("-jvmArgsPrepend");
        command.add(String.join(" ", flags));
        command.addAll(jmhArguments);
        return command;
    }

    /**
     * The benchmarks jar: {@code explicit} if given, else {@value #JAR_IN_TREE} of the source tree holding
     * {@code codeSource} (this CLI's {@code samples/target/lanewise.jar} or {@code samples/target/classes}), else
     * of {@code workingDir}.
     *
     * @throws IllegalStateException naming the paths tried when there is no such file
     */
    static Path benchmarksJar(Path explicit, Path codeSource, Path workingDir) {
        Set<Path> tried = new LinkedHashSet<>();
        if (explicit != null) {
            tried.add(explicit.toAbsolutePath().normalize());
        } else {
            if (codeSource != null && codeSource.getParent() != null) {
                tried.add(codeSource.toAbsolutePath().getParent().resolve("../..").resolve(JAR_IN_TREE).normalize());
            }
            tried.add(workingDir.toAbsolutePath().resolve(JAR_IN_TREE).normalize());
        }
        for (Path candidate : tried) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no benchmarks jar at "
                + tried.stream().map(Path::toString).collect(Collectors.joining(" or "))
                + ": build it with ./lanewise build" + (explicit == null ? " (or give --jar PATH)" : ""));
    }

    /**
     * Throws when {@code --isa} pins a level and the JMH arguments set {@code -XX:UseAVX} too (in -jvmArgs,
     * -jvmArgsAppend, ...): the later flag would win, and the run would not be at the level it says.
     */
    static void requireNoUseAvx(IsaLevel isa, List<String> jmhArgs) {
        if (isa != IsaLevel.AUTO && jmhArgs.stream().anyMatch(a -> a.contains("UseAVX"))) {
            throw new IllegalArgumentException("--isa " + isa.optionName() + " sets -XX:UseAVX itself: "
                    + "give either --isa or a UseAVX flag in the JMH arguments, not both");
        }
    }

    /** Whether the JMH arguments set option {@code name} ({@code -name}, {@code --name}, {@code -name=...}). */
    private static boolean sets(List<String> args, String name) {
        for (String arg : args) {
            String bare = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
            if (bare != null && (bare.equals(name) || bare.startsWith(name + "="))) {
                return true;
            }
        }
        return false;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Where this class was loaded from: the CLI jar or a classes directory; null if unknown. */
    private static Path codeSource() {
        try {
            var source = BenchCommand.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static void stop(Process child) {
        if (child.isAlive()) {
            child.descendants().forEach(ProcessHandle::destroy);
            child.destroy();
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
