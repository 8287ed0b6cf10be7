package dev.echofixture;

import dev.echofixture.internal.proxy.ProxyRoute;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.SocketUris;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Proxy mode: the server forwards each connection to an upstream instead of echoing, with the
 * server's {@link EchoBehavior} on the way back (upstream to client: latency on the answers,
 * {@code resetAfter} on the response) and {@link #upstreamBehavior(EchoBehavior)} on the way
 * there (client to upstream). An immutable value; each method returns a new value.
 *
 * <pre>{@code
 * EmbeddedEchoServer proxy = EmbeddedEchoServer.builder()
 *         .proxy(ProxyOptions.to(upstream.uri())
 *                 .upstreamBehavior(EchoBehavior.echo().bandwidth(64 * 1024)))
 *         .behavior(EchoBehavior.echo().latency(Duration.ofMillis(50)))
 *         .start();
 * }</pre>
 *
 * <p>The upstream is asked for when each connection arrives, never at start, so a
 * {@link #to(Supplier) supplier} may name an upstream that starts after the proxy.
 *
 * @since 0.1.0
 */
public final class ProxyOptions {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<? extends SocketAddress> upstream;
    private final String description;
    private final EchoBehavior upstreamBehavior;
    private final ConnectionClose.Kind onConnectFailure;
    private final Duration connectTimeout;

    private ProxyOptions(Supplier<? extends SocketAddress> upstream, String description, EchoBehavior upstreamBehavior,
                         ConnectionClose.Kind onConnectFailure, Duration connectTimeout) {
        this.upstream = upstream;
        this.description = description;
        this.upstreamBehavior = upstreamBehavior;
        this.onConnectFailure = onConnectFailure;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Forwards to the upstream a URI names.
     *
     * @param upstream {@code tcp://host:port} or {@code unix:/path/to.sock}; a host name is
     *                 resolved when a connection arrives
     * @return the options, with no conditions on the way to the upstream
     * @throws SettingException naming {@code proxyTo} for another scheme or a malformed URI
     */
    public static ProxyOptions to(URI upstream) {
        Checks.notNull(upstream, "proxyTo");
        SocketUris.Parsed parsed;
        try {
            parsed = SocketUris.parse(upstream);
        } catch (IllegalArgumentException e) {
            throw new SettingException("proxyTo", upstream + " (expected: tcp://host:port or unix:/path; " + e.getMessage() + ")", e);
        }
        if (parsed.transport() != Transport.TCP && parsed.transport() != Transport.UNIX) {
            throw new SettingException("proxyTo", upstream + " (expected: tcp://host:port or unix:/path; the proxy"
                    + " forwards TCP and UNIX connections, not " + parsed.transport() + ")");
        }
        SocketAddress address = parsed.address();
        Supplier<SocketAddress> supplier = address instanceof InetSocketAddress inet && inet.isUnresolved()
                ? new Resolving(inet) : new Fixed(address);
        return new ProxyOptions(supplier, upstream.toString(), EchoBehavior.echo(), ConnectionClose.Kind.RESET,
                DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * Forwards to a fixed address.
     *
     * @param upstream an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @return the options
     * @throws SettingException naming {@code proxyTo} for {@code null} or another kind of address
     */
    public static ProxyOptions to(SocketAddress upstream) {
        Checks.notNull(upstream, "proxyTo");
        if (!(upstream instanceof InetSocketAddress) && !(upstream instanceof java.net.UnixDomainSocketAddress)) {
            throw new SettingException("proxyTo", upstream + " (expected: an InetSocketAddress or a UnixDomainSocketAddress)");
        }
        Supplier<SocketAddress> supplier = upstream instanceof InetSocketAddress inet && inet.isUnresolved()
                ? new Resolving(inet) : new Fixed(upstream);
        return new ProxyOptions(supplier, SocketUris.describePeer(upstream), EchoBehavior.echo(),
                ConnectionClose.Kind.RESET, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * Forwards to the address the supplier gives when each connection arrives (on the server's
     * thread; keep it quick). An upstream the test starts after the proxy fits here. A supplier
     * that throws or gives {@code null} fails that connection as a connect failure would.
     *
     * @param upstream gives an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @return the options
     */
    public static ProxyOptions to(Supplier<? extends SocketAddress> upstream) {
        Checks.notNull(upstream, "proxyTo");
        return new ProxyOptions(upstream, "an address supplied per connection", EchoBehavior.echo(),
                ConnectionClose.Kind.RESET, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * The conditions on the way to the upstream (client to upstream): for example a
     * {@code bandwidth} on uploads, or {@code resetAfter} of the request. Default
     * {@link EchoBehavior#echo()}: forwarded as read. The server's own behaviour applies to the
     * way back.
     *
     * @param behavior the behaviour of the client-to-upstream direction
     * @return new options
     */
    public ProxyOptions upstreamBehavior(EchoBehavior behavior) {
        return new ProxyOptions(upstream, description, Checks.notNull(behavior, "upstreamBehavior"), onConnectFailure,
                connectTimeout);
    }

    /**
     * What the client sees when the upstream cannot be reached: {@link ConnectionClose.Kind#RESET}
     * (default) or an orderly close ({@link ConnectionClose.Kind#ORDERLY}). Either way the failure
     * is recorded ({@link EchoConnection#upstreamFailure()}).
     *
     * @param kind how to end the client's connection
     * @return new options
     */
    public ProxyOptions onConnectFailure(ConnectionClose.Kind kind) {
        return new ProxyOptions(upstream, description, upstreamBehavior, Checks.notNull(kind, "onConnectFailure"),
                connectTimeout);
    }

    /**
     * How long a connect to the upstream may take before it counts as failed; default 10 s.
     *
     * @param timeout more than zero; beyond about 73 years it means never
     * @return new options
     * @throws SettingException naming {@code connectTimeout} for a duration that is not positive
     */
    public ProxyOptions connectTimeout(Duration timeout) {
        Checks.notNull(timeout, "connectTimeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new SettingException("connectTimeout", timeout + " (expected: > 0, for example Duration.ofSeconds(5))");
        }
        return new ProxyOptions(upstream, description, upstreamBehavior, onConnectFailure, timeout);
    }

    /**
     * The behaviour of the client-to-upstream direction.
     *
     * @return the behaviour
     */
    public EchoBehavior upstreamBehavior() {
        return upstreamBehavior;
    }

    /**
     * How the client's connection ends when the upstream cannot be reached.
     *
     * @return the kind of close
     */
    public ConnectionClose.Kind onConnectFailure() {
        return onConnectFailure;
    }

    /**
     * The connect time-out.
     *
     * @return the time-out
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The internal form; the upstream supplier is shared, never copied. */
    ProxyRoute route() {
        return new ProxyRoute(upstream, description, upstreamBehavior, onConnectFailure == ConnectionClose.Kind.RESET,
                Durations.saturatedNanos(connectTimeout));
    }

    /**
     * Value-based except for the upstream supplier, which compares by identity.
     *
     * @param o another object
     * @return whether both forward the same way
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyOptions other && upstream.equals(other.upstream) && upstreamBehavior.equals(other.upstreamBehavior)
                && onConnectFailure == other.onConnectFailure && connectTimeout.equals(other.connectTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(upstream, upstreamBehavior, onConnectFailure, connectTimeout);
    }

    /**
     * For example {@code ProxyOptions[to tcp://127.0.0.1:5432, upstream EchoBehavior[...], on connect failure RESET]}.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "ProxyOptions[to " + description + ", upstream " + upstreamBehavior + ", on connect failure " + onConnectFailure
                + ", connect timeout " + Durations.format(connectTimeout) + "]";
    }

    /** A fixed address, equal by address so that equal options compare equal. */
    private record Fixed(SocketAddress address) implements Supplier<SocketAddress> {
        @Override
        public SocketAddress get() {
            return address;
        }
    }

    /** A host name resolved when a connection arrives (the upstream may not be in DNS at start). */
    private record Resolving(InetSocketAddress unresolved) implements Supplier<SocketAddress> {
        @Override
        public SocketAddress get() {
            return new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
        }
    }
}
