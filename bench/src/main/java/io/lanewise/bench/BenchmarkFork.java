package io.lanewise.bench;

import java.util.List;
import org.openjdk.jmh.annotations.Fork;

/**
 * The one {@code @Fork} every benchmark inherits (JMH's {@code @Fork} is {@code @Inherited}): one fork, started
 * with the flags our code needs, so {@code java -jar benchmarks.jar} without {@code ./lanewise bench} still runs
 * the Vector API kernels rather than their scalar fallback. The same flags are in the launcher ({@code jvm_flags}),
 * the root POM ({@code lanewise.jvm.flags}) and the CLI's {@code BenchCommand.JVM_FLAGS}; an annotation takes only
 * constants, so this class cannot read them from one file.
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public abstract class BenchmarkFork {
    /** The flags above, for the JVMs this module starts itself ({@code ColdStart}). */
    static final List<String> JVM_FLAGS = List.of(BenchmarkFork.class.getAnnotation(Fork.class).jvmArgsPrepend());
}
