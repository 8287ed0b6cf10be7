package dev.echofixture;

import dev.echofixture.internal.client.ClientSession;
import dev.echofixture.internal.client.DatagramSession;
import dev.echofixture.internal.client.StreamSession;
import dev.echofixture.internal.client.TlsSession;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.SocketUris;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

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
 * <h2>Transports</h2>
 * {@code tcp://host:port} and {@code unix:/path} are streams: the echoed bytes are matched to
 * the sends in order, whatever chunks they arrive in. {@code udp://host:port} sends each
 * payload as one datagram (at most 65,507 bytes) and completes a send when its datagram came
 * back whole. UDP has no end of stream and may drop datagrams: a lost last datagram shows as a
 * time-out, a lost earlier one as soon as the next echo arrives in its place (a
 * {@link java.net.ProtocolException} naming both sizes), never as bytes handed to the wrong send.
 *
 * <h2>Time-outs and failures</h2>
 * The time-out given to {@link #connect(URI, Duration)} (default 10 seconds) bounds the
 * connect and each send, counted from the call to {@code send}. A send that times out
 * completes with a {@link java.util.concurrent.TimeoutException}, and the client closes:
 * bytes that arrive later could no longer be matched to their sends. The client also ends when
 * the server closes the connection ({@link java.io.EOFException}), resets it
 * ({@link java.net.SocketException}) or sends bytes nobody waits for
 * ({@link java.net.ProtocolException}, also for a UDP echo out of step), and when you call {@link #close()} (an
 * {@link java.io.IOException}). Every outstanding send and every later one then completes
 * exceptionally with an exception of that type, whose message starts with the server's
 * address and says what happened and how many bytes of that send came back. A cancelled
 * future does not cancel the send: its bytes are on the wire and still counted.
 *
 * <h2>Threads</h2>
 * A client made by {@code connect(...)} has one daemon I/O thread, {@code echo-fixture-client-<n>},
 * that ends on {@link #close()} or when the client fails. A client made by
 * {@link EmbeddedEchoServer#newClient()} has no thread of its own: its socket is served by the
 * server's loop thread ({@code echo-fixture-loop-<port>}), which makes it much cheaper to start
 * and close; when that server closes first, the client ends as if the server had closed the
 * connection ({@link java.io.EOFException}). Every method may be called from any thread.
 * Futures never complete on the I/O thread: they complete one after the other, in send order,
 * on the common {@link java.util.concurrent.ForkJoinPool}, so a callback never stalls the
 * client's I/O or time-outs. Because completions are serial, a non-async callback must not
 * <em>block</em> on a later send of the same client (that send's future completes only after the
 * callback returns): chain it instead, as in
 * {@code client.send("a").thenCompose(a -> client.send("b"))}. The common pool is shared by all
 * clients, and on a machine with two cores or fewer it has a single worker: run blocking work
 * in a callback with a {@code *Async} variant and an executor of your own.
 *
 * @since 0.1.0
 */
public final class EchoClient implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String DEFAULT_TIMEOUT_TEXT = Durations.format(DEFAULT_TIMEOUT);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Transport transport;
    private final ClientSession session;

    private EchoClient(Transport transport, ClientSession session) {
        this.transport = transport;
        this.session = session;
    }

    /**
     * Connects to a {@code tcp://}, {@code udp://} or {@code unix:} URI, with the default
     * time-out of 10 seconds for the connect and every later send.
     *
     * @param uri the server, for example {@link EmbeddedEchoServer#uri()}:
     *            {@code tcp://127.0.0.1:7007}, {@code tcp://[::1]:7007},
     *            {@code udp://127.0.0.1:7007} or {@code unix:/tmp/echo/echo.sock}
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     * @throws IllegalArgumentException naming the URI if it is not of a supported form
     *         (no port, an unknown scheme, ...), with an example of one that is
     */
    public static EchoClient connect(URI uri) {
        return connect(uri, DEFAULT_TIMEOUT);
    }

    /**
     * Connects to a {@code tcp://}, {@code udp://} or {@code unix:} URI. Blocks until
     * connected, at most {@code timeout}. A UDP "connect" only fixes the peer: a missing server
     * shows up on the first send (as a {@link java.net.PortUnreachableException} or a time-out).
     *
     * <pre>{@code
     * try (EchoClient client = EchoClient.connect(URI.create("tcp://127.0.0.1:7007"), Duration.ofSeconds(2))) {
     *     assertEquals("ping", client.send("ping").get(5, TimeUnit.SECONDS));
     * }
     * }</pre>
     *
     * @param uri     the server
     * @param timeout bounds the connect and every later send (each counted from its call)
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException naming the address if it cannot connect (refused,
     *         unknown host, no answer within the time-out)
     * @throws IllegalArgumentException if the URI is not of a supported form or the time-out not positive
     */
    public static EchoClient connect(URI uri, Duration timeout) {
        SocketUris.Parsed parsed = SocketUris.parse(uri);
        return open(parsed.transport(), parsed.address(), uri.toString(), timeout, null, null, null);
    }

    /**
     * Connects to a {@code tls://host:port} URI with this TLS context, with the default
     * time-out of 10 seconds for the connect (TCP and TLS handshake) and every later send.
     *
     * <pre>{@code
     * try (EchoClient client = EchoClient.connect(server.uri(), server.sslContextForClients())) {
     *     assertEquals("ping", client.send("ping").get(5, TimeUnit.SECONDS));
     * }
     * }</pre>
     *
     * @param uri        the server, for example {@code tls://127.0.0.1:7007}
     * @param sslContext the client's TLS context: whom it trusts, which certificate it presents
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException if it cannot connect or the handshake fails (its
     *         cause is then an {@link javax.net.ssl.SSLHandshakeException})
     * @throws IllegalArgumentException if the URI is not a {@code tls://} URI
     */
    public static EchoClient connect(URI uri, SSLContext sslContext) {
        return connect(uri, DEFAULT_TIMEOUT, sslContext);
    }

    /**
     * Connects to a {@code tls://host:port} URI with this TLS context. Blocks until the TCP
     * connect and the TLS handshake are done, at most {@code timeout}. The client verifies that
     * the server's certificate names the URI's host (as an HTTPS client does) and sends that
     * host by SNI when it is a DNS name. A plain {@code tls://} URI given to
     * {@link #connect(URI)} uses the JVM's default context ({@link SSLContext#getDefault()}).
     *
     * @param uri        the server, for example {@code tls://localhost:7007}
     * @param timeout    bounds the connect with its handshake, and every later send
     * @param sslContext the client's TLS context
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException if it cannot connect or the handshake fails or times out
     * @throws IllegalArgumentException if the URI is not a {@code tls://} URI or the time-out not positive
     */
    public static EchoClient connect(URI uri, Duration timeout, SSLContext sslContext) {
        Checks.notNull(sslContext, "sslContext");
        SocketUris.Parsed parsed = SocketUris.parse(uri);
        if (parsed.transport() != Transport.TLS) {
            throw new IllegalArgumentException("uri: " + uri + " (expected: a tls://host:port URI with an SSLContext;"
                    + " drop the SSLContext for " + parsed.transport().scheme() + ")");
        }
        return open(parsed.transport(), parsed.address(), uri.toString(), timeout, null, sslContext, null);
    }

    /**
     * Connects over TCP with the default time-out of 10 seconds.
     *
     * @param address the server, for example {@link EmbeddedEchoServer#address()}
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     */
    public static EchoClient connect(InetSocketAddress address) {
        Checks.notNull(address, "address");
        return open(Transport.TCP, address, SocketUris.uri(Transport.TCP, address).toString(), DEFAULT_TIMEOUT, null, null, null);
    }

    /**
     * Connects to a socket address with the default time-out of 10 seconds: TCP for an
     * {@link InetSocketAddress}, a Unix-domain socket for a {@link java.net.UnixDomainSocketAddress}.
     * Same as {@link #connect(SocketAddress, Duration)} with 10 seconds.
     *
     * <pre>{@code
     * try (EchoClient client = EchoClient.connect(server.socketAddress())) {   // TCP or UNIX, as the server
     *     assertEquals("ping", client.sendAndAwait("ping"));
     * }
     * }</pre>
     *
     * @param address the server: an {@link InetSocketAddress} (TCP) or a
     *                {@link java.net.UnixDomainSocketAddress} (UNIX), for example
     *                {@link EmbeddedEchoServer#socketAddress()}
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     * @throws IllegalArgumentException if the address is {@code null} or of another type
     * @since 0.1.0
     */
    public static EchoClient connect(SocketAddress address) {
        return connect(address, DEFAULT_TIMEOUT);
    }

    /**
     * Connects to a socket address: TCP for an {@link InetSocketAddress}, a Unix-domain socket
     * for a {@link java.net.UnixDomainSocketAddress}. Blocks until connected, at most
     * {@code timeout}. For UDP or TLS, use a {@code udp://} or {@code tls://} URI
     * ({@link #connect(URI, Duration)}).
     *
     * <pre>{@code
     * try (EchoClient client = EchoClient.connect(UnixDomainSocketAddress.of(socketFile), Duration.ofSeconds(2))) {
     *     assertEquals("ping", client.sendAndAwait("ping"));
     * }
     * }</pre>
     *
     * @param address the server: an {@link InetSocketAddress} (TCP) or a {@link java.net.UnixDomainSocketAddress} (UNIX)
     * @param timeout bounds the connect and every later send (each counted from its call)
     * @return a connected client; the caller closes it
     * @throws java.io.UncheckedIOException naming the address if it cannot connect
     * @throws IllegalArgumentException if the address is {@code null} or of another type, or the time-out not positive
     * @since 0.1.0
     */
    public static EchoClient connect(SocketAddress address, Duration timeout) {
        Checks.notNull(address, "address");
        Transport transport;
        if (address instanceof InetSocketAddress) {
            transport = Transport.TCP;
        } else if (address instanceof java.net.UnixDomainSocketAddress) {
            transport = Transport.UNIX;
        } else {
            throw new IllegalArgumentException("address: " + address + " (" + address.getClass().getName()
                    + "; expected: an InetSocketAddress for TCP or a UnixDomainSocketAddress for a Unix-domain socket;"
                    + " for UDP or TLS use a udp:// or tls:// URI)");
        }
        return open(transport, address, SocketUris.uri(transport, address).toString(), timeout, null, null, null);
    }

    /**
     * Connects a client for {@link EmbeddedEchoServer#newClient()}, served by that server's loop
     * instead of a loop (and thread) of its own; default time-out.
     *
     * @param arrivals the server's count of connections taken off its listening socket
     *                 ({@link ConnectionRegistry#arrivals()}), for the connect's hand-over
     */
    static EchoClient connectOn(EventLoop serverLoop, Transport transport, SocketAddress address, String serverUri,
                                SSLContext sslContext, java.util.function.LongSupplier arrivals) {
        return open(transport, address, serverUri, DEFAULT_TIMEOUT, serverLoop, sslContext, arrivals);
    }

    /** Connects on {@code sharedLoop}, or on a new loop of the client's own if it is {@code null}. */
    private static EchoClient open(Transport transport, SocketAddress address, String serverUri, Duration timeout,
                                   EventLoop sharedLoop, SSLContext sslContext, java.util.function.LongSupplier arrivals) {
        Checks.notNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeout: " + timeout + " (expected: > 0, for example Duration.ofSeconds(10))");
        }
        long timeoutNanos = Durations.saturatedNanos(timeout);
        String timeoutText = timeout.equals(DEFAULT_TIMEOUT) ? DEFAULT_TIMEOUT_TEXT : Durations.format(timeout);
        ClientSession session;
        if (transport == Transport.UNIX) {
            session = new StreamSession(serverUri, address, true, timeoutNanos, timeoutText);
        } else {
            InetSocketAddress inet = resolve((InetSocketAddress) address, serverUri);
            session = switch (transport) {
                case UDP -> new DatagramSession(serverUri, inet, timeoutNanos, timeoutText);
                case TLS -> new TlsSession(serverUri, inet, ((InetSocketAddress) address).getHostString(),
                        sslContext != null ? sslContext : defaultSslContext(), timeoutNanos, timeoutText);
                default -> new StreamSession(serverUri, inet, false, timeoutNanos, timeoutText);
            };
        }
        if (sharedLoop == null) {
            session.connect(new EventLoop("echo-fixture-client-" + COUNTER.incrementAndGet()), null);
        } else {
            session.connect(sharedLoop, arrivals);
        }
        return new EchoClient(transport, session);
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new java.io.IOException("no default TLS context in this JVM: " + e.getMessage()
                    + " (pass one to connect(uri, sslContext))", e));
        }
    }

    private static InetSocketAddress resolve(InetSocketAddress address, String serverUri) {
        InetSocketAddress resolved = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        if (resolved.isUnresolved()) {
            throw new UncheckedIOException(new UnknownHostException(
                    "cannot connect to " + serverUri + ": unknown host " + address.getHostString()));
        }
        return resolved;
    }

    /**
     * Sends the payload and completes with exactly as many bytes once they came back. The
     * array is copied: changing it afterwards does not change what is sent.
     *
     * @param payload the bytes to send; an empty payload completes at once with an empty result
     *                (on an open client)
     * @return the echoed bytes; completes exceptionally with an {@link java.io.EOFException} when
     *         the server closed first, a {@link java.net.SocketException} on reset, a
     *         {@link java.util.concurrent.TimeoutException} after the client's time-out, or an
     *         {@link java.io.IOException} once the client is closed (see the class comment)
     * @throws IllegalArgumentException over UDP, if the payload is larger than 65,507 bytes
     */
    public CompletableFuture<byte[]> send(byte[] payload) {
        Checks.notNull(payload, "payload");
        return submit(payload.clone());
    }

    /**
     * Sends the buffer's remaining bytes (the buffer's position is advanced to its limit) and
     * completes with as many bytes once they came back.
     *
     * @param payload the bytes to send; they are copied
     * @return the echoed bytes, as for {@link #send(byte[])}
     * @throws IllegalArgumentException over UDP, if more than 65,507 bytes remain
     */
    public CompletableFuture<byte[]> send(ByteBuffer payload) {
        Checks.notNull(payload, "payload");
        checkDatagramSize(payload.remaining());
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        return submit(copy);
    }

    /**
     * Sends the text as UTF-8 and completes with the echoed text.
     *
     * @param text the text; an empty text completes at once with an empty result
     * @return the echoed text, as for {@link #send(byte[])}
     * @throws IllegalArgumentException over UDP, if the text is longer than 65,507 bytes in UTF-8
     */
    public CompletableFuture<String> send(String text) {
        Checks.notNull(text, "text");
        return submit(text.getBytes(StandardCharsets.UTF_8))
                .thenApply(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Sends the payload and blocks until it came back: {@link #send(byte[])}, then waiting for the
     * result, at most the client's time-out (given to {@link #connect(URI, Duration)}, default 10
     * seconds). For tests that have nothing to do meanwhile:
     *
     * <pre>{@code
     * assertArrayEquals(payload, client.sendAndAwait(payload));
     * }</pre>
     *
     * @param payload the bytes to send
     * @return the echoed bytes
     * @throws java.io.UncheckedIOException when the send fails, with the {@link java.io.IOException}
     *         that {@code send} completes with as its cause: an {@link java.io.EOFException} when
     *         the server closed first, a {@link java.net.SocketException} on reset, a
     *         {@link java.net.SocketTimeoutException} (caused by the {@link TimeoutException})
     *         after the time-out, an {@link java.io.InterruptedIOException} if the waiting thread
     *         is interrupted (its interrupt flag stays set)
     * @throws IllegalArgumentException as for {@link #send(byte[])}
     * @since 0.1.0
     */
    public byte[] sendAndAwait(byte[] payload) {
        return await(send(payload));
    }

    /**
     * Sends the text as UTF-8 and blocks until it came back, as {@link #sendAndAwait(byte[])}.
     *
     * <pre>{@code
     * assertEquals("hello", client.sendAndAwait("hello"));
     * }</pre>
     *
     * @param text the text to send
     * @return the echoed text
     * @throws java.io.UncheckedIOException when the send fails, as for {@link #sendAndAwait(byte[])}
     * @throws IllegalArgumentException as for {@link #send(String)}
     * @since 0.1.0
     */
    public String sendAndAwait(String text) {
        return await(send(text));
    }

    /** Waits for a send; the client's loop completes every send by its deadline, so this never waits longer. */
    private <T> T await(CompletableFuture<T> send) {
        try {
            return send.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            if (cause instanceof TimeoutException timeout) {
                throw timedOut(timeout.getMessage(), timeout);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("send failed: " + this, new IOException(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for the echo: " + this));
        }
    }

    private static UncheckedIOException timedOut(String message, TimeoutException cause) {
        java.net.SocketTimeoutException timeout = new java.net.SocketTimeoutException(message);
        timeout.initCause(cause);
        return new UncheckedIOException(message, timeout);
    }

    private CompletableFuture<byte[]> submit(byte[] payload) {
        checkDatagramSize(payload.length);
        return session.send(payload);
    }

    private void checkDatagramSize(int size) {
        if (transport == Transport.UDP && size > DatagramSession.MAX_DATAGRAM) {
            throw new IllegalArgumentException("payload: " + size + " bytes (expected: at most "
                    + DatagramSession.MAX_DATAGRAM + " bytes, one UDP datagram; split it or use tcp://)");
        }
    }

    /**
     * The client's own address: an {@link InetSocketAddress} for TCP and UDP, an (unnamed)
     * {@link java.net.UnixDomainSocketAddress} for Unix-domain sockets.
     *
     * @return the local address (still known after close)
     */
    public SocketAddress localAddress() {
        return session.localAddress();
    }

    /**
     * The server's address: the resolved {@link InetSocketAddress} for TCP and UDP, a
     * {@link java.net.UnixDomainSocketAddress} for Unix-domain sockets.
     *
     * @return the remote address (still known after close)
     */
    public SocketAddress remoteAddress() {
        return session.remoteAddress();
    }

    /**
     * Whether the client is open.
     *
     * @return {@code true} until closed by {@link #close()}, by the server (end of stream or
     *         reset) or by a send that timed out
     */
    public boolean isOpen() {
        return session.isOpen();
    }

    /**
     * Closes the connection; outstanding sends complete exceptionally with an
     * {@link java.io.IOException}, and have done so when this returns (unless it is called
     * from one of this client's callbacks). Ends the client's thread within a bounded time.
     * Idempotent.
     */
    @Override
    public void close() {
        session.close();
    }

    /**
     * Describes the client, for example
     * {@code EchoClient[tcp://127.0.0.1:54321 from /127.0.0.1:40312, open, 2 sends outstanding]}.
     *
     * @return the address, the state and the number of outstanding sends
     */
    @Override
    public String toString() {
        return "EchoClient[" + session + "]";
    }
}
