package dev.echofixture.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Sends one line and reads the line that comes back, retrying on a new connection with
 * exponential backoff and full jitter: before retry {@code n} it waits a random time between 0
 * and {@code min(maxBackoff, baseBackoff * 2^(n-1))}. Each attempt has a connect time-out and a
 * read time-out; a connection that ends or is reset before the whole reply arrived counts as a
 * failed attempt. The kind of code a fault plan tests: "the first two connections fail".
 */
public final class BackoffClient {

    private final InetSocketAddress address;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Random random;

    /**
     * @param address        the server
     * @param maxAttempts    at least 1
     * @param baseBackoff    the upper bound of the first wait
     * @param maxBackoff     the cap of every wait
     * @param connectTimeout per attempt
     * @param readTimeout    per read
     * @param random         the jitter's source (seed it in tests)
     */
    public BackoffClient(InetSocketAddress address, int maxAttempts, Duration baseBackoff, Duration maxBackoff,
                         Duration connectTimeout, Duration readTimeout, Random random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: at least 1)");
        }
        this.address = Objects.requireNonNull(address, "address");
        this.maxAttempts = maxAttempts;
        this.baseBackoff = Objects.requireNonNull(baseBackoff, "baseBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Sends {@code line} (a newline is added) and returns the reply without its newline.
     *
     * @param line the request
     * @return the reply
     * @throws IOException the last attempt's failure, with the earlier ones suppressed
     * @throws InterruptedException if interrupted while backing off
     */
    public String request(String line) throws IOException, InterruptedException {
        IOException failure = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                Thread.sleep(backoffBefore(attempt));
            }
            try {
                return once(line);
            } catch (IOException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    /** The wait before this attempt (2 or more), in milliseconds: full jitter under the capped exponential bound. */
    long backoffBefore(int attempt) {
        long bound = baseBackoff.toMillis() << Math.min(attempt - 2, 30);
        bound = Math.max(1, Math.min(bound, maxBackoff.toMillis()));
        return (long) (random.nextDouble() * bound);
    }

    private String once(String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection ended after " + reply.length() + " bytes of the reply");
                }
                reply.append((char) b);
            }
            return reply.toString();
        }
    }
}
