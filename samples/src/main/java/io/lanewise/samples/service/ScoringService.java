package io.lanewise.samples.service;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.WarmUp;
import io.lanewise.nn.Trainer;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A small HTTP scoring service that embeds the engine: it scores requests with a pool of predictors and
 * learns online from labelled feedback, publishing new weights to the predictors without pausing them.
 * Endpoints (paths match exactly; another method gets 405, another path 404):
 * <ul>
 *   <li>{@code POST /score}, body {@code f1,f2,...,fn}: answers {@code class s0,s1,...} (the predicted class
 *   and the model's outputs);</li>
 *   <li>{@code POST /learn}, body {@code label;f1,...,fn}: queues the example for the online learner (202);
 *   with a shared secret configured, only with {@code Authorization: Bearer SECRET} (else 401); beyond the
 *   per-client rate 429; 503 when the queue is full or the learner has stopped, with the reason;</li>
 *   <li>{@code GET /stats}: scoring latency percentiles (HdrHistogram), requests, publications, examples
 *   learned and rejected, the learner's state;</li>
 *   <li>{@code GET /health}: 200 {@code ok}, or 503 with the reason once the learner has stopped;</li>
 *   <li>{@code GET /ready}: 503 while the model warms up ({@link SharedModel#warmUp}, on a thread of its own once
 *   the server is up), then 200 with what the warm-up did: a load balancer sends traffic only then, so the first
 *   requests do not meet the JIT's cold code. Requests that come earlier are served all the same.</li>
 * </ul>
 * The online learner warms its trainer up ({@link Trainer#warmUp}) before it takes its first example.
 * Bad requests get 400 with the reason, bodies over {@value #MAX_BODY_BYTES} bytes 413.
 *
 * <p>It runs on Jetty with a virtual thread per request: a client that sends its request slowly holds only
 * its own virtual thread, and a predictor is taken from the pool only once a request is complete, so slow
 * clients never stop scoring for the others. Connections idle for {@link Settings#idleTimeoutMillis()} are
 * closed, request bodies must arrive at {@value #MIN_REQUEST_BYTES_PER_SECOND} bytes/s or more, and
 * malformed HTTP (binary junk, bad chunk sizes) gets Jetty's 400 at once.
 */
public final class ScoringService implements AutoCloseable {
    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** Slower request bodies are cut off (408): a client cannot hold a request open by trickling bytes. */
    static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
    private static final long PREDICTOR_WAIT_MILLIS = 5_000;
    private static final Map<String, String> METHODS = Map.of("/score", "POST", "/learn", "POST", "/stats", "GET",
            "/health", "GET", "/ready", "GET");
    /** The warm-up budget when none is given. */
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(5);

    private final Settings settings;
    private final Server server;
    private final SharedModel model;
    private final OnlineLearner learner;
    private final BlockingQueue<Predictor> predictors;
    private final List<Predictor> allPredictors = new ArrayList<>();
    private final ClientRates rates;
    private final Recorder latency = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final Duration warmUpBudget;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread warmer = new Thread(this::warmUp, "lanewise-warm-up");
    private volatile WarmUp warmUp;

    /**
     * How the service is exposed.
     *
     * @param host                    the address to bind; a non-loopback one needs a secret
     * @param port                    the port, 0 for a free one
     * @param threads                 predictors, i.e. requests scored at once (1..256)
     * @param secret                  the shared secret {@code /learn} requires, or null for none (loopback only)
     * @param learnPerSecondPerClient examples a client may send per second (bursts of twice that), 0 for no limit
     * @param idleTimeoutMillis       how long a connection may stay silent before it is closed
     */
    public record Settings(String host, int port, int threads, String secret, double learnPerSecondPerClient,
            long idleTimeoutMillis) {
        /** Checks the combination; binding beyond loopback without a secret would let anyone steer the model. */
        public Settings {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be 1..256, got " + threads);
            }
            if (secret != null && secret.isBlank()) {
                throw new IllegalArgumentException("the shared secret is empty");
            }
            if (idleTimeoutMillis <= 0) {
                throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeoutMillis + " ms");
            }
            if (secret == null && !isLoopback(host)) {
                throw new IllegalArgumentException("binding " + host + " exposes /learn beyond this machine: give a shared "
                        + "secret (a file or the environment variable, never the command line)");
            }
        }

        /** Loopback, no secret, no rate limit, a 10 s idle timeout. */
        public static Settings loopback(int port, int threads) {
            return new Settings("127.0.0.1", port, threads, null, 0, 10_000);
        }

        private static boolean isLoopback(String host) {
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve the address to bind, " + host, e);
            }
        }
    }

    private ScoringService(Network network, Optimizer optimizer, Settings settings, Duration warmUpBudget) {
        this.settings = settings;
        this.warmUpBudget = warmUpBudget;
        warmer.setDaemon(true);
        this.model = SharedModel.of(network);
        this.learner = new OnlineLearner(Trainer.builder(network, optimizer).batchSize(OnlineLearner.BATCH).build(),
                model, warmUpBudget);
        this.predictors = new ArrayBlockingQueue<>(settings.threads());
        for (int i = 0; i < settings.threads(); i++) {
            Predictor p = model.newPredictor(1);
            allPredictors.add(p);
            predictors.add(p);
        }
        this.rates = new ClientRates(settings.learnPerSecondPerClient());
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(8, settings.threads() + 4));
        pool.setName("lanewise-service");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
        http.setIdleTimeout(settings.idleTimeoutMillis());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeoutMillis());
        server.addConnector(connector);
        server.setStopTimeout(1_000);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                route(request, response, callback);
                return true;
            }
        });
    }

    /**
     * Starts serving {@code network} (which the learner then trains in place) on {@code port} of the
     * loopback address (0 picks a free port) with {@code threads} predictors; no secret, no rate limit.
     */
    public static ScoringService start(Network network, Optimizer optimizer, int port, int threads) throws IOException {
        return start(network, optimizer, Settings.loopback(port, threads));
    }

    /**
     * As {@link #start(Network, Optimizer, int, int)}, warming the model and the learner up for at most
     * {@code warmUpBudget} each; {@code GET /ready} answers 200 once the model's warm-up has returned.
     *
     * @throws IllegalArgumentException if the budget is null, zero or negative
     */
    public static ScoringService start(Network network, Optimizer optimizer, int port, int threads,
                                       Duration warmUpBudget) throws IOException {
        return start(network, optimizer, Settings.loopback(port, threads), warmUpBudget);
    }

    /** Starts serving {@code network} (which the learner then trains in place) as {@code settings} say. */
    public static ScoringService start(Network network, Optimizer optimizer, Settings settings) throws IOException {
        return start(network, optimizer, settings, DEFAULT_WARM_UP);
    }

    /**
     * Starts serving {@code network} as {@code settings} say, warming the model and the learner up for at most
     * {@code warmUpBudget} each.
     *
     * @throws IllegalArgumentException if the budget is null, zero or negative
     */
    public static ScoringService start(Network network, Optimizer optimizer, Settings settings, Duration warmUpBudget)
            throws IOException {
        if (warmUpBudget == null || warmUpBudget.isNegative() || warmUpBudget.isZero()) {
            throw new IllegalArgumentException("warm-up budget must be a positive duration, got " + warmUpBudget);
        }
        ScoringService service = new ScoringService(network, optimizer, settings, warmUpBudget);
        service.learner.start();
        try {
            service.server.start();
        } catch (Exception e) {
            service.close();
            throw new IOException("cannot serve on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        service.warmer.start();
        return service;
    }

    private void warmUp() {
        try {
            warmUp = model.warmUp(warmUpBudget);
            ready.countDown();
        } catch (IllegalStateException closed) {
            // the model was closed under it: nothing to get ready for
        }
    }

    /**
     * Waits until the model's warm-up has returned, at most {@code timeout}.
     *
     * @return what the warm-up did, or null if it had not returned in time
     */
    public WarmUp awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? warmUp : null;
    }

    /** The port served. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Weight publications by the online learner so far. */
    public long publications() {
        return model.publications();
    }

    /** Examples the learner has trained on so far. */
    public long learned() {
        return learner.learned();
    }

    /** Examples the learner rejected because they made training non-finite. */
    public long rejected() {
        return learner.rejected();
    }

    private void route(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String allowed = METHODS.get(path);
        if (allowed == null) {
            refuse(request, response, callback, 404, "no such endpoint " + path + " (try " + METHODS.keySet() + ")");
        } else if (!allowed.equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            refuse(request, response, callback, 405, path + " takes " + allowed + ", got " + request.getMethod());
        } else {
            switch (path) {
                case "/score" -> score(request, response, callback);
                case "/learn" -> learn(request, response, callback);
                case "/stats" -> reply(response, callback, 200, stats());
                case "/ready" -> ready(response, callback);
                default -> health(response, callback);
            }
        }
    }

    private void score(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        try {
            String body = body(request, response, callback);
            if (body == null) {
                return;
            }
            float[] features;
            try {
                features = Csv.floats(body, model.spec().inputWidth());
            } catch (IllegalArgumentException e) {
                reply(response, callback, 400, e.getMessage());
                return;
            }
            Predictor predictor = predictors.poll(PREDICTOR_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (predictor == null) {
                reply(response, callback, 503, "every predictor busy for " + PREDICTOR_WAIT_MILLIS + " ms: overloaded");
                return;
            }
            float[] out = new float[predictor.outputWidth()];
            try {
                predictor.predict(features, out);
            } finally {
                predictors.add(predictor);
            }
            int best;
            try {
                best = Predictor.bestClass(out, 0, out.length);
            } catch (IllegalStateException e) {
                reply(response, callback, 500, e.getMessage());
                return;
            }
            StringBuilder text = new StringBuilder().append(best).append(' ');
            for (int c = 0; c < out.length; c++) {
                text.append(c == 0 ? "" : ",").append(out[c]);
            }
            reply(response, callback, 200, text.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(response, callback, 503, "shutting down");
        } finally {
            latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
        }
    }

    private void learn(Request request, Response response, Callback callback) {
        if (settings.secret() != null && !authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            refuse(request, response, callback, 401, "/learn needs the shared secret: Authorization: Bearer SECRET");
            return;
        }
        String stopped = learner.failure();
        if (stopped != null) {
            refuse(request, response, callback, 503, "the learner has stopped, feedback is not learned: " + stopped);
            return;
        }
        String client = Request.getRemoteAddr(request);
        if (!rates.tryAcquire(client)) {
            refuse(request, response, callback, 429, "too many examples from " + client + ": at most " + rates.perSecond()
                    + " a second");
            return;
        }
        String body = body(request, response, callback);
        if (body == null) {
            return;
        }
        int split = body.indexOf(';');
        try {
            if (split < 0) {
                throw new IllegalArgumentException("expected 'label;f1,...,fn', got no ';'");
            }
            int label = Csv.label(body.substring(0, split), model.spec().outputWidth());
            float[] features = Csv.floats(body.substring(split + 1), model.spec().inputWidth());
            if (!learner.offer(features, label)) {
                reply(response, callback, 503, "learner queue full");
                return;
            }
        } catch (IllegalArgumentException e) {
            reply(response, callback, 400, e.getMessage());
            return;
        }
        reply(response, callback, 202, "queued");
    }

    private boolean authorized(Request request) {
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        byte[] expected = ("Bearer " + settings.secret()).getBytes(StandardCharsets.UTF_8);
        return given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }

    private void ready(Response response, Callback callback) {
        WarmUp done = warmUp;
        if (done == null) {
            reply(response, callback, 503, "warming up");
        } else {
            reply(response, callback, 200, "ready: warm-up " + done);
        }
    }

    private void health(Response response, Callback callback) {
        String stopped = learner.failure();
        if (stopped == null) {
            reply(response, callback, 200, "ok");
        } else {
            reply(response, callback, 503, "learner failed: " + stopped);
        }
    }

    private String stats() {
        Histogram h;
        synchronized (total) {
            total.add(latency.getIntervalHistogram());
            h = total.copy();
        }
        String stopped = learner.failure();
        return String.format(Locale.ROOT,
                "requests %d%np50_us %d%np99_us %d%np999_us %d%nmax_us %d%npublications %d%nlearned %d%nrejected %d%n"
                        + "learner %s%n",
                h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), publications(), learned(), rejected(), stopped == null ? "running" : "failed: " + stopped);
    }

    /** The request body as text, or null after answering 400, 408 or 413 for it. */
    private static String body(Request request, Response response, Callback callback) {
        if (request.getLength() > MAX_BODY_BYTES) {
            refuse(request, response, callback, 413, "request body of " + request.getLength() + " bytes is over the limit of "
                    + MAX_BODY_BYTES);
            return null;
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | RuntimeException e) { // a bad chunk, too slow a client, a reset connection
            Response.writeError(request, response, callback, 400, "unreadable request body: " + e.getMessage());
            return null;
        }
        if (bytes.length > MAX_BODY_BYTES) {
            refuse(request, response, callback, 413, "request body is over the limit of " + MAX_BODY_BYTES + " bytes");
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    /**
     * Answers a request whose body is left unread, and closes the connection after the answer. Jetty closes such a
     * connection once the handler returns, without saying so when the answer was already sent: a client that kept
     * the connection would send its next request on a closed socket and get no answer at all.
     */
    private static void refuse(Request request, Response response, Callback callback, int status, String text) {
        HttpFields headers = request.getHeaders();
        if (headers.getLongField(HttpHeader.CONTENT_LENGTH) > 0 || headers.contains(HttpHeader.TRANSFER_ENCODING)) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        reply(response, callback, status, text);
    }

    private static void reply(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, text, callback);
    }

    /**
     * Stops serving (waiting up to a second for requests in flight), waits for the warm-up to end (its budget at
     * most), stops the learner, frees predictors.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort: the learner and the memory are released below regardless
        }
        if (warmer.isAlive()) {
            try {
                warmer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        learner.close();
        allPredictors.forEach(Predictor::close);
        model.close();
    }
}
