package io.lanewise.kernels.jit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code -XX:+PrintCompilation -XX:+PrintInlining}, cut into compilations: each a line such as
 * {@code 2164 1324 %  4  io.lanewise.kernels.gemm.VectorGemmKernel::tilePacked @ 227 (988 bytes)} followed by its
 * inlining tree, lines such as {@code @ 29 jdk.internal.vm.vector.VectorSupport::store (38 bytes) (intrinsic)}.
 * Compilations must not interleave: run the program with {@code -Xbatch} on one thread.
 */
final class CompilationLog {
    /** Timestamp, compile id, flags ({@code %} = on-stack replacement), tier, method. */
    private static final Pattern TASK =
            Pattern.compile("^\\s*\\d+\\s+\\d+\\s+([%sbn! ]*?)\\s*([0-4])\\s+(\\S+::\\S+)(.*)$");
    /** One call in an inlining tree: bci, callee, then what happened to it. */
    private static final Pattern CALL = Pattern.compile("@\\s+\\d+\\s+(\\S+::\\S+)\\s+\\((\\d+) bytes\\)\\s+(.*)$");

    /** One compilation. */
    record Compilation(int tier, boolean osr, String method, List<Call> calls) {
        @Override
        public String toString() {
            return method + " (tier " + tier + (osr ? ", on-stack replacement" : "") + ")";
        }
    }

    /** One call site in a compilation's inlining tree, and C2's or C1's message about it. */
    record Call(String callee, String message) {
        boolean inlined() {
            // Late inlining prints the parse-time message, then the outcome.
            return !message.contains("failed to inline") || message.contains("late inline succeeded");
        }

        @Override
        public String toString() {
            return callee + ": " + message;
        }
    }

    private CompilationLog() {
    }

    static List<Compilation> parse(String output) {
        List<Compilation> compilations = new ArrayList<>();
        Compilation current = null;
        for (String line : output.split("\n")) {
            Matcher task = TASK.matcher(line);
            if (task.matches() && !line.contains("made not entrant") && !line.contains("made zombie")) {
                current = new Compilation(Integer.parseInt(task.group(2)), task.group(1).contains("%"), task.group(3),
                        new ArrayList<>());
                compilations.add(current);
                continue;
            }
            Matcher call = CALL.matcher(line);
            if (current != null && call.find()) {
                current.calls().add(new Call(call.group(1), call.group(3).trim()));
            }
        }
        return compilations;
    }
}
