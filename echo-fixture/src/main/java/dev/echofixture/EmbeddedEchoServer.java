package dev.echofixture;

import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.recording.LeftOpenCheck;
import dev.echofixture.internal.server.DatagramServer;
import dev.echofixture.internal.server.TransportServer;
import dev.echofixture.internal.server.ServerConfig;
import dev.echofixture.internal.server.ServerContext;
import dev.echofixture.internal.server.StreamServer;
import dev.echofixture.internal.tls.ServerTls;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.SocketUris;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * An in-process echo server for tests: TCP (RFC 862), UDP, Unix-domain sockets or TLS, on an
 * ephemeral loopback port by default, with switchable network conditions and a recording of
 * what every peer sent.
 *
 * <pre>{@code
 * try (EmbeddedEchoServer server = EmbeddedEchoServer.start();      // TCP, 127.0.0.1, ephemeral port
 *      EchoClient client = server.newClient()) {
 *     assertEquals("hello", client.send("hello").get(5, TimeUnit.SECONDS));
 *     EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
 *     assertEquals("hello", connection.receivedText());
 * }
 * }</pre>
 *
 * <p>Configure it with the {@link #builder()}:
 *
 * <pre>{@code
 * EmbeddedEchoServer server = EmbeddedEchoServer.builder()
 *         .transport(Transport.UDP)
 *         .behavior(EchoBehavior.echo().latency(Duration.ofMillis(50)))
 *         .start();
 * }</pre>
 *
 * <h2>Echo semantics</h2>
 * Over TCP and UNIX every byte received is sent back in order, exactly once (RFC 862). When the
 * peer shuts down its output, the server sends what is still pending, then shuts down its own
 * output and closes. A peer that writes without reading never makes the server buffer more than
 * about 128 KiB for it: the server stops reading from that connection until it could write.
 * Over UDP each datagram is sent back whole to its sender.
 *
 * <h2>Threads and lifecycle</h2>
 * One daemon thread, {@code echo-fixture-loop-<port>} ({@code echo-fixture-loop-unix-<n>} for
 * UNIX), owns all sockets of a server, and those of the clients made by {@link #newClient()},
 * and serves nothing else; every method here may be called from any thread.
 * {@link #close()} is idempotent and returns only once the port is free and the thread no
 * longer serves the server. The thread comes from a pool rather than being started for each
 * server: after {@code close()} it is renamed {@code echo-fixture-idle-<n>}, holds no socket,
 * and ends after 2 seconds unless a new server takes it. After {@code close()} the recording
 * ({@link #connections()}, {@link #stats()}) stays readable, while
 * {@link #behavior(EchoBehavior)} and {@link #newClient()} throw {@link IllegalStateException}.
 *
 * @since 0.1.0
 */
public final class EmbeddedEchoServer implements AutoCloseable {

    private final ServerConfig config;
    private final ServerContext context;
    private final TransportServer transportServer;
    private final SocketAddress boundAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private volatile URI uri; // built on first use; the same value every time

    private EmbeddedEchoServer(ServerConfig config, TlsOptions tlsOptions, Script script, ProxyOptions proxy) {
        this.config = config;
        // an inner class, not this::describe: no lambda on the start path (docs/DESIGN.md, "First start")
        ConnectionRegistry registry = new ConnectionRegistry(config.recordLimit(), new Supplier<String>() {
            @Override
            public String get() {
                return describe();
            }
        });
        ServerTls tls = config.transport() == Transport.TLS
                ? ServerTls.create(tlsOptions, config.host(), config.bindAddress()) : null;
        this.context = new ServerContext(config, registry, tls, script);
        if (proxy != null) {
            context.proxy(proxy.route());
        }
        this.transportServer = switch (config.transport()) {
            case TCP, UNIX, TLS -> StreamServer.open(context);
            case UDP -> DatagramServer.open(context);
        };
        this.boundAddress = transportServer.localAddress();
    }

    /**
     * Starts a TCP echo server on the loopback address and an ephemeral port, with plain echo.
     * Same as {@code builder().start()}.
     *
     * @return the running server; close it when done
     * @throws java.io.UncheckedIOException if it cannot bind
     */
    public static EmbeddedEchoServer start() {
        return builder().start();
    }

    /**
     * A builder for a server with other settings than the defaults.
     *
     * @return a new builder with the defaults: TCP, 127.0.0.1, port 0, plain echo
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The transport this server listens on.
     *
     * @return TCP, UDP, UNIX or TLS
     */
    public Transport transport() {
        return config.transport();
    }

    /**
     * The bound address.
     *
     * @return an {@link InetSocketAddress} for TCP and UDP, a {@link java.net.UnixDomainSocketAddress} for UNIX
     */
    public SocketAddress socketAddress() {
        return boundAddress;
    }

    /**
     * The bound IP address and port (TCP and UDP).
     *
     * @return the bound address, with the actual port when port 0 was asked for
     * @throws IllegalStateException for a UNIX server, which has no IP address
     */
    public InetSocketAddress address() {
        return inetAddress("address()");
    }

    private InetSocketAddress inetAddress(String method) {
        SocketAddress address = socketAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet;
        }
        throw new IllegalStateException(method + " is for TCP and UDP servers; this one is " + transport()
                + " at " + uri() + ": use socketAddress() or uri()");
    }

    /**
     * The bound host address as text, for example {@code 127.0.0.1} or {@code ::1}.
     *
     * @return the host address
     * @throws IllegalStateException for a UNIX server
     */
    public String host() {
        return SocketUris.compressIpv6(inetAddress("host()").getAddress().getHostAddress());
    }

    /**
     * The bound port (TCP and UDP).
     *
     * @return the actual port
     * @throws IllegalStateException for a UNIX server
     */
    public int port() {
        return inetAddress("port()").getPort();
    }

    /**
     * The server's address as a URI that {@link EchoClient#connect(URI)} understands:
     * {@code tcp://127.0.0.1:54321}, {@code udp://[::1]:54321} or {@code unix:/tmp/.../echo.sock}.
     *
     * @return the URI
     */
    public URI uri() {
        URI known = uri;
        if (known == null) {
            known = SocketUris.uri(transport(), socketAddress());
            uri = known;
        }
        return known;
    }

    /**
     * Connects a new client to this server; the caller closes it. The client is served by this
     * server's thread (it starts no thread of its own, see {@link EchoClient}), and ends with an
     * end of stream if the server closes first. It returns once connected, which may be a moment
     * before the server's thread has accepted the connection: to see it in
     * {@link #connections()}, use {@link #awaitConnections(int, Duration)}.
     *
     * @return a connected client
     * @throws java.io.UncheckedIOException if it cannot connect
     * @throws IllegalStateException if the server is closed
     */
    public EchoClient newClient() {
        checkOpen("newClient()");
        SSLContext sslContext = context.tls() != null ? context.tls().clientContext() : null;
        URI known = uri;
        String text = known != null ? known.toString() : SocketUris.uriText(transport(), socketAddress()); // no URI parsed per test
        return EchoClient.connectOn(transportServer.loop(), transport(), socketAddress(), text, sslContext, context.registry()::arrivals);
    }

    /**
     * A client {@link SSLContext} for this {@link Transport#TLS} server: it trusts the server's
     * certificate ({@link #trustManager()}) and, when the server asks for one (client
     * authentication), presents a client certificate the server trusts ({@link #clientKeyManager()}).
     * Made on first use; the same instance every time.
     *
     * <pre>{@code
     * SSLSocketFactory factory = server.sslContextForClients().getSocketFactory();
     * try (SSLSocket socket = (SSLSocket) factory.createSocket(server.host(), server.port())) {
     *     socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
     * }
     * }</pre>
     *
     * @return a client context that trusts this server
     * @throws IllegalStateException if the server is not a TLS server
     */
    public SSLContext sslContextForClients() {
        return tls("sslContextForClients()").clientContext();
    }

    /**
     * A trust manager that trusts this {@link Transport#TLS} server: it trusts the JVM's test CA
     * that signed the generated certificate (so every generated certificate of this JVM), the
     * self-signed certificate, or the last certificate of a user-supplied chain.
     *
     * @return the trust manager for the server's certificate
     * @throws IllegalStateException if the server is not a TLS server
     */
    public X509TrustManager trustManager() {
        return tls("trustManager()").trustManager();
    }

    /**
     * The certificate chain this {@link Transport#TLS} server presents, leaf first: the
     * generated certificate and the JVM's test CA, the self-signed certificate alone, or the
     * user's chain.
     *
     * @return the chain, immutable
     * @throws IllegalStateException if the server is not a TLS server
     */
    public List<X509Certificate> certificateChain() {
        return tls("certificateChain()").chain();
    }

    /**
     * A key manager holding a client certificate ({@code CN=echo-fixture client}, EC P-256)
     * issued by the JVM's test CA, which this server trusts under client authentication
     * (unless {@link TlsOptions#trustedClients} says otherwise). Its key is made on first use.
     *
     * @return the client key manager that {@link #sslContextForClients()} uses
     * @throws IllegalStateException if the server is not a TLS server
     */
    public X509KeyManager clientKeyManager() {
        return tls("clientKeyManager()").clientKeyManager();
    }

    private ServerTls tls(String method) {
        ServerTls tls = context.tls();
        if (tls == null) {
            throw new IllegalStateException(method + " is for TLS servers; this one is " + transport()
                    + " (start it with builder().transport(Transport.TLS))");
        }
        return tls;
    }

    /**
     * The current behaviour.
     *
     * @return the behaviour applied to bytes read from now on
     */
    public EchoBehavior behavior() {
        return context.behavior();
    }

    /**
     * Refuses connects for {@code window}, then accepts again on the same port: a client's
     * connect meanwhile fails with {@link java.net.ConnectException} ("Connection refused"), as
     * against a port nobody listens on. The server closes its listening socket and holds the port
     * with a bound socket that does not listen, so no other process can take it; connections
     * already open are not touched. A second call while refusing extends the window if it ends
     * later. Returns at once; the refusal starts within the server's loop turn, so await it with
     * a connect that fails rather than assume it.
     *
     * @param window how long to refuse, 0 to 1 hour
     * @throws IllegalArgumentException if {@code window} is null, negative or longer than an hour
     * @throws UnsupportedOperationException for UDP (no connects) and UNIX (a socket file cannot
     *         be held without listening)
     * @throws IllegalStateException if the server is closed
     * @since 0.1.0
     */
    public void refuseConnections(Duration window) {
        checkOpen("refuseConnections(Duration)");
        transportServer.refuseConnections(Checks.delay(window, "window").toNanos());
    }

    /**
     * Leaves connects unanswered for {@code window}, then accepts again on the same port: a
     * client's connect meanwhile gets no answer, so its connect time-out fires (for example
     * {@code socket.connect(address, 500)} throws {@link java.net.SocketTimeoutException}); a
     * connect with a longer time-out may complete once the window ended, when its retried SYN
     * finds the listener again. The server replaces its listener with one whose accept queue (a
     * backlog of 1) it fills with connections of its own, and Linux drops the SYNs a full queue
     * cannot take; at the end it closes its own connections and listens as before. Connections
     * already open are not touched; a second call while a window runs extends it if it ends
     * later. Other systems may answer a full queue with a reset instead (the connect is then
     * refused, not timed out). Returns at once; the window starts within the server's loop turn.
     *
     * @param window how long to leave connects unanswered, 0 to 1 hour
     * @throws IllegalArgumentException if {@code window} is null, negative or longer than an hour
     * @throws UnsupportedOperationException for UDP (no connects) and UNIX (a UNIX connect to a
     *         full queue fails at once or waits without a time-out)
     * @throws IllegalStateException if the server is closed
     * @since 0.1.0
     */
    public void leaveConnectsUnanswered(Duration window) {
        checkOpen("leaveConnectsUnanswered(Duration)");
        transportServer.leaveConnectsUnanswered(Checks.delay(window, "window").toNanos());
    }

    /**
     * Switches the behaviour at run time. It applies to bytes read after the call, on open and
     * new connections; bytes already read keep the behaviour they were read under.
     *
     * @param behavior the new behaviour
     * @throws SettingException if the transport cannot carry it out or would ignore part of it
     *         ({@code chunkSize} or {@code resetAfter} on UDP), naming that setting: the same check
     *         as at start
     * @throws IllegalStateException if the server is closed
     */
    public void behavior(EchoBehavior behavior) {
        checkOpen("behavior(EchoBehavior)");
        context.behavior(behavior);
    }

    /**
     * Every connection accepted so far (UDP: every distinct peer), oldest first, closed ones
     * included; rejected connections are not listed.
     *
     * @return an immutable snapshot of the list; each element is a live view
     */
    public List<EchoConnection> connections() {
        return context.registry().connections();
    }

    /**
     * How the client behaved: when each listed connection was accepted, how it ended and who
     * ended it first, and the intervals between connects (to check a retry's backoff).
     *
     * @return a snapshot of the connections listed now
     * @since 0.1.0
     */
    public ConnectHistory connectHistory() {
        return ConnectHistory.of(connections());
    }

    /**
     * Waits until at least {@code count} connections were accepted.
     *
     * @param count   how many connections to wait for, at least 1
     * @param timeout how long to wait at most
     * @return the first {@code count} connections, oldest first
     * @throws AssertionError if fewer arrived in time (or before the server was closed); the message
     *         says how many of how many arrived in how long, for example
     *         {@code "2 of 3 connections arrived within 1s at tcp://127.0.0.1:54321"}
     * @throws IllegalArgumentException if {@code count} is below 1 or {@code timeout} negative
     */
    public List<EchoConnection> awaitConnections(int count, Duration timeout) {
        return context.registry().await(count, timeout);
    }

    /**
     * The next connection in accept order that this method has not handed out yet, waiting for
     * it if none is there: like MockWebServer's {@code takeRequest()}, each connection is handed
     * out once, oldest first, closed ones included (UDP: each new peer).
     *
     * <pre>{@code
     * codeUnderTest.connectTwice(server.uri());
     * EchoConnection first = server.takeConnection(Duration.ofSeconds(5));
     * EchoConnection second = server.takeConnection(Duration.ofSeconds(5));   // a different one
     * }</pre>
     *
     * <p>It is a cursor over {@link #connections()}: {@code awaitConnections} and
     * {@code connections()} neither move it nor are changed by it. {@link #clearRecording()}
     * keeps in line the open connections not taken yet.
     *
     * @param timeout how long to wait at most
     * @return the next connection not taken yet (a live view)
     * @throws AssertionError if none arrives in time, or the server is closed before one does;
     *         the message names the server and how many connections were accepted and taken
     * @throws IllegalArgumentException if {@code timeout} is {@code null} or negative
     * @since 0.1.0
     */
    public EchoConnection takeConnection(Duration timeout) {
        return context.registry().take(timeout);
    }

    /**
     * Forgets what was recorded so far, for the next phase of a test: afterwards the server
     * looks as if the connections still open had just been accepted. Exactly:
     * <ul>
     *   <li>{@link #connections()}: closed connections leave the list; open ones stay, in order.</li>
     *   <li>each open connection's recording: {@link EchoConnection#received()} is empty, and
     *       {@link EchoConnection#bytesReceived() bytesReceived()} and
     *       {@link EchoConnection#bytesSent() bytesSent()} start again from 0 (a new
     *       {@code recordLimit} bytes are recorded from now on);</li>
     *   <li>{@link #stats()}: {@code connectionsAccepted} counts the open connections,
     *       {@code connectionsRejected} and the byte totals start again from 0;
     *       {@code activeConnections} is unchanged;</li>
     *   <li>{@link #awaitConnections(int, Duration)} counts from the open connections;</li>
     *   <li>{@link #takeConnection(Duration)}: open connections not taken yet stay in line;
     *       closed ones leave it.</li>
     * </ul>
     * Nothing else changes: open connections stay open and keep being echoed, and the
     * behaviour, the seed (and each connection's jitter) and TLS handshake records stay.
     * Bytes that reached the server before the call are cleared too: the server first catches
     * up with its sockets.
     *
     * <pre>{@code
     * codeUnderTest.login(server.uri());          // phase 1
     * server.clearRecording();
     * codeUnderTest.send("DATA");                  // phase 2: only its bytes are recorded
     * }</pre>
     *
     * @throws IllegalStateException if the server's thread does not answer within 10 seconds
     * @since 0.1.0
     */
    public void clearRecording() {
        ConnectionRegistry registry = context.registry();
        EventLoop loop = transportServer.loop();
        CountDownLatch done = new CountDownLatch(1);
        Runnable clear = () -> {
            registry.clearRecording();
            done.countDown();
        };
        // a deadline due at once fires after the loop's next select: what reached the sockets before is read first
        loop.execute(() -> loop.schedule(System.nanoTime(), clear), clear);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (!done.await(10, TimeUnit.MILLISECONDS)) {
                if (loop.isShutDown()) {
                    registry.clearRecording(); // the loop has ended or is ending: nothing records any more
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("clearRecording: the thread of " + this + " did not answer within 10s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("clearRecording: interrupted while waiting for the thread of " + this, e);
        }
    }

    /**
     * The connections their peers have left open: the check behind the extension's
     * {@code failOnOpenConnections}, for a test that asserts it itself.
     * <pre>{@code
     * codeUnderTest.run(server.uri());      // should close every connection it opens
     * assertEquals(List.of(), server.connectionsLeftOpen(Duration.ofSeconds(1)));
     * }</pre>
     * First the server catches up with everything that reached it before this call (a round trip
     * through its thread), so a connection whose peer has just closed it is not returned, and a
     * connection the server is reading without having seen its peer's close is returned at once,
     * with no waiting. A connection whose peer has closed but which the server is still finishing
     * (echoing what a latency still holds back) is not returned. Only a connection the server has
     * stopped reading (its peer does not read the echo, so backpressure holds it; or
     * {@code resetAfter} was reached) may hold its peer's close unread: for those the call looks
     * again every few milliseconds for up to {@code timeout}, then returns them if still not
     * closed. The catch-up itself waits for the server's thread, at most a second more if that
     * thread is busy.
     *
     * <p>UDP has no close, so for a UDP server the list is always empty. On a closed server it is
     * empty too (every connection was closed).
     *
     * @param timeout how long to wait, at most, for connections the server is not reading; zero
     *                or more
     * @return the connections left open, oldest first (an immutable list of live views)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public List<EchoConnection> connectionsLeftOpen(Duration timeout) {
        Checks.positiveOrZero(timeout, "timeout");
        if (config.transport() == Transport.UDP) {
            return List.of();
        }
        return List.copyOf(LeftOpenCheck.run(transportServer.loop(), context.registry(), timeout));
    }

    /**
     * A snapshot of the server's counters.
     *
     * @return the counters now
     */
    public EchoStats stats() {
        return context.registry().stats();
    }

    /** The loop that serves this server (tests). */
    EventLoop loop() {
        return transportServer.loop();
    }

    /**
     * Whether the server is running.
     *
     * @return {@code true} from start until {@link #close()}, or until its thread stopped on an
     *         unexpected error (logged at ERROR; the server has closed its sockets then, and
     *         {@code close()} still returns at once)
     */
    public boolean isRunning() {
        return !closed.get() && !transportServer.loop().isShutDown();
    }

    /**
     * The seed behind every random choice (jitter). The same seed and traffic give the same delays.
     *
     * @return the seed given to the builder, or the random one chosen at start
     */
    public long seed() {
        return config.seed();
    }

    /**
     * The fault plan given to the builder.
     *
     * @return the plan; {@link FaultPlan#connections()} (empty) for none
     * @since 0.1.0
     */
    public FaultPlan faultPlan() {
        return config.faultPlan().isEmpty() ? FaultPlan.connections() : new FaultPlan(config.faultPlan());
    }

    /**
     * Stops the server: stops accepting, closes every connection (a peer sees an end of stream,
     * or a reset if bytes it sent were still unread), cancels delayed and throttled echoes.
     * Returns within a second, once the port (or socket file) is free again and the server's
     * thread no longer serves it (it goes back to the pool of idle threads, see above), whatever
     * is in flight. Idempotent: later calls return at once, and
     * concurrent calls return once the first has finished. The recording stays readable.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                transportServer.close();
            } finally {
                if (context.tls() != null) {
                    context.tls().close(); // its handshake task threads, once the loop stopped handing them work
                }
                context.registry().stop();
                closeDone.countDown();
            }
        } else {
            try {
                closeDone.await(2, TimeUnit.SECONDS); // a concurrent close() returns once the first has finished
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * For example {@code EmbeddedEchoServer[tcp://127.0.0.1:54321, 3 open, seed=42]}, or
     * {@code EmbeddedEchoServer[tcp://127.0.0.1:54321, closed, seed=42]}.
     */
    @Override
    public String toString() {
        String state = closed.get() ? "closed" : context.registry().active() + " open";
        return "EmbeddedEchoServer[" + uri() + ", " + state + ", seed=" + seed() + "]";
    }

    /**
     * Lists at most about {@code max} closed connections (between {@code max} and twice that),
     * forgetting the oldest closed ones; {@link #stats()} still counts their bytes. For the
     * standalone endpoint, which may run for days: by default every connection stays listed.
     */
    void retainClosedConnections(int max) {
        context.registry().retainClosed(max);
    }

    /** Tells {@code listener} of each connection opened and closed from now on (the standalone endpoint's log). */
    void connectionListener(ConnectionRegistry.Listener listener) {
        context.registry().listener(listener);
    }

    /** Package-private access to the transport server, for tests of internals. */
    TransportServer transportServer() {
        return transportServer;
    }

    private String describe() {
        return uri().toString();
    }

    private void checkOpen(String method) {
        if (closed.get()) {
            throw new IllegalStateException(method + ": server already closed: " + uri()
                    + " (start a new server with EmbeddedEchoServer.start() or builder())");
        }
    }

    /**
     * Collects the settings of an {@link EmbeddedEchoServer}; {@link #start()} checks them all
     * and starts the server. Each setter returns this builder.
     *
     * <pre>{@code
     * EmbeddedEchoServer server = EmbeddedEchoServer.builder()
     *         .transport(Transport.TCP)
     *         .host("::1")
     *         .idleTimeout(Duration.ofSeconds(30))
     *         .recordLimit(1024)
     *         .seed(42)
     *         .start();
     * }</pre>
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Transport transport = Transport.TCP;
        private String host = InetAddress.getLoopbackAddress().getHostAddress();
        private boolean hostSet;
        private int port;
        private Path unixSocketPath;
        private EchoBehavior behavior = EchoBehavior.echo();
        private int maxConnections = 1024;
        private Duration idleTimeout;
        private int recordLimit = 64 * 1024;
        private Long seed;
        private FaultPlan faultPlan = FaultPlan.connections();
        private TlsOptions tls;
        private Script script;
        private ProxyOptions proxy;

        private Builder() {
        }

        /**
         * The transport; default {@link Transport#TCP}.
         *
         * @param transport TCP, UDP, UNIX or TLS (see also {@link #tls(TlsOptions)})
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Checks.notNull(transport, "transport");
            return this;
        }

        /**
         * The host to bind (TCP, UDP and TLS); default the loopback address. Any other address, such
         * as {@code 0.0.0.0}, must be asked for explicitly. A UNIX server has no host: there
         * {@link #start()} rejects any host set.
         *
         * @param host a host name or address literal such as {@code 127.0.0.1} or {@code ::1}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Checks.notNull(host, "host");
            this.hostSet = true;
            return this;
        }

        /**
         * The port to bind (TCP, UDP and TLS); default 0, an ephemeral port. Tests should keep 0.
         * A UNIX server has no port: there {@link #start()} rejects a port other than 0.
         *
         * @param port 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is outside 0..65535
         */
        public Builder port(int port) {
            this.port = Checks.port(port);
            return this;
        }

        /**
         * The socket file (UNIX only); default a fresh file in a temp folder made once per JVM
         * (deleted when the JVM exits). The file is deleted on close either way.
         *
         * @param path a path that does not exist yet, at most 107 bytes long
         * @return this builder
         */
        public Builder unixSocketPath(Path path) {
            this.unixSocketPath = Checks.notNull(path, "unixSocketPath");
            return this;
        }

        /**
         * The initial behaviour; default {@link EchoBehavior#echo()}.
         *
         * @param behavior the behaviour
         * @return this builder
         */
        public Builder behavior(EchoBehavior behavior) {
            this.behavior = Checks.notNull(behavior, "behavior");
            return this;
        }

        /**
         * How many connections may be open at once; default 1024. Further connections are
         * accepted and closed at once, counted in {@link EchoStats#connectionsRejected()} and
         * not listed in {@link EmbeddedEchoServer#connections()}.
         *
         * @param maxConnections at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxConnections} is below 1
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Checks.atLeast(maxConnections, 1, "maxConnections");
            return this;
        }

        /**
         * Closes a connection that neither received nor sent anything for this long, gracefully
         * (the peer sees an end of stream); default none. Over UDP it forgets an idle peer (its
         * next datagram opens a new connection), and there the default is 60 seconds: UDP has no
         * close, so a server that never forgot a peer would stop answering new ones once
         * {@code maxConnections} peers were open. {@code Duration.ZERO} means none, over UDP too.
         * Any length is accepted; beyond about 73 years (up to
         * {@code ChronoUnit.FOREVER.getDuration()}) it means never.
         *
         * @param idleTimeout a non-negative duration; zero means none
         * @return this builder
         * @throws IllegalArgumentException if {@code idleTimeout} is negative
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.positiveOrZero(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * How many bytes of each connection are recorded; default 64 KiB.
         *
         * @param bytes at least 0; 0 records nothing (the counters still count)
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder recordLimit(int bytes) {
            this.recordLimit = Checks.atLeast(bytes, 0, "recordLimit");
            return this;
        }

        /**
         * The seed for every random choice (jitter); default a random seed, shown by
         * {@code toString()} and in failure reports.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Which connections fail, and how (see {@link FaultPlan}); default none: every
         * connection follows {@link #behavior(EchoBehavior)}.
         *
         * @param plan the plan; {@link FaultPlan#connections()} for none
         * @return this builder
         * @throws SettingException ({@code faultPlan}) at {@link #start()} if the transport
         *         cannot carry out one of its behaviours or steps
         */
        public Builder faultPlan(FaultPlan plan) {
            this.faultPlan = Checks.notNull(plan, "faultPlan");
            return this;
        }

        /**
         * The TLS settings, and the transport {@link Transport#TLS}; without this call a TLS
         * server uses {@link TlsOptions#defaults()}.
         *
         * @param options the TLS settings
         * @return this builder
         */
        public Builder tls(TlsOptions options) {
            this.tls = Checks.notNull(options, "tls");
            this.transport = Transport.TLS;
            return this;
        }

        /**
         * Answers with scripted replies instead of echoing: a greeting, canned replies, rules and
         * a responder (see {@link Script}); default none (echo). The behaviour's conditions apply
         * to the replies as to echoes. Every transport; over UDP each datagram is one message and
         * each message of a reply one datagram.
         *
         * @param script the script
         * @return this builder
         * @since 0.1.0
         */
        public Builder script(Script script) {
            this.script = Checks.notNull(script, "script");
            return this;
        }

        /**
         * Proxy mode: forward each connection to an upstream instead of echoing. The server's
         * {@link #behavior(EchoBehavior) behaviour} applies to the way back (upstream to
         * client); {@link ProxyOptions#upstreamBehavior(EchoBehavior)} to the way there. TCP and
         * UNIX only (on either side).
         *
         * @param options where and how to forward
         * @return this builder
         */
        public Builder proxy(ProxyOptions options) {
            this.proxy = Checks.notNull(options, "proxyTo");
            return this;
        }

        /**
         * Proxy mode to the upstream a URI names: {@code proxy(ProxyOptions.to(upstream))}.
         *
         * @param upstream {@code tcp://host:port} or {@code unix:/path}
         * @return this builder
         * @throws SettingException naming {@code proxyTo} for another scheme or a malformed URI
         */
        public Builder proxyTo(URI upstream) {
            return proxy(ProxyOptions.to(upstream));
        }

        /**
         * Proxy mode to a fixed address: {@code proxy(ProxyOptions.to(upstream))}.
         *
         * @param upstream an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
         * @return this builder
         * @throws SettingException naming {@code proxyTo} for another kind of address
         */
        public Builder proxyTo(SocketAddress upstream) {
            return proxy(ProxyOptions.to(upstream));
        }

        /**
         * Proxy mode to the address the supplier gives when each connection arrives, for an
         * upstream that starts after the proxy: {@code proxy(ProxyOptions.to(upstream))}.
         *
         * @param upstream gives the upstream's address
         * @return this builder
         */
        public Builder proxyTo(Supplier<? extends SocketAddress> upstream) {
            return proxy(ProxyOptions.to(upstream));
        }

        /**
         * Checks the settings, binds and starts the server.
         *
         * @return the running server
         * @throws SettingException naming the setting and the value for a bad setting, and for
         *         one the transport would ignore (a host or port with UNIX, a {@code chunkSize} or
         *         {@code resetAfter} with UDP, a path with TCP)
         * @throws java.io.UncheckedIOException naming the address if it cannot bind
         */
        public EmbeddedEchoServer start() {
            ServerConfig config = config();
            if (tls != null && transport != Transport.TLS) {
                throw new SettingException("tls", tls + " (expected: no TLS options with transport "
                        + transport + "; use transport(Transport.TLS) or drop tls(...))");
            }
            // TlsOptions only for TLS: a plain server's first start loads no TLS class
            return new EmbeddedEchoServer(config, tls != null || config.transport() != Transport.TLS ? tls : TlsOptions.defaults(),
                    script, proxy);
        }

        ServerConfig config() {
            ServerConfig.checkAddressFor(transport, hostSet, host, port);
            if (proxy != null && transport != Transport.TCP && transport != Transport.UNIX) {
                throw new SettingException("proxyTo", proxy + " (expected: transport TCP or UNIX for a proxy; "
                        + transport + " is not supported in proxy mode yet)");
            }
            long actualSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
            return new ServerConfig(transport, host, null, port, unixSocketPath, behavior,
                    maxConnections, idleTimeout, recordLimit, actualSeed, faultPlan.rules());
        }
    }
}
