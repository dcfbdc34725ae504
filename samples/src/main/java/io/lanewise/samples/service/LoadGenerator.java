package io.lanewise.samples.service;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop load generator for the scoring service, in the manner of wrk2: each of a fixed number of
 * keep-alive connections sends {@code POST /score} at its share of a constant rate, whatever the answers do,
 * and each latency is measured from the moment its request was due, so a stall of the server shows in full
 * instead of slowing the generator down (no coordinated omission). Loopback only. Optionally holds slow
 * clients open meanwhile, each having sent 5 bytes of a promised 1,000.
 *
 * <p>{@code java -cp lanewise.jar io.lanewise.samples.service.LoadGenerator PORT RATE SECONDS CONNECTIONS
 * SLOW_CLIENTS BODY}
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    /** Runs the load and prints the latency percentiles in microseconds. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        int slowClients = Integer.parseInt(args[4]);
        byte[] request = ("POST /score HTTP/1.1\r\nHost: loopback\r\nContent-Length: " + args[5].length() + "\r\n\r\n"
                + args[5]).getBytes(StandardCharsets.US_ASCII);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < slowClients; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            OutputStream out = s.getOutputStream();
            out.write("POST /score HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0.5,0".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slow.add(s);
        }
        Recorder recorder = new Recorder(60_000_000L, 3);
        AtomicLong failures = new AtomicLong();
        long period = 1_000_000_000L / rate;
        long perConnection = (long) rate * seconds / connections;
        long start = System.nanoTime() + 200_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    for (long i = 0; i < perConnection; i++) {
                        long due = start + (i * connections + connection) * period;
                        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(request);
                        out.flush();
                        if (readResponse(in) != 200) {
                            failures.incrementAndGet();
                        }
                        recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Socket s : slow) {
            s.close();
        }
        Histogram h = recorder.getIntervalHistogram();
        System.out.printf(Locale.ROOT, "rate %d/s for %d s over %d connections, %d slow clients: %d requests, %d failed; "
                        + "latency us p50 %d p90 %d p99 %d p99.9 %d max %d%n", rate, seconds, connections, slowClients,
                h.getTotalCount(), failures.get(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }

    /** Reads one response (headers, then a Content-Length body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        return Integer.parseInt(readResponseHead(in).substring(9, 12));
    }

    /**
     * Reads one response and returns its head, the status line and the headers, each line ended by a line feed;
     * its Content-Length body is read past, so the next response reads from its start.
     *
     * @throws IOException if the connection closes before the head ends
     */
    static String readResponseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int length = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            line.setLength(0);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.isEmpty()) {
                break;
            }
            String text = line.toString();
            if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(text.substring(15).trim());
            }
            head.append(text).append('\n');
        }
        in.readNBytes(length);
        return head.toString();
    }
}
