package io.lanewise.samples.cli;

import io.lanewise.io.ModelFiles;
import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which model file a command reads, and how to read a plain PyTorch file. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model saved as safetensors.")
    Path file;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "For a plain PyTorch nn.Sequential file (no Lanewise metadata): the hidden activation; "
                    + "the last layer is linear.")
    String activation;

    Network load() throws IOException {
        return activation == null ? ModelFiles.load(file)
                : ModelFiles.load(file, Activation.parse(activation), Loss.SOFTMAX_CROSS_ENTROPY);
    }
}
