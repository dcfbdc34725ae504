package io.lanewise.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cold-start harness: every measured run is a fresh JVM ({@link ColdStartRun}), subjects and JVM modes
 * interleaved run by run so that a change in the machine's load touches all of them alike. JVM modes: {@code plain}
 * (no AOT cache), {@code aot} (JDK 25's AOT cache, JEP 483/514/515, trained first by one unmeasured run of the same
 * subject with {@code -XX:AOTCacheOutput}, as a service would train it on its own workload, then given with
 * {@code -XX:AOTCache}). Writes every run's result line to {@code OUT/raw.txt} and, per subject and mode, the median
 * over the runs with the range to {@code OUT/summary.md} (and standard output).
 *
 * <pre>
 * ./lanewise java -cp bench/target/benchmarks.jar io.lanewise.bench.ColdStart [--runs 5]
 *     [--subjects lanewise,lanewise-warm,onnx,train,train-warm] [--modes plain,aot] [--settle 2] [--budget 10]
 *     [--flag JVM_FLAG]... [--out bench/target/cold-start]
 * </pre>
 * {@code --flag} adds a flag to every measured JVM (e.g. {@code -XX:-TieredCompilation}); the children also get the
 * flags this JVM was started with for the Vector API and native access.
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = 5;
        List<String> subjects = List.of("lanewise", "lanewise-warm", "onnx", "train", "train-warm");
        List<String> modes = List.of("plain", "aot");
        String settle = "2";
        String budget = "10";
        List<String> extra = new ArrayList<>();
        Path out = Path.of("bench/target/cold-start");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--subjects" -> subjects = List.of(value.split(","));
                case "--modes" -> modes = List.of(value.split(","));
                case "--settle" -> settle = value;
                case "--budget" -> budget = value;
                case "--flag" -> extra.add(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + ": expected --runs, "
                        + "--subjects, --modes, --settle, --budget, --flag or --out");
            }
            i++;
        }
        Files.createDirectories(out);
        Path raw = out.resolve("raw.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString();
        List<String> flags = new ArrayList<>(BenchmarkFork.JVM_FLAGS);
        flags.addAll(extra);
        append(raw, "# " + java + " " + String.join(" ", flags) + " -cp " + classpath + " " + ColdStartRun.class.getName()
                + " SUBJECT " + settle + " " + budget + "; runs " + runs + ", modes " + modes);
        Map<String, Path> caches = new LinkedHashMap<>();
        if (modes.contains("aot")) {
            for (String subject : subjects) {
                Path cache = out.resolve("aot").resolve(subject + ".aot").toAbsolutePath();
                Files.createDirectories(cache.getParent());
                Files.deleteIfExists(cache);
                List<String> command = command(java, flags, "-XX:AOTCacheOutput=" + cache, classpath, subject, settle,
                        budget);
                Child trained = Child.run(command);
                if (!Files.isRegularFile(cache)) {
                    throw new IllegalStateException("training the AOT cache of " + subject + " wrote no " + cache
                            + "; its output:\n" + trained.output);
                }
                System.out.printf(Locale.ROOT, "trained the AOT cache of %s: %,d bytes, %.1f s%n", subject,
                        Files.size(cache), trained.millis / 1e3);
                caches.put(subject, cache);
            }
        }
        Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
        for (int r = 1; r <= runs; r++) {
            for (String mode : modes) {
                for (String subject : subjects) {
                    String aot = mode.equals("aot") ? "-XX:AOTCache=" + caches.get(subject) : null;
                    Child child = Child.run(command(java, flags, aot, classpath, subject, settle, budget));
                    Map<String, String> result = child.result();
                    result.put("process_ms", Long.toString(child.millis));
                    result.put("mode", mode);
                    append(raw, "run " + r + " " + mode + " " + result);
                    results.computeIfAbsent(subject + " / " + mode, k -> new ArrayList<>()).add(result);
                    System.out.printf(Locale.ROOT, "run %d %s %s: %d ms%n", r, mode, subject, child.millis);
                }
            }
        }
        String summary = summary(results, runs);
        Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        System.out.println(summary);
    }

    private static List<String> command(String java, List<String> flags, String aot, String classpath, String subject,
                                        String settle, String budget) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        if (aot != null) {
            command.add(aot);
        }
        command.addAll(List.of("-cp", classpath, ColdStartRun.class.getName(), subject, settle, budget));
        return command;
    }

    /** Per subject and mode, each number's median over the runs and its range. */
    static String summary(Map<String, List<Map<String, String>>> results, int runs) {
        StringBuilder s = new StringBuilder("Medians over " + runs + " fresh JVMs per subject and mode, [min-max]\n");
        results.forEach((name, list) -> {
            s.append("\n### ").append(name).append("\n\n| measure | median | range |\n|---|---:|---:|\n");
            for (String key : list.get(0).keySet()) {
                double[] values = list.stream().map(m -> m.get(key)).filter(ColdStart::numeric)
                        .mapToDouble(Double::parseDouble).sorted().toArray();
                if (values.length == list.size()) {
                    s.append(String.format(Locale.ROOT, "| %s | %s | %s-%s |%n", key, number(values[values.length / 2]),
                            number(values[0]), number(values[values.length - 1])));
                } else if (!key.equals("subject") && !key.equals("mode")) {
                    s.append("| ").append(key).append(" | ").append(list.stream().map(m -> m.get(key)).toList())
                            .append(" | |\n");
                }
            }
        });
        return s.toString();
    }

    private static boolean numeric(String value) {
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A finished child JVM: its output and wall time. */
    private record Child(String output, long millis) {
        static Child run(List<String> command) throws IOException, InterruptedException {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("a run took over 10 minutes: " + command);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            String output = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit status " + p.exitValue() + " from " + command + ":\n" + output);
            }
            return new Child(output, millis);
        }

        /** The key=value pairs of the RESULT line. */
        Map<String, String> result() {
            String line = Arrays.stream(output.split("\n")).filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no RESULT line in:\n" + output));
            Map<String, String> map = new LinkedHashMap<>();
            for (String pair : line.substring("RESULT ".length()).trim().split(" ")) {
                int eq = pair.indexOf('=');
                map.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return map;
        }
    }
}
