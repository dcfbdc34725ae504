package io.lanewise.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lanewise bench}: help, a missing jar, the child's command line, and listing the real benchmarks. */
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
        for (String text : new String[] {"Usage: lanewise bench", "--list", "--quick", "--prof", "--jar", "JMH_ARG"}) {
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

        String flags = "--add-modules jdk.incubator.vector --add-exports java.base/jdk.internal.misc=ALL-UNNAMED "
                + "--enable-native-access=ALL-UNNAMED";
        List<String> expected = new ArrayList<>(List.of("/jdk/bin/java"));
        expected.addAll(List.of(flags.split(" ")));
        expected.addAll(List.of("-jar", "/x/benchmarks.jar", "-jvmArgsPrepend", flags));
        expected.addAll(jmh);
        assertEquals(expected, BenchCommand.childCommand("/jdk/bin/java", Path.of("/x/benchmarks.jar"), jmh));

        assertEquals(List.of("-l", "Gemm"), parsedJmhArguments("--list", "Gemm"));
        assertEquals(List.of("-h"), parsedJmhArguments("--", "-h"), "after -- everything goes to JMH");
        assertEquals(List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"), parsedJmhArguments("--quick"));
    }

    @Test
    void listsTheRealBenchmarks() throws Exception {
        Path jar = Path.of("..", "bench", "target", "benchmarks.jar"); // surefire runs in samples/
        assumeTrue(Files.isRegularFile(jar), "no " + jar.toAbsolutePath().normalize() + " (bench not built)");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(BenchCommand.childCommand(java, jar, List.of("-l", "GemmBenchmark")))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertTrue(out.contains("io.lanewise.bench.GemmBenchmark."), out);
    }
}
