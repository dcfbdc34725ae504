package io.lanewise.samples.data;

import io.lanewise.io.FileErrors;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files that may be gzip-compressed, recognising gzip by its magic bytes rather than the name. */
final class DataFiles {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private DataFiles() {
    }

    /** A buffered stream of the file's content, decompressed if it is gzip. */
    static InputStream open(Path file) throws IOException {
        return decompressing(Files.newInputStream(file));
    }

    /** A buffered stream of {@code in}'s content, decompressed if it is gzip; closing it closes {@code in}. */
    static InputStream decompressing(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == GZIP_MAGIC_1 && buffered.read() == GZIP_MAGIC_2;
        buffered.reset();
        return gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
    }

    /**
     * {@code cause} again with {@code file} in front of its message, unless it names it already; a file that cannot
     * be opened (missing, a folder, not permitted) says so in words.
     */
    static IOException naming(Path file, IOException cause) {
        if (cause instanceof FileSystemException || Files.isDirectory(file)) {
            return FileErrors.unreadable(file, "a data file", cause);
        }
        String message = String.valueOf(cause.getMessage());
        return message.startsWith(file.toString()) ? cause : new IOException(file + ": " + message, cause);
    }
}
