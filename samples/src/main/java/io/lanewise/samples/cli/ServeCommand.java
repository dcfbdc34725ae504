package io.lanewise.samples.cli;

import io.lanewise.nn.Network;
import io.lanewise.samples.service.ScoringService;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lanewise serve}: the scoring service over a saved model, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a saved model over HTTP: POST /score, POST /learn (online feedback), GET /stats, GET /health. "
                + "Runs until stopped (Ctrl-C or SIGTERM). Binding beyond loopback needs a shared secret, which /learn "
                + "then requires as 'Authorization: Bearer SECRET'; it is read from --secret-file or the environment "
                + "variable " + ServeCommand.SECRET_VARIABLE + ", never from the command line.")
final class ServeCommand implements Callable<Integer> {
    static final String SECRET_VARIABLE = "LANEWISE_SERVICE_SECRET";

    @Mixin
    ModelOptions model;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "The address to listen on (default 127.0.0.1, this machine only).")
    String bind;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "The port (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "Requests scored at once, one predictor each (default: the processors available).")
    Integer threads;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE",
            description = "Adam learning rate of the online learner (default 0.001).")
    double learningRate;

    @Option(names = "--learn-limit", defaultValue = "50", paramLabel = "N",
            description = "Examples a client (by address) may send to /learn per second, in bursts of twice that "
                    + "(default 50; 0 for no limit).")
    double learnLimit;

    @Option(names = "--idle-timeout", defaultValue = "10000", paramLabel = "MS",
            description = "Milliseconds a connection may stay silent before it is closed (default 10000).")
    long idleTimeout;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "A file holding the shared secret /learn requires (its first line).")
    Path secretFile;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        int predictors = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        ScoringService.Settings settings = new ScoringService.Settings(bind, port, predictors, secret(), learnLimit,
                idleTimeout);
        CountDownLatch stopped = new CountDownLatch(1);
        try (Network network = model.load()) {
            ScoringService service = ScoringService.start(network, Optimizer.adam(learningRate), settings);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "lanewise-serve-stop"));
            var out = command.commandLine().getOut();
            out.printf("serving %s (%d inputs, %d outputs) on http://%s:%d with %d predictor(s); /learn %s%n", model.file,
                    network.spec().inputWidth(), network.spec().outputWidth(), bind, service.port(), predictors,
                    settings.secret() == null ? "open (loopback only)" : "requires the shared secret");
            out.flush();
            stopped.await();
        }
        return 0;
    }

    /** The shared secret from --secret-file or the environment, or null if neither gives one. */
    private String secret() throws IOException {
        String fromEnvironment = System.getenv(SECRET_VARIABLE);
        if (secretFile != null && fromEnvironment != null) {
            throw new IllegalArgumentException("the shared secret is given twice: by --secret-file and by " + SECRET_VARIABLE);
        }
        if (secretFile != null) {
            String text = Files.readString(secretFile, StandardCharsets.UTF_8);
            String line = text.lines().findFirst().orElse("").strip();
            if (line.isEmpty()) {
                throw new IllegalArgumentException(secretFile + ": holds no secret (its first line is empty)");
            }
            return line;
        }
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
    }
}
