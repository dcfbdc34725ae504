package io.lanewise.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a half-written
 * file: the body goes to a temporary file in the same folder, is forced to disk, and is renamed over the target.
 *
 * <p>The temporary file is named {@code .NAME.PID-RANDOM.tmp} after the target and the writing process. A
 * process killed mid-write leaves its temporary file behind; the next write of the same target removes every
 * such file whose process is no longer alive on this machine. (A writer of the same target in another PID
 * namespace or on another machine sharing the folder could lose its temporary file to that: its write then
 * fails, its target intact.)
 */
public final class AtomicWrite {
    private static final long PID = ProcessHandle.current().pid();

    private AtomicWrite() {
    }

    /** The content of a file, written to a channel positioned at 0. */
    @FunctionalInterface
    public interface Body {
        /** Writes the whole content to {@code channel}. */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code body} to {@code target}, replacing any existing file atomically. If anything fails, the
     * target is left as it was and the temporary file is removed.
     *
     * @throws IOException if writing, forcing or renaming fails
     */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        removeStaleTemporaries(folder, absolute.getFileName().toString());
        Path temp = temporaryFor(absolute);
        try {
            FileChannel channel = open(target, temp);
            try (channel) {
                body.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileSystemException e) {
                throw new IOException(target + ": cannot replace it with the new content: " + FileErrors.reason(e), e);
            }
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        forceFolder(folder);
    }

    /**
     * Checks now that {@link #write} could write {@code target} (its folder exists and takes new files, and it is
     * not a folder itself), so that a long computation does not end in a file that cannot be saved.
     *
     * @throws IOException naming the target and saying why it cannot be written
     */
    public static void checkWritable(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": cannot be written: it is a directory");
        }
        if (!Files.exists(folder)) {
            throw new IOException(target + ": cannot be written: its folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new IOException(target + ": cannot be written: " + folder + " is not a directory");
        }
        Path probe = temporaryFor(absolute);
        open(target, probe).close();
        Files.deleteIfExists(probe);
    }

    /** Not Files.createTempFile: its owner-only permissions would end up on the model file after the rename. */
    private static Path temporaryFor(Path absolute) {
        return absolute.getParent().resolve("." + absolute.getFileName() + "." + PID + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    private static FileChannel open(Path target, Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot be written: " + FileErrors.reason(e) + " (creating " + temp.getFileName()
                    + " in " + temp.getParent() + ")", e);
        }
    }

    /** Deletes the temporary files of {@code name} left by writers that died: their PID is no longer alive. */
    private static void removeStaleTemporaries(Path folder, String name) {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(folder,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
            for (Path candidate : candidates) {
                String middle = candidate.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                int dash = middle.indexOf('-');
                long pid;
                try {
                    pid = dash > 0 ? Long.parseLong(middle.substring(0, dash)) : -1;
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (pid > 0 && pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                    Files.deleteIfExists(candidate);
                }
            }
        } catch (IOException | SecurityException ignored) {
            // Best effort: a leftover temporary file wastes space but harms nothing; the write itself goes on.
        }
    }

    /** Makes the rename durable by forcing the folder's entry list to disk. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // Some platforms (Windows) cannot open a folder as a channel; there the rename is as durable as they allow.
        }
    }
}
