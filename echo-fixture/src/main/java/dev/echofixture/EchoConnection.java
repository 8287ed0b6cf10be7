package dev.echofixture;

import dev.echofixture.internal.recording.ReceivedAwait;
import dev.echofixture.internal.util.Checks;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One connection accepted by an {@link EmbeddedEchoServer} (for UDP: one distinct peer): a live,
 * read-only view of what the peer sent, plus two actions to end it from the server side.
 *
 * <p>All methods are thread-safe and never block. The recording keeps the real count
 * ({@link #bytesReceived()}) separate from the recorded bytes ({@link #received()}), which are
 * capped at the server's {@code recordLimit}.
 *
 * <pre>{@code
 * EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
 * connection.awaitReceived("PING\r\n", Duration.ofSeconds(5));   // the code under test may still be writing
 * assertEquals("PING\r\n", connection.receivedText());
 * }</pre>
 *
 * @since 0.1.0
 */
public interface EchoConnection {

    /**
     * The peer's address, as the server saw it.
     *
     * @return the remote address (for Unix-domain sockets usually an unnamed address)
     */
    SocketAddress remoteAddress();

    /**
     * Whether the connection is still open on the server side.
     *
     * @return {@code true} until the server closed the connection or saw it closed
     */
    boolean isOpen();

    /**
     * Every byte read from the peer so far, not only the recorded ones.
     *
     * @return the number of bytes received
     */
    long bytesReceived();

    /**
     * Every byte written back to the peer so far.
     *
     * @return the number of bytes echoed
     */
    long bytesSent();

    /**
     * A copy of the first {@code recordLimit} bytes received, in order.
     *
     * @return the recorded bytes; empty when nothing was received or {@code recordLimit} is 0
     */
    byte[] received();

    /**
     * {@link #received()} decoded as UTF-8 (malformed input replaced).
     *
     * @return the recorded bytes as text
     */
    String receivedText();

    /**
     * The messages a {@link Script} received on this connection, as framed, each with what was
     * answered, in order; a greeting comes first, with an empty message. At most 10,000 are
     * kept; {@link EmbeddedEchoServer#clearRecording()} empties the list. Empty without a script.
     *
     * @return an unmodifiable snapshot
     * @since 0.1.0
     */
    default List<Exchange> exchanges() {
        return List.of();
    }

    /**
     * When the server accepted the connection (UDP: first saw the peer).
     *
     * @return the accept time
     */
    Instant openedAt();

    /**
     * When the connection was closed, by either side.
     *
     * @return the close time, empty while open
     */
    Optional<Instant> closedAt();

    /**
     * What the server did to this connection on purpose, in order, one line each: what a
     * {@link FaultPlan} chose (the rule that picked it and the behaviour it got, each step that
     * switched it, how it ended, each naming its rule, for example
     * {@code EchoBehavior.echo().resetAfter(10) (plan: first 2)}) and each fault an
     * {@link EchoBehavior} injected (for example {@code "datagram 3 dropped (udpLoss)"} or
     * {@code "byte 5 corrupted: 0x61 -> 0x9e (corruptAt)"}). At most 1000 are listed; a last
     * line then counts the rest. A few are also shown by {@code toString()}.
     *
     * @return the entries so far; empty if nothing was done to this connection
     * @since 0.1.0
     */
    default List<String> faults() {
        return List.of();
    }

    /**
     * Closes the connection gracefully from the server side: pending echoes are dropped, the
     * peer sees an orderly end of stream. Does nothing if already closed.
     */
    void close();

    /**
     * Closes the connection abortively: the peer sees a connection reset. Does nothing if
     * already closed. For UDP this only forgets the peer.
     */
    void reset();

    /**
     * What the server saw of the TLS handshake of a {@link Transport#TLS} connection so far:
     * in progress, completed (protocol, cipher suite, SNI name, ALPN, client certificates) or
     * failed (the reason and the alert). A failed handshake stays listed with its connection.
     *
     * @return the latest handshake snapshot; empty for other transports
     * @since 0.1.0
     */
    default Optional<TlsHandshake> tls() {
        return Optional.empty();
    }

    /**
     * Waits until the TLS handshake of this connection completed or failed.
     *
     * <pre>{@code
     * TlsHandshake tls = server.awaitConnections(1, Duration.ofSeconds(5)).get(0).awaitTls(Duration.ofSeconds(5));
     * assertEquals("TLSv1.3", tls.protocol());
     * }</pre>
     *
     * @param timeout how long to wait at most
     * @return the completed or failed handshake
     * @throws AssertionError if it is still in progress after {@code timeout}, naming the connection
     * @throws IllegalStateException if this is not a TLS connection
     * @since 0.1.0
     */
    default TlsHandshake awaitTls(Duration timeout) {
        throw new IllegalStateException("awaitTls: " + this + " is not a TLS connection");
    }

    /**
     * Waits until the peer ended this connection, and says how: an orderly close (the peer shut
     * down its output or closed its socket, and the server read the end of stream) or a reset;
     * over TLS also whether its {@code close_notify} came first. For a test that asserts that
     * the code under test closes its connection at a given point. Returns at once if the peer
     * has ended it already.
     *
     * <pre>{@code
     * codeUnderTest.quit();                                                  // should close its connection
     * ConnectionClose close = connection.awaitClosed(Duration.ofSeconds(5));
     * assertEquals(ConnectionClose.Kind.ORDERLY, close.kind());              // closed, not reset
     * }</pre>
     *
     * <p>The server sees a close only where it reads the connection: while it holds back reading
     * (backpressure: the peer writes without reading the echo) a close waits unread.
     *
     * @param timeout how long to wait at most
     * @return how the peer ended the connection
     * @throws AssertionError on time-out, or at once when the server closed the connection first
     *         (its {@link #close()} or {@link #reset()}, {@code closeAfter}/{@code resetAfter},
     *         the idle time-out, or the server's close): the message names the connection and its state
     * @throws IllegalStateException for a UDP peer: UDP has no close
     * @throws IllegalArgumentException if the time-out is {@code null} or negative
     * @since 0.1.0
     */
    default ConnectionClose awaitClosed(Duration timeout) {
        throw new UnsupportedOperationException("awaitClosed: not supported by " + getClass().getName());
    }

    /**
     * Waits until the bytes received on this connection contain {@code expected} (anywhere, in
     * one piece), so that a test can wait for what the code under test sent without polling.
     * Returns at once if they are already there, or if {@code expected} is empty.
     *
     * <p>Only the recording is searched: the first {@code recordLimit} bytes of the connection
     * (see {@link EmbeddedEchoServer.Builder#recordLimit(int)}). Once the recording is full and
     * more bytes arrived than it holds, bytes that are not in it can never be found, so this
     * fails at once (raise the {@code recordLimit}); it fails at once, too, when the
     * connection is closed without them.
     *
     * <pre>{@code
     * connection.awaitReceived(new byte[] {0x02, 'O', 'K', 0x03}, Duration.ofSeconds(5));
     * }</pre>
     *
     * @param expected the bytes to wait for
     * @param timeout  how long to wait at most
     * @throws AssertionError on time-out, or when the bytes can no longer arrive (closed, or
     *         the recording full); the message names the bytes, why, how many bytes were received
     *         and shows the recording as text and hex
     * @throws IllegalArgumentException if an argument is {@code null} or the time-out negative
     * @since 0.1.0
     */
    default void awaitReceived(byte[] expected, Duration timeout) {
        Checks.notNull(expected, "expected");
        ReceivedAwait.await(this, expected.clone(), ReceivedAwait.describeBytes(expected), timeout, ReceivedAwait.POLLING);
    }

    /**
     * Waits until the bytes received on this connection contain {@code expected} in UTF-8; as
     * {@link #awaitReceived(byte[], Duration)}.
     *
     * <pre>{@code
     * connection.awaitReceived("PING\r\n", Duration.ofSeconds(5));
     * }</pre>
     *
     * @param expected the text to wait for
     * @param timeout  how long to wait at most
     * @throws AssertionError on time-out, or when the text can no longer arrive, as for
     *         {@link #awaitReceived(byte[], Duration)}
     * @throws IllegalArgumentException if an argument is {@code null} or the time-out negative
     * @since 0.1.0
     */
    default void awaitReceived(String expected, Duration timeout) {
        Checks.notNull(expected, "expected");
        ReceivedAwait.await(this, expected.getBytes(StandardCharsets.UTF_8), ReceivedAwait.describeText(expected), timeout,
                ReceivedAwait.POLLING);
    }

    /**
     * Proxy mode: a copy of the first {@code recordLimit} bytes the upstream answered, in order
     * (what the proxy read from the upstream, before the conditions of the way back). Empty for
     * an echo server's connection, whose answers are its {@link #received()} bytes.
     *
     * @return the recorded answer bytes
     * @since 0.1.0
     */
    default byte[] sent() {
        return new byte[0];
    }

    /**
     * {@link #sent()} as UTF-8 text.
     *
     * @return the recorded answer as text
     * @since 0.1.0
     */
    default String sentText() {
        return new String(sent(), StandardCharsets.UTF_8);
    }

    /**
     * Proxy mode: both directions of the connection in the order the proxy read them, with their
     * times (at most {@code recordLimit} bytes each way). Empty for an echo server's connection.
     *
     * @return the dialogue so far, oldest first
     * @since 0.1.0
     */
    default java.util.List<DialogueEntry> dialogue() {
        return java.util.List.of();
    }

    /**
     * Proxy mode: why the upstream could not be reached for this connection (a refused or timed
     * out connect, a supplier that failed), once it failed; empty otherwise.
     *
     * @return the failure, for example {@code connect to tcp://127.0.0.1:1 failed: Connection refused}
     * @since 0.1.0
     */
    default Optional<String> upstreamFailure() {
        return Optional.empty();
    }
}
