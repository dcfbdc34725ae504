package io.lanewise.spark;

import io.lanewise.io.ModelFiles;
import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Model files at a local path or any Hadoop file system URI (hdfs://, s3a://, ...): files elsewhere than the
 * local disk pass through a local temporary copy, which {@link ModelFiles} reads or writes.
 */
final class ModelStore {
    private ModelStore() {
    }

    /**
     * Reads a safetensors model: a Lanewise file, or with {@code hidden} given, a plain PyTorch
     * {@code nn.Sequential} of Linear layers with that activation between them (softmax cross-entropy).
     *
     * @throws FileNotFoundException naming the location if there is no file there
     * @throws IOException           naming the file if it is not a model
     */
    static Network load(String location, Activation hidden) throws IOException {
        if (isLocal(location)) {
            return loadLocal(localPath(location), location, hidden);
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = remote.getFileSystem(hadoopConfiguration());
        if (!fs.exists(remote) || fs.getFileStatus(remote).isDirectory()) {
            throw new FileNotFoundException("model file '" + location + "' does not exist");
        }
        Path local = Files.createTempFile("lanewise-model", ".safetensors");
        try {
            fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return loadLocal(local, location, hidden);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /** Writes {@code network} as a Lanewise safetensors file at {@code location}, replacing any file there. */
    static void save(Network network, String location) throws IOException {
        if (isLocal(location)) {
            ModelFiles.save(network, localPath(location));
            return;
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = remote.getFileSystem(hadoopConfiguration());
        Path local = Files.createTempFile("lanewise-model", ".safetensors");
        try {
            ModelFiles.save(network, local);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), remote);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private static Network loadLocal(Path file, String location, Activation hidden) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("model file '" + location + "' does not exist");
        }
        return hidden == null ? ModelFiles.load(file) : ModelFiles.load(file, hidden, Loss.SOFTMAX_CROSS_ENTROPY);
    }

    private static boolean isLocal(String location) {
        return !location.contains("://") || location.startsWith("file:");
    }

    private static Path localPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    private static Configuration hadoopConfiguration() {
        return SparkSession.active().sparkContext().hadoopConfiguration();
    }
}
