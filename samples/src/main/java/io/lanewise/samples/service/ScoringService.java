package io.lanewise.samples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import io.lanewise.nn.WarmUp;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A small HTTP scoring service that embeds the engine: it scores requests with a pool of predictors
 * (one per server thread) and learns online from labelled feedback, publishing new weights to the
 * predictors without pausing them. Endpoints, on a loopback or chosen address:
 * <ul>
 *   <li>{@code POST /score}, body {@code f1,f2,...,fn}: answers {@code class s0,s1,...} (the predicted class
 *   and the model's outputs);</li>
 *   <li>{@code POST /learn}, body {@code label;f1,...,fn}: queues the example for the online learner
 *   (answers 202);</li>
 *   <li>{@code GET /stats}: scoring latency percentiles (HdrHistogram), requests, publications;</li>
 *   <li>{@code GET /ready}: 503 while the model warms up ({@link SharedModel#warmUp}, on a thread of its own once
 *   the server is up), then 200 with what the warm-up did: a load balancer sends traffic only then, so the first
 *   requests do not meet the JIT's cold code. Requests that come earlier are served all the same.</li>
 * </ul>
 * The online learner warms its trainer up ({@link Trainer#warmUp}) before it takes its first example. Bad requests
 * get 400 with the reason.
 */
public final class ScoringService implements AutoCloseable {
    /** The warm-up budget of {@link #start(Network, Optimizer, int, int)}. */
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(5);

    private final HttpServer server;
    private final ExecutorService workers;
    private final SharedModel model;
    private final OnlineLearner learner;
    private final ThreadLocal<Predictor> predictors;
    private final List<Predictor> allPredictors = new ArrayList<>();
    private final Recorder latency = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final Duration warmUpBudget;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread warmer = new Thread(this::warmUp, "lanewise-warm-up");
    private volatile WarmUp warmUp;

    private ScoringService(Network network, Optimizer optimizer, InetSocketAddress address, int threads,
                           Duration warmUpBudget) throws IOException {
        this.warmUpBudget = warmUpBudget;
        warmer.setDaemon(true);
        this.model = SharedModel.of(network);
        this.learner = new OnlineLearner(Trainer.builder(network, optimizer).batchSize(OnlineLearner.BATCH).build(),
                model, warmUpBudget);
        this.predictors = ThreadLocal.withInitial(() -> {
            Predictor p = model.newPredictor(1);
            synchronized (allPredictors) {
                allPredictors.add(p);
            }
            return p;
        });
        this.workers = Executors.newFixedThreadPool(threads);
        this.server = HttpServer.create(address, 64);
        server.setExecutor(workers);
        server.createContext("/score", this::score);
        server.createContext("/learn", this::learn);
        server.createContext("/stats", this::stats);
        server.createContext("/ready", this::ready);
    }

    /**
     * Starts serving {@code network} (which the learner then trains in place) on {@code port} of the
     * loopback address (0 picks a free port) with {@code threads} server threads, warming up for at most
     * {@link #DEFAULT_WARM_UP}.
     */
    public static ScoringService start(Network network, Optimizer optimizer, int port, int threads) throws IOException {
        return start(network, optimizer, port, threads, DEFAULT_WARM_UP);
    }

    /**
     * As {@link #start(Network, Optimizer, int, int)}, warming the model and the learner up for at most
     * {@code warmUpBudget} each; {@code GET /ready} answers 200 once the model's warm-up has returned.
     *
     * @throws IllegalArgumentException if the budget is null, zero or negative
     */
    public static ScoringService start(Network network, Optimizer optimizer, int port, int threads,
                                       Duration warmUpBudget) throws IOException {
        if (warmUpBudget == null || warmUpBudget.isNegative() || warmUpBudget.isZero()) {
            throw new IllegalArgumentException("warm-up budget must be a positive duration, got " + warmUpBudget);
        }
        ScoringService service = new ScoringService(network, optimizer,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), threads, warmUpBudget);
        service.learner.start();
        service.server.start();
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
        return server.getAddress().getPort();
    }

    /** Weight publications by the online learner so far. */
    public long publications() {
        return model.publications();
    }

    /** Examples the learner has trained on so far. */
    public long learned() {
        return learner.learned();
    }

    private void score(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "use POST");
                return;
            }
            float[] features;
            try {
                features = Csv.floats(body(exchange), model.spec().inputWidth());
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, e.getMessage());
                return;
            }
            Predictor predictor = predictors.get();
            float[] out = new float[predictor.outputWidth()];
            predictor.predict(features, out);
            int best = 0;
            for (int c = 1; c < out.length; c++) {
                best = out[c] > out[best] ? c : best;
            }
            StringBuilder text = new StringBuilder().append(best).append(' ');
            for (int c = 0; c < out.length; c++) {
                text.append(c == 0 ? "" : ",").append(out[c]);
            }
            reply(exchange, 200, text.toString());
        } finally {
            latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
        }
    }

    private void learn(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "use POST");
                return;
            }
            String body = body(exchange);
            int split = body.indexOf(';');
            try {
                if (split < 0) {
                    throw new IllegalArgumentException("expected 'label;f1,...,fn', got no ';'");
                }
                int label = Csv.label(body.substring(0, split), model.spec().outputWidth());
                float[] features = Csv.floats(body.substring(split + 1), model.spec().inputWidth());
                if (!learner.offer(features, label)) {
                    reply(exchange, 503, "learner queue full");
                    return;
                }
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, e.getMessage());
                return;
            }
            reply(exchange, 202, "queued");
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        try (exchange) {
            WarmUp done = warmUp;
            if (done == null) {
                reply(exchange, 503, "warming up");
            } else {
                reply(exchange, 200, "ready: warm-up " + done);
            }
        }
    }

    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            Histogram h;
            synchronized (total) {
                total.add(latency.getIntervalHistogram());
                h = total.copy();
            }
            reply(exchange, 200, String.format(java.util.Locale.ROOT,
                    "requests %d%np50_us %d%np99_us %d%np999_us %d%nmax_us %d%npublications %d%nlearned %d%n",
                    h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue(), publications(), learned()));
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(1 << 20);
            return new String(bytes, StandardCharsets.UTF_8).trim();
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops serving (waiting up to a second for requests in flight), waits for the warm-up to end (its budget at
     * most), stops the learner, frees predictors.
     */
    @Override
    public void close() {
        server.stop(1);
        try {
            warmer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        learner.close();
        synchronized (allPredictors) {
            allPredictors.forEach(Predictor::close);
        }
        model.close();
    }
}
