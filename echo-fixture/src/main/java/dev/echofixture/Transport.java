package dev.echofixture;

/**
 * The kind of socket an {@link EmbeddedEchoServer} listens on and an {@link EchoClient}
 * connects with.
 *
 * @since 0.1.0
 */
public enum Transport {
    /** A TCP stream socket; URIs look like {@code tcp://127.0.0.1:54321}. The default. */
    TCP("tcp"),
    /**
     * A UDP datagram socket; each datagram is echoed whole to its sender. URIs look like
     * {@code udp://127.0.0.1:54321}.
     *
     * <p>Each distinct sender address is one {@link EchoConnection}, listed in the order of its
     * first datagram. {@link EchoConnection#close()} and {@link EchoConnection#reset()} forget a
     * peer (its next datagram opens a new connection), as does the idle time-out; datagrams from
     * new peers beyond {@code maxConnections} open ones are dropped and counted as rejected.
     * Conditions apply per datagram: latency, jitter and bandwidth delay whole datagrams without
     * reordering them, {@code silent} echoes nothing, {@code chunkSize} does not apply, and
     * {@code closeAfter(n)} echoes whole datagrams while the peer's echoed total stays at most
     * {@code n}, then closes the peer's view and echoes nothing more to that address.
     * {@code resetAfter} is rejected. Datagrams held for a delay take at most 1 MiB per server;
     * beyond it they are dropped, as a network would drop them.
     */
    UDP("udp"),
    /** A Unix-domain stream socket bound to a file; URIs look like {@code unix:/tmp/echo-123/echo.sock}. */
    UNIX("unix"),
    /**
     * TLS over TCP; URIs look like {@code tls://127.0.0.1:54321}. Everything works as over TCP
     * on the plaintext: the echo, the recording (what the client sent, decrypted), backpressure
     * and every condition ({@code closeAfter}/{@code resetAfter} count plaintext bytes). The
     * server presents a certificate made at start; see {@link TlsOptions} and
     * {@link EmbeddedEchoServer#sslContextForClients()}.
     *
     * <p>The first TLS server of a JVM makes the JVM's test CA, its certificate and its
     * {@code SSLContext} (together some 100-200 ms of the JDK's first use of TLS) on a
     * background daemon thread, {@code echo-fixture-tls-setup}, that ends when they are made:
     * {@code start()} returns once the port is bound, and what needs them waits until they
     * are ready: {@code sslContextForClients()}, {@code trustManager()},
     * {@code certificateChain()}, {@code newClient()}, and the handshake of a connection
     * accepted meanwhile (the server's loop is not blocked). Later servers, and servers with
     * their own key, protocols or cipher suites (checked at start), make theirs in
     * {@code start()}.
     */
    TLS("tls");

    private final String scheme;

    Transport(String scheme) {
        this.scheme = scheme;
    }

    /**
     * The URI scheme of this transport.
     *
     * @return {@code "tcp"}, {@code "udp"}, {@code "unix"} or {@code "tls"}
     */
    public String scheme() {
        return scheme;
    }

    /**
     * The transport named by a URI scheme, ignoring case.
     *
     * @param scheme {@code "tcp"}, {@code "udp"}, {@code "unix"} or {@code "tls"}
     * @return the matching transport
     * @throws IllegalArgumentException if the scheme is none of these
     */
    public static Transport ofScheme(String scheme) {
        for (Transport t : values()) {
            if (t.scheme.equalsIgnoreCase(scheme)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "scheme: " + scheme + " (expected: tcp, udp, unix or tls, as in tcp://127.0.0.1:7007)");
    }
}
