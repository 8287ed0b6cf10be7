package dev.echofixture;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous echo client: sends bytes and completes a future once the same number of
 * bytes came back. Several sends may be outstanding; they complete in order.
 *
 * <pre>{@code
 * try (EchoClient client = EchoClient.connect(server.uri())) {
 *     CompletableFuture<byte[]> echoed = client.send(payload);   // completes when payload.length bytes came back
 *     CompletableFuture<String> text = client.send("hello");     // UTF-8
 *     assertArrayEquals(payload, echoed.get(5, TimeUnit.SECONDS));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class EchoClient implements AutoCloseable {

    private EchoClient() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Connects to a {@code tcp://}, {@code udp://} or {@code unix:} URI, with the default
     * time-out of 10 seconds for the connect and every later send.
     *
     * @param uri the server, for example {@link EmbeddedEchoServer#uri()}
     * @return a connected client
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     * @throws IllegalArgumentException if the URI is not of a supported form
     */
    public static EchoClient connect(URI uri) {
        return connect(uri, Duration.ofSeconds(10));
    }

    /**
     * Connects to a {@code tcp://}, {@code udp://} or {@code unix:} URI.
     *
     * @param uri     the server
     * @param timeout bounds the connect and every later send
     * @return a connected client
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     * @throws IllegalArgumentException if the URI is not of a supported form or the time-out not positive
     */
    public static EchoClient connect(URI uri, Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Connects over TCP with the default time-out of 10 seconds.
     *
     * @param address the server
     * @return a connected client
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     */
    public static EchoClient connect(InetSocketAddress address) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Sends the payload and completes with exactly as many bytes once they came back.
     *
     * @param payload the bytes to send; an empty payload completes at once
     * @return the echoed bytes; completes exceptionally with an {@link java.io.EOFException} when
     *         the server closed first, a {@link java.net.SocketException} on reset, or a
     *         {@link java.util.concurrent.TimeoutException} after the client's time-out
     */
    public CompletableFuture<byte[]> send(byte[] payload) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Sends the buffer's remaining bytes (the buffer's position is advanced) and completes
     * with as many bytes once they came back.
     *
     * @param payload the bytes to send
     * @return the echoed bytes, as for {@link #send(byte[])}
     */
    public CompletableFuture<byte[]> send(ByteBuffer payload) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Sends the text as UTF-8 and completes with the echoed text.
     *
     * @param text the text; an empty text completes at once with an empty result
     * @return the echoed text, as for {@link #send(byte[])}
     */
    public CompletableFuture<String> send(String text) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The client's own address.
     *
     * @return the local address
     */
    public SocketAddress localAddress() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The server's address.
     *
     * @return the remote address
     */
    public SocketAddress remoteAddress() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Whether the client is open.
     *
     * @return {@code true} until closed by {@link #close()} or by the server
     */
    public boolean isOpen() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Closes the connection; outstanding sends complete exceptionally. Idempotent.
     */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
