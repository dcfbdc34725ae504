package io.lanewise.memory;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The most off-heap memory one allocation may ask for: the machine's physical memory (or the container's
 * limit, which the JVM reports in its place). Asking the operating system for more does not fail cleanly:
 * with overcommit the allocation succeeds and the process is killed while the memory is zeroed.
 */
final class MemoryLimit {
    /** Below this an allocation is not checked (and the management classes are never loaded). */
    private static final long UNCHECKED_BYTES = 1L << 28;

    private MemoryLimit() {
    }

    /**
     * Checks that {@code bytes} fit in physical memory.
     *
     * @param purpose what the memory is for, for the message
     * @throws IllegalArgumentException stating the bytes needed and the bytes the machine has, if they do not fit
     */
    static void check(long bytes, String purpose) {
        if (bytes < UNCHECKED_BYTES) {
            return;
        }
        long physical = Physical.BYTES;
        if (physical > 0 && bytes > physical) {
            throw new IllegalArgumentException(purpose + " would need " + bytes + " bytes (" + gib(bytes)
                    + ") of off-heap memory, more than this machine's " + physical + " bytes (" + gib(physical)
                    + ") of physical memory");
        }
    }

    /** {@code bytes} in GiB with one decimal, for messages. */
    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /** Read once, on first need: loading java.management costs some milliseconds. */
    private static final class Physical {
        static final long BYTES = read();

        private static long read() {
            try {
                if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                    return os.getTotalMemorySize();
                }
            } catch (LinkageError | SecurityException unavailable) {
                // a runtime without jdk.management: no limit known, the allocation itself decides
            }
            return -1;
        }
    }
}
