package io.lanewise.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lanewise bench}: help, a missing jar, the child's command line, {@code --isa} (flags, environment, a level
 * the CPU lacks), and listing the real benchmarks.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    /** The arguments {@code lanewise bench ARGS} would hand to JMH, as parsed by the real command line. */
    private static List<String> parsedJmhArguments(String... args) {
        CommandLine cli = Commands.commandLine();
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        var parsed = cli.parseArgs(all.toArray(String[]::new)).subcommand();
        BenchCommand bench = parsed.commandSpec().commandLine().getCommand();
        return BenchCommand.jmhArguments(bench.list, bench.quick,
                bench.profilers == null ? List.of() : bench.profilers, bench.jmhArgs == null ? List.of() : bench.jmhArgs);
    }

    @Test
    void helpNamesTheOptions() {
        CliRun help = CliRun.of("bench", "--help");
        assertEquals(0, help.status(), help.err());
        for (String text : new String[] {"Usage: lanewise bench", "--list", "--quick", "--prof", "--jar", "JMH_ARG",
                "--isa", "-XX:UseAVX=3, OPENBLAS_CORETYPE=SkylakeX", "-XX:UseAVX=2, OPENBLAS_CORETYPE=Haswell",
                "-XX:UseAVX=0, OPENBLAS_CORETYPE=Nehalem"}) {
            assertTrue(help.out().contains(text), "no '" + text + "' in:\n" + help.out());
        }
        assertTrue(CliRun.of("--help").out().contains("bench"), "the root help lists bench");
    }

    @Test
    void aMissingJarIsOneLineNamingThePathAndHowToBuildIt() {
        Path missing = dir.resolve("none").resolve("benchmarks.jar");
        CliRun r = CliRun.of("bench", "--jar", missing.toString(), "--list");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("lanewise bench: "), r.err());
        assertTrue(r.err().contains(missing.toAbsolutePath().toString()), r.err());
        assertTrue(r.err().contains("./lanewise build"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void theDefaultJarIsLookedForBesideTheSourceTreeThenInTheWorkingDirectory() throws IOException {
        Path tree = dir.resolve("tree");
        Path cliJar = tree.resolve("samples/target/lanewise.jar");
        Path work = dir.resolve("work");
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> BenchCommand.benchmarksJar(null, cliJar, work));
        assertTrue(none.getMessage().contains(tree.resolve("bench/target/benchmarks.jar").toString()), none.getMessage());
        assertTrue(none.getMessage().contains(work.resolve("bench/target/benchmarks.jar").toString()), none.getMessage());
        assertTrue(none.getMessage().contains("--jar"), none.getMessage());

        Path inWork = Files.createDirectories(work.resolve("bench/target")).resolve("benchmarks.jar");
        Files.writeString(inWork, "");
        assertEquals(inWork, BenchCommand.benchmarksJar(null, cliJar, work));
        Path inTree = Files.createDirectories(tree.resolve("bench/target")).resolve("benchmarks.jar");
        Files.writeString(inTree, "");
        assertEquals(inTree, BenchCommand.benchmarksJar(null, cliJar, work));
        assertEquals(inTree, BenchCommand.benchmarksJar(null, tree.resolve("samples/target/classes"), work));
        assertEquals(inWork, BenchCommand.benchmarksJar(inWork, cliJar, work));
    }

    @Test
    void theChildRunsTheJarWithTheFlagsForItselfAndItsForksThenTheArgumentsInOrder() {
        List<String> jmh = parsedJmhArguments("GemmBenchmark", "-p", "shape=512x512x512", "--prof", "gc",
                "-rf", "json", "-f", "2", "--quick", "-lp");
        assertEquals(List.of("-prof", "gc", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s",
                "GemmBenchmark", "-p", "shape=512x512x512", "-rf", "json", "-f", "2", "-lp"), jmh,
                "--quick leaves out what the JMH arguments set (-f); the rest stays verbatim and in order");

        assertEquals(expectedChildCommand("", jmh),
                BenchCommand.childCommand("/jdk/bin/java", Path.of("/x/benchmarks.jar"), IsaLevel.AUTO, jmh));

        assertEquals(List.of("-l", "Gemm"), parsedJmhArguments("--list", "Gemm"));
        assertEquals(List.of("-h"), parsedJmhArguments("--", "-h"), "after -- everything goes to JMH");
        assertEquals(List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"), parsedJmhArguments("--quick"));
    }

    @Test
    void listsTheRealBenchmarks() throws Exception {
        Path jar = Path.of("..", "bench", "target", "benchmarks.jar"); // surefire runs in samples/
        assumeTrue(Files.isRegularFile(jar), "no " + jar.toAbsolutePath().normalize() + " (bench not built)");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(BenchCommand.childCommand(java, jar, IsaLevel.AUTO, List.of("-l", "GemmBenchmark")))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertTrue(out.contains("io.lanewise.bench.GemmBenchmark."), out);
    }

    /**
     * The command line expected for {@code /x/benchmarks.jar} run by {@code /jdk/bin/java}: the flags our code
     * needs plus {@code levelFlags}, for the runner and again for its forks, then the JMH arguments.
     */
    private static List<String> expectedChildCommand(String levelFlags, List<String> jmh) {
        String flags = "--add-modules jdk.incubator.vector --add-exports java.base/jdk.internal.misc=ALL-UNNAMED "
                + "--enable-native-access=ALL-UNNAMED" + levelFlags;
        List<String> expected = new ArrayList<>(List.of("/jdk/bin/java"));
        expected.addAll(List.of(flags.split(" ")));
        expected.addAll(List.of("-jar", "/x/benchmarks.jar", "-jvmArgsPrepend", flags));
        expected.addAll(jmh);
        return expected;
    }

    /** The level {@code lanewise bench ARGS} parses. */
    private static IsaLevel parsedIsa(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        var parsed = Commands.commandLine().parseArgs(all.toArray(String[]::new)).subcommand();
        BenchCommand bench = parsed.commandSpec().commandLine().getCommand();
        return bench.isa;
    }

    @Test
    void isaLevelsParseCaseInsensitivelyAndAutoIsTheDefault() {
        assertEquals(IsaLevel.AUTO, parsedIsa("GemmBenchmark"));
        assertEquals(IsaLevel.AVX512, parsedIsa("--isa", "avx512"));
        assertEquals(IsaLevel.AVX2, parsedIsa("--isa=AVX2", "GemmBenchmark"));
        assertEquals(IsaLevel.SSE, parsedIsa("--isa", "sse"));
        CliRun bad = CliRun.of("bench", "--isa", "avx10");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("expected auto, avx512, avx2 or sse"), bad.err());
    }

    @Test
    void aLevelPutsUseAvxOnTheRunnerAndItsForks() {
        List<String> jmh = List.of("GemmBenchmark", "-p", "impl=openblas");
        assertEquals(expectedChildCommand(" -XX:UseAVX=2", jmh),
                BenchCommand.childCommand("/jdk/bin/java", Path.of("/x/benchmarks.jar"), IsaLevel.AVX2, jmh));
        assertEquals(List.of("-XX:UseAVX=3"), IsaLevel.AVX512.jvmFlags());
        assertEquals(List.of("-XX:UseAVX=0"), IsaLevel.SSE.jvmFlags());
        assertEquals(List.of(), IsaLevel.AUTO.jvmFlags(), "auto leaves the JVM to its default");
    }

    @Test
    void aLevelSetsOpenBlasCoreTypeAndAutoRemovesAnInheritedOne() {
        Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell", "PATH", "/bin"));
        String note = IsaLevel.AVX512.applyTo(env);
        assertEquals(Map.of("OPENBLAS_CORETYPE", "SkylakeX", "LANEWISE_BENCH_ISA", "avx512", "PATH", "/bin"), env);
        assertTrue(note.contains("-XX:UseAVX=3") && note.contains("OPENBLAS_CORETYPE=SkylakeX"), note);
        IsaLevel.SSE.applyTo(env);
        assertEquals("Nehalem", env.get("OPENBLAS_CORETYPE"));
        assertEquals("sse", env.get("LANEWISE_BENCH_ISA"));
        IsaLevel.AVX2.applyTo(env);
        assertEquals("Haswell", env.get("OPENBLAS_CORETYPE"));

        note = IsaLevel.AUTO.applyTo(env);
        assertEquals(Map.of("LANEWISE_BENCH_ISA", "auto", "PATH", "/bin"), env,
                "auto: OpenBLAS detects the CPU, as the JVM does");
        assertTrue(note.contains("OPENBLAS_CORETYPE=Haswell of the environment removed"), note);
        assertNull(IsaLevel.AUTO.applyTo(env), "nothing to say when there was none");
    }

    @Test
    void aLevelTheCpuLacksIsAClearError() {
        Set<String> avx2Only = Set.of("sse4_2", "avx", "avx2", "fma");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IsaLevel.AVX512.requireSupported("amd64", avx2Only, 2));
        assertEquals("--isa avx512 needs CPU flags avx512f avx512bw avx512dq avx512vl; this CPU lacks avx512f "
                + "avx512bw avx512dq avx512vl (its highest level is --isa avx2)", e.getMessage());
        IsaLevel.AVX2.requireSupported("amd64", avx2Only, 2);
        IsaLevel.SSE.requireSupported("amd64", avx2Only, 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> IsaLevel.AVX2.requireSupported("amd64", Set.of("sse4_2", "avx"), 1));
        assertTrue(e.getMessage().contains("lacks avx2 fma (its highest level is --isa sse)"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> IsaLevel.SSE.requireSupported("aarch64", null, null));
        assertEquals("--isa sse is an x86 level and this CPU is aarch64: only --isa auto applies here", e.getMessage());
        IsaLevel.AUTO.requireSupported("aarch64", null, null);

        // No /proc/cpuinfo (macOS, Windows): this JVM's UseAVX decides.
        e = assertThrows(IllegalArgumentException.class, () -> IsaLevel.AVX512.requireSupported("x86_64", null, 2));
        assertTrue(e.getMessage().contains("this JVM runs at UseAVX=2"), e.getMessage());
        IsaLevel.AVX2.requireSupported("x86_64", null, 2);
    }

    @Test
    void cpuFlagsComeFromTheFirstProcessorOfCpuinfo() throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu sse4_2 avx2 fma\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        assertEquals(Set.of("fpu", "sse4_2", "avx2", "fma"), IsaLevel.cpuFlags(cpuinfo));
        assertNull(IsaLevel.cpuFlags(dir.resolve("none")));
    }

    @Test
    void theCommandLineRejectsALevelThisCpuLacksOrAUseAvxOfItsOwn() {
        CliRun both = CliRun.of("bench", "--isa", "sse", "GemmBenchmark", "-jvmArgsAppend", "-XX:UseAVX=3");
        assertEquals(1, both.status(), both.err());
        assertTrue(both.err().startsWith("lanewise bench: --isa sse sets -XX:UseAVX itself"), both.err());

        Set<String> flags = IsaLevel.cpuFlags(Path.of("/proc/cpuinfo"));
        String arch = System.getProperty("os.arch");
        for (IsaLevel level : List.of(IsaLevel.AVX512, IsaLevel.AVX2, IsaLevel.SSE)) {
            boolean lacks;
            try {
                level.requireSupported(arch, flags, null);
                lacks = false;
            } catch (IllegalArgumentException e) {
                lacks = true;
            }
            if (lacks) { // this machine lacks the level: the command says so before looking for the jar
                CliRun r = CliRun.of("bench", "--isa", level.optionName(), "--jar", dir.resolve("none.jar").toString());
                assertEquals(1, r.status(), r.err());
                assertTrue(r.err().startsWith("lanewise bench: --isa " + level.optionName()), r.err());
            }
        }
    }
}
