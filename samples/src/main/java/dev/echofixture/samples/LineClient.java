package dev.echofixture.samples;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for a newline-delimited request/response protocol: each request is one line of UTF-8
 * text, each response is the next line the server sends. It is the kind of code echo-fixture
 * is for: it has to cope with responses that arrive in pieces, servers that are slow, and
 * connections that are reset under it.
 *
 * <ul>
 *   <li>Responses are assembled across partial reads, up to {@code maxLineLength} bytes.</li>
 *   <li>Every read waits at most {@code readTimeout}; a time-out throws
 *       {@link SocketTimeoutException} and drops the connection (its stream is out of step).</li>
 *   <li>When the connection was reset or closed by the server, the request is sent once more on
 *       a fresh connection (so only use it for idempotent requests); a second failure is thrown.</li>
 * </ul>
 *
 * <pre>{@code
 * try (LineClient client = new LineClient(address, Duration.ofSeconds(2))) {
 *     String answer = client.request("PING");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one request at a time.
 */
public final class LineClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LineClient.class);

    private final InetSocketAddress address;
    private final Duration readTimeout;
    private final int maxLineLength;
    private Socket socket;
    private InputStream in; // buffered: bytes after a newline stay for the next response
    private int connectAttempts;
    private RetryListener retryListener = (line, cause) -> { };

    /** Told about each retry, for example to count or log them. */
    @FunctionalInterface
    public interface RetryListener {
        /**
         * Called before a request is sent again on a new connection.
         *
         * @param line  the request, without its newline
         * @param cause why the first attempt failed (a reset or an end of stream)
         */
        void retrying(String line, IOException cause);
    }

    /**
     * A client with lines of at most 64 KiB.
     *
     * @param address     the server
     * @param readTimeout how long one read may wait for the server
     */
    public LineClient(InetSocketAddress address, Duration readTimeout) {
        this(address, readTimeout, 64 * 1024);
    }

    /**
     * A client.
     *
     * @param address       the server
     * @param readTimeout   how long one read may wait for the server; at least 1 ms
     * @param maxLineLength the longest response line accepted, in bytes, without the newline
     * @throws IllegalArgumentException if the time-out is below 1 ms or the length below 1
     */
    public LineClient(InetSocketAddress address, Duration readTimeout, int maxLineLength) {
        this.address = Objects.requireNonNull(address, "address");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        if (readTimeout.toMillis() < 1 || readTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("readTimeout: " + readTimeout + " (expected: 1 ms to 24 days)");
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: >= 1)");
        }
        this.maxLineLength = maxLineLength;
    }

    /**
     * Sets who is told about retries (by default nobody).
     *
     * @param listener called on the requesting thread before each retry
     * @return this client
     */
    public LineClient onRetry(RetryListener listener) {
        this.retryListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sends one line and returns the response line.
     *
     * @param line the request, without a newline
     * @return the response, without its newline
     * @throws SocketTimeoutException if the server did not answer within the read time-out
     * @throws IOException if the request failed twice (reset or closed), the response is too
     *         long, or the server cannot be reached
     * @throws IllegalArgumentException if the line contains a newline
     */
    public String request(String line) throws IOException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line: contains a newline (expected: one line of text)");
        }
        byte[] request = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            return exchange(request);
        } catch (SocketTimeoutException e) {
            disconnect();
            throw e;
        } catch (SocketException | EOFException e) {
            log.debug("{}: {}; retrying once on a new connection", address, e.toString());
            disconnect();
            retryListener.retrying(line, e);
            try {
                return exchange(request);
            } catch (IOException again) {
                disconnect();
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    /**
     * How many connections this client has tried to open so far (a reset can already hit the
     * connect itself).
     *
     * @return the number of connect attempts
     */
    public int connectAttempts() {
        return connectAttempts;
    }

    private String exchange(byte[] request) throws IOException {
        Socket s = connection();
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        return readLine(in);
    }

    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(address + ": the server closed the connection after "
                        + line.size() + " bytes of a response line");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() == maxLineLength) {
                disconnect();
                throw new IOException(address + ": response line longer than " + maxLineLength
                        + " bytes (maxLineLength)");
            }
            line.write(b);
        }
    }

    private Socket connection() throws IOException {
        if (socket == null) {
            Socket s = new Socket();
            connectAttempts++;
            try {
                s.connect(address, (int) readTimeout.toMillis());
                s.setSoTimeout((int) readTimeout.toMillis());
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            log.debug("{}: connected from {}", address, s.getLocalSocketAddress());
        }
        return socket;
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("{}: close failed", address, e);
            }
            socket = null;
            in = null;
        }
    }

    /** Closes the connection, if any. Idempotent. */
    @Override
    public void close() {
        disconnect();
    }
}
