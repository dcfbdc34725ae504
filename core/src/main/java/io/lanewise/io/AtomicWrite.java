package io.lanewise.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a half-written
 * file: the body goes to a temporary file in the same folder, is forced to disk, and is renamed over the target.
 */
public final class AtomicWrite {
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
        // Not Files.createTempFile: its owner-only permissions would end up on the model file after the rename.
        Path temp = folder.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    /** Makes the rename durable by forcing the folder's entry list to disk. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // Some platforms (Windows) cannot open a folder as a channel; there the rename is as durable as they allow.
        }
    }
}
