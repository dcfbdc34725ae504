package io.lanewise.samples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>{@code GET /stats}: scoring latency percentiles (HdrHistogram), requests, publications.</li>
 * </ul>
 * Bad requests get 400 with the reason.
 */
public final class ScoringService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final SharedModel model;
    private final OnlineLearner learner;
    private final ThreadLocal<Predictor> predictors;
    private final List<Predictor> allPredictors = new ArrayList<>();
    private final Recorder latency = new Recorder(3);
    private final Histogram total = new Histogram(3);

    private ScoringService(Network network, Optimizer optimizer, InetSocketAddress address, int threads)
            throws IOException {
        this.model = SharedModel.of(network);
        this.learner = new OnlineLearner(Trainer.builder(network, optimizer).batchSize(OnlineLearner.BATCH).build(),
                model);
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
    }

    /**
     * Starts serving {@code network} (which the learner then trains in place) on {@code port} of the
     * loopback address (0 picks a free port) with {@code threads} server threads.
     */
    public static ScoringService start(Network network, Optimizer optimizer, int port, int threads) throws IOException {
        ScoringService service = new ScoringService(network, optimizer,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), threads);
        service.learner.start();
        service.server.start();
        return service;
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

    /** Stops serving (waiting up to a second for requests in flight), stops the learner, frees predictors. */
    @Override
    public void close() {
        server.stop(1);
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
