package io.lanewise.samples.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.nn.Network;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The service against hostile and careless clients, on loopback, every wait bounded: slow and malformed
 * requests, wrong paths and methods, poisoned feedback, a learner that cannot go on, and access control.
 */
class ScoringServiceHostileTest {
    private static final MlpSpec SPEC = MlpSpec.builder(2).dense(16, Activation.RELU).dense(2, Activation.IDENTITY)
            .seed(5).build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static HttpResponse<String> send(ScoringService service, String method, String path, String body,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(3))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes {@code bytes} on a fresh connection and returns the status line answered within 3 s, or what happened. */
    private static String statusLineOf(ScoringService service, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            InputStream in = write(socket, bytes);
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r' && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (SocketTimeoutException e) {
            return "no answer within 3 s";
        }
    }

    @Test
    void slowClientsDoNotHoldUpScoringOrStats() throws Exception {
        try (Network network = Network.create(SPEC);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01), 0, 4)) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) { // twice as many slow clients as predictors
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), service.port());
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /score HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0.5,0").getBytes(
                            StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(s);
                }
                // Slow clients that held a predictor would hold all 4 of them: these requests would then get no
                // answer at all (send's request timeout only keeps the test from hanging).
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, send(service, "POST", "/score", "0.1,0.2").statusCode());
                    assertEquals(200, send(service, "GET", "/stats", null).statusCode());
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void malformedHttpAndOversizeBodiesGetAnAnswerAtOnce() throws Exception {
        try (Network network = Network.create(SPEC);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01), 0, 2)) {
            byte[] junk = new byte[64];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = (byte) (i * 37 + 11);
            }
            assertTrue(statusLineOf(service, junk).startsWith("HTTP/1.1 400"), "binary junk");
            String badChunk = "POST /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n0.1,0.2\r\n0\r\n\r\n";
            assertTrue(statusLineOf(service, badChunk.getBytes(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400"),
                    "bad chunk size");
            String huge = "POST /score HTTP/1.1\r\nHost: x\r\nContent-Length: " + (ScoringService.MAX_BODY_BYTES + 1)
                    + "\r\n\r\n0.1";
            assertTrue(statusLineOf(service, huge.getBytes(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 413"),
                    "a body over the limit");
            assertEquals(200, send(service, "POST", "/score", "0.1,0.2").statusCode(), "still serving");
        }
    }

    @Test
    void pathsMatchExactlyAndOtherMethodsGet405() throws Exception {
        try (Network network = Network.create(SPEC);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01), 0, 1)) {
            assertEquals(404, send(service, "POST", "/scorexyz", "0.1,0.2").statusCode());
            assertEquals(404, send(service, "GET", "/stats/more", null).statusCode());
            HttpResponse<String> postStats = send(service, "POST", "/stats", "x");
            assertEquals(405, postStats.statusCode());
            assertEquals("GET", postStats.headers().firstValue("Allow").orElse(null));
            assertEquals(405, send(service, "GET", "/score", null).statusCode());
            assertEquals(405, send(service, "PUT", "/learn", "0;0.1,0.2").statusCode());
            assertEquals(400, send(service, "POST", "/score", "0.1,1e39").statusCode());
            assertEquals(400, send(service, "POST", "/score", "0.1,NaN").statusCode());
            assertEquals(200, send(service, "POST", "/score", "\"0.1\",0.2").statusCode(), "quoted cells are CSV");
        }
    }

    private static void awaitLearned(ScoringService service, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (service.learned() + service.rejected() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void theLearnerRejectsAPoisonousExampleCountsItAndKeepsLearning() throws Exception {
        try (Network network = Network.create(SPEC);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01), 0, 2)) {
            assertEquals(202, send(service, "POST", "/learn", "0;3e38,3e38").statusCode());
            for (int i = 0; i < 40; i++) {
                assertEquals(202, send(service, "POST", "/learn", (i % 2) + ";0." + i + ",0.5").statusCode());
            }
            awaitLearned(service, 41);
            assertEquals(1, service.rejected(), "the poisonous example alone is rejected");
            assertEquals(40, service.learned(), "the others are learned");
            assertEquals(200, send(service, "GET", "/health", null).statusCode());
            String stats = send(service, "GET", "/stats", null).body();
            assertTrue(stats.contains("rejected 1\n") && stats.contains("learner running"), stats);
            assertEquals(200, send(service, "POST", "/score", "0.1,0.2").statusCode());
        }
    }

    @Test
    void aLearnerThatCannotGoOnSaysSoAndFeedbackIsRefused() throws Exception {
        try (Network network = Network.create(SPEC);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01), 0, 2)) {
            network.close(); // the weights being trained are gone: the learner cannot step or restore
            assertEquals(202, send(service, "POST", "/learn", "1;0.1,0.2").statusCode());
            long deadline = System.nanoTime() + 10_000_000_000L;
            HttpResponse<String> health = send(service, "GET", "/health", null);
            while (health.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                health = send(service, "GET", "/health", null);
            }
            assertEquals(503, health.statusCode());
            assertTrue(health.body().startsWith("learner failed: "), health.body());
            HttpResponse<String> learn = send(service, "POST", "/learn", "1;0.1,0.2");
            assertEquals(503, learn.statusCode());
            assertTrue(learn.body().contains("the learner has stopped"), learn.body());
            assertTrue(send(service, "GET", "/stats", null).body().contains("learner failed: "));
            assertEquals(200, send(service, "POST", "/score", "0.1,0.2").statusCode(), "scoring goes on");
        }
    }

    @Test
    void withASecretLearningNeedsItAndScoringStaysOpen() throws Exception {
        try (Network network = Network.create(SPEC);
             ScoringService service = ScoringService.start(network, Optimizer.adam(0.01),
                     new ScoringService.Settings("127.0.0.1", 0, 1, "s3cret-value", 0, 10_000))) {
            HttpResponse<String> none = send(service, "POST", "/learn", "1;0.1,0.2");
            assertEquals(401, none.statusCode());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(401, send(service, "POST", "/learn", "1;0.1,0.2", "Authorization", "Bearer wrong").statusCode());
            assertEquals(202, send(service, "POST", "/learn", "1;0.1,0.2", "Authorization", "Bearer s3cret-value")
                    .statusCode());
            assertEquals(200, send(service, "POST", "/score", "0.1,0.2").statusCode());
        }
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> new ScoringService.Settings("0.0.0.0", 0, 1, null, 0, 10_000));
        assertTrue(open.getMessage().contains("exposes /learn beyond this machine"), open.getMessage());
    }

    /** Writes {@code bytes} on {@code socket} and returns its input, whose reads wait 3 s at most. */
    private static InputStream write(Socket socket, byte[] bytes) throws IOException {
        socket.setSoTimeout(3_000);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return socket.getInputStream();
    }

    /** Writes {@code bytes} on {@code socket} and returns the answer's head, its body read past. */
    private static String headOf(Socket socket, byte[] bytes) throws IOException {
        return LoadGenerator.readResponseHead(write(socket, bytes));
    }

    /**
     * A service that learns one example per 100 s from each client, in bursts of 1: the refill cannot reach another
     * token during a test, so what it refuses does not depend on the machine's speed.
     */
    private static ScoringService oneExamplePer100Seconds(Network network) throws IOException {
        return ScoringService.start(network, Optimizer.adam(0.01),
                new ScoringService.Settings("127.0.0.1", 0, 1, null, 0.01, 10_000));
    }

    @Test
    void refusalsWithTheBodyUnreadCloseTheConnection() throws Exception {
        try (Network network = Network.create(SPEC); ScoringService service = oneExamplePer100Seconds(network)) {
            assertEquals(202, send(service, "POST", "/learn", "1;0.1,0.2").statusCode());
            // The body has not arrived when the 429 goes out: the server cannot read past it, so the connection must
            // close, and the answer must say so, or a client would send its next request into a closed socket.
            for (String request : List.of("POST /learn HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n",
                    "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n",
                    "PUT /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
                    String head = headOf(socket, request.getBytes(StandardCharsets.US_ASCII));
                    assertTrue(head.toLowerCase(Locale.ROOT).contains("connection: close"), request + head);
                }
            }
            // With nothing left unread, a refusal keeps the connection: a second request on it is answered.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
                byte[] noBody = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                assertTrue(headOf(socket, noBody).startsWith("HTTP/1.1 404"));
                assertTrue(headOf(socket, noBody).startsWith("HTTP/1.1 404"));
            }
        }
    }

    @Test
    void eachClientsFeedbackIsRateLimited() throws Exception {
        try (Network network = Network.create(SPEC); ScoringService service = oneExamplePer100Seconds(network)) {
            // The rate itself is ClientRatesTest's, on a hand clock.
            assertEquals(202, send(service, "POST", "/learn", "1;0.1,0.2").statusCode());
            for (int i = 0; i < 9; i++) {
                assertEquals(429, send(service, "POST", "/learn", "1;0.1,0.2").statusCode(), "example " + (i + 2));
            }
        }
    }
}
