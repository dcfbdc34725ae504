package io.lanewise.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Says what went wrong with a file in words: the JDK's {@link FileSystemException}s carry only the path in
 * their message ({@code NoSuchFileException: model.bin}), and reading a folder fails with a bare
 * "Is a directory".
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** The reason of {@code failure} in words, without its path: "no such file", "permission denied", .... */
    public static String reason(IOException failure) {
        return switch (failure) {
            case NoSuchFileException e -> "no such file or directory";
            case AccessDeniedException e -> "permission denied";
            case NotDirectoryException e -> "not a directory";
            case FileAlreadyExistsException e -> "already exists";
            case FileSystemException e when e.getReason() != null -> e.getReason();
            default -> String.valueOf(failure.getMessage());
        };
    }

    /**
     * An {@link IOException} whose message names {@code file} and says what is wrong with it as something to
     * read ({@code what}, e.g. "a safetensors model"), keeping {@code failure} as its cause.
     */
    public static IOException unreadable(Path file, String what, IOException failure) {
        String reason = Files.isDirectory(file) ? "is a directory, not " + what : "cannot be read as " + what + ": " + reason(failure);
        return new IOException(file + ": " + reason, failure);
    }
}
