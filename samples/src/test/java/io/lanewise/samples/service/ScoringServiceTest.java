package io.lanewise.samples.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Drives the service on loopback with concurrent clients, bounded in count and time: every request
 * answers, scores are well formed, and the online learner trains and publishes meanwhile.
 */
class ScoringServiceTest {
    private static final int CLIENTS = 4;
    private static final int REQUESTS_PER_CLIENT = 250;

    private static String row(ClassificationData data, int r) {
        return String.format(Locale.ROOT, "%s,%s", data.features()[2 * r], data.features()[2 * r + 1]);
    }

    @Test
    void scoresAndLearnsConcurrentlyWithoutFailures() throws Exception {
        MlpSpec spec = MlpSpec.builder(2).dense(32, Activation.TANH).dense(2, Activation.IDENTITY).seed(5).build();
        ClassificationData data = TwoSpirals.generate(400, 0.02, 3);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (Network network = Network.create(spec);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01), 0, 4)) {
            String base = "http://127.0.0.1:" + service.port();
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                results.add(clients.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        int r = (id * REQUESTS_PER_CLIENT + i) % data.rows();
                        boolean learn = i % 2 == 0;
                        String body = learn ? data.labels()[r] + ";" + row(data, r) : row(data, r);
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base
                                        + (learn ? "/learn" : "/score"))).timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (learn) {
                            assertEquals(202, response.statusCode(), response.body());
                        } else {
                            assertEquals(200, response.statusCode(), response.body());
                            String[] parts = response.body().split(" ");
                            int predicted = Integer.parseInt(parts[0]);
                            assertTrue(predicted == 0 || predicted == 1, response.body());
                            assertEquals(2, parts[1].split(",").length, response.body());
                        }
                        ok++;
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : results) {
                ok += f.get();
            }
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, ok);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (service.learned() < CLIENTS * REQUESTS_PER_CLIENT / 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT / 2, service.learned(), "every queued example was learned");
            assertTrue(service.publications() > 0, "the learner published new weights");

            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(base + "/score"))
                    .POST(HttpRequest.BodyPublishers.ofString("1,abc")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("feature 1 is not a number: 'abc'"), bad.body());
            HttpResponse<String> badLabel = client.send(HttpRequest.newBuilder(URI.create(base + "/learn"))
                    .POST(HttpRequest.BodyPublishers.ofString("7;0.1,0.2")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badLabel.statusCode());
            assertTrue(badLabel.body().contains("label must be an integer in 0..1, got '7'"), badLabel.body());
            HttpResponse<String> stats = client.send(HttpRequest.newBuilder(URI.create(base + "/stats")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stats.statusCode());
            assertTrue(stats.body().contains("p99_us"), stats.body());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void reportsReadyOnlyOnceTheWarmUpHasReturnedAndScoresMeanwhile() throws Exception {
        MlpSpec spec = MlpSpec.builder(2).dense(16, Activation.RELU).dense(2, Activation.IDENTITY).seed(6).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (Network network = Network.create(spec);
             ScoringService service = ScoringService.start(network, Optimizer.sgd(0.1), 0, 2, Duration.ofSeconds(3))) {
            String base = "http://127.0.0.1:" + service.port();
            HttpResponse<String> early = client.send(HttpRequest.newBuilder(URI.create(base + "/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> score = client.send(HttpRequest.newBuilder(URI.create(base + "/score"))
                    .POST(HttpRequest.BodyPublishers.ofString("0.5,-0.25")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, score.statusCode(), "scores while warming up: " + score.body());
            var warmUp = service.awaitReady(Duration.ofSeconds(30));
            assertTrue(warmUp != null && warmUp.calls() > 0, "the warm-up did not return: " + warmUp);
            if (early.statusCode() != 200) {
                assertEquals(503, early.statusCode(), early.body());
                assertEquals("warming up", early.body());
            }
            HttpResponse<String> later = client.send(HttpRequest.newBuilder(URI.create(base + "/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, later.statusCode(), later.body());
            assertEquals("ready: warm-up " + warmUp, later.body());
        }
    }

    @Test
    void refusesABadWarmUpBudget() {
        try (Network network = Network.create(MlpSpec.builder(2).dense(2, Activation.IDENTITY).seed(1).build())) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ScoringService.start(network, Optimizer.sgd(0.1), 0, 1, Duration.ZERO));
            assertTrue(e.getMessage().contains("positive duration"), e.getMessage());
        }
    }
}
