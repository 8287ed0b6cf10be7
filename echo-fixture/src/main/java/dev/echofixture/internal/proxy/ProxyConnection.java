package dev.echofixture.internal.proxy;

import dev.echofixture.ConnectionClose;
import dev.echofixture.EchoBehavior;
import dev.echofixture.internal.loop.Deadlines;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.recording.ConnectionView;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.SocketUris;
import dev.echofixture.internal.util.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * One proxied connection: the client's socket, accepted by the server, and a socket to the
 * upstream, connected without blocking when the client's arrives. Each is a {@link ProxyLeg};
 * bytes read from one are queued on the other under that direction's behaviour (the server's
 * behaviour towards the client, the route's {@code upstreamBehavior} towards the upstream).
 *
 * <h2>States</h2>
 * <pre>
 * CONNECTING ──connected──▶ FORWARDING ──both inputs at EOF, both outputs shut──▶ CLOSED
 *  │ (client bytes queue on the upstream leg, within its watermarks)
 *  ├─connect refused, timed out, supplier failed──▶ recorded; reset (or close) the client ──▶ CLOSED
 *  ├─close(), closeAfter reached and flushed──▶ CLOSING: both outputs shut, inputs drained ≤ 2 s ──▶ CLOSED
 *  └─reset(), resetAfter reached and flushed, either side reset or failed──▶ both reset ──▶ CLOSED
 * </pre>
 * Half-close passes through: a side's end of stream shuts the other side's output down once
 * what was read before it has been written.
 *
 * <p>Owned by the loop thread: every method runs there.
 */
public final class ProxyConnection implements ConnectionView.Actions {

    private static final LazyLogger LOG = new LazyLogger(ProxyConnection.class);
    private static final long DRAIN_NANOS = 2_000_000_000L;

    final EventLoop loop;
    final ConnectionView view;
    final long seed;
    private final ProxyRoute route;
    private final Supplier<EchoBehavior> answers;
    ProxyLeg client;
    ProxyLeg upstream; // null until the connect starts, and after it failed
    boolean closing;
    boolean closed;
    private Deadlines.Deadline connectTimer;
    private Deadlines.Deadline drainTimer;
    private String upstreamText;

    private ProxyConnection(ConnectionRegistry registry, ProxyRoute route, Supplier<EchoBehavior> answers, long seed,
                            EventLoop loop, SocketAddress remote) {
        this.loop = loop;
        this.route = route;
        this.answers = answers;
        this.seed = seed;
        this.view = registry.open(remote, loop, this);
        view.startDialogue();
    }

    /**
     * Sets up a freshly accepted client channel and starts connecting to the upstream.
     *
     * @param answers the server's behaviour in force, for the upstream-to-client direction
     */
    public static ProxyConnection open(ConnectionRegistry registry, ProxyRoute route, Supplier<EchoBehavior> answers,
                                       long seed, EventLoop loop, SocketChannel channel) throws IOException {
        SocketAddress remote;
        try {
            remote = channel.getRemoteAddress();
        } catch (IOException e) {
            remote = null;
        }
        ProxyConnection connection = new ProxyConnection(registry, route, answers, seed, loop, remote);
        connection.client = new ProxyLeg(connection, channel, true);
        try {
            connection.client.register(0);
        } catch (IOException | RuntimeException e) {
            connection.closeAll(false);
            throw e;
        }
        connection.start();
        return connection;
    }

    /** The behaviour of the bytes written towards the client or the upstream. */
    EchoBehavior behaviorTowards(ProxyLeg leg) {
        return leg.isClient() ? answers.get() : route.upstreamBehavior();
    }

    private void start() {
        EchoBehavior towardsClient = answers.get();
        if (towardsClient.resetAfter() == 0) {
            closeAll(true);
            return;
        }
        if (towardsClient.closeAfter() == 0) {
            closeGracefully();
            return;
        }
        connectUpstream();
        updateInterest();
    }

    private void connectUpstream() {
        SocketAddress address;
        try {
            address = route.upstream().get();
        } catch (RuntimeException e) {
            connectFailed("the upstream supplier failed: " + e);
            return;
        }
        if (address == null) {
            connectFailed("the upstream supplier gave null (expected: the upstream's address)");
            return;
        }
        upstreamText = SocketUris.describePeer(address);
        SocketChannel channel = null;
        try {
            channel = Sockets.clientFor(address);
            channel.configureBlocking(false);
            if (address instanceof InetSocketAddress) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            upstream = new ProxyLeg(this, channel, false);
            boolean done = channel.connect(address);
            upstream.register(done ? 0 : SelectionKey.OP_CONNECT);
            if (done) {
                connected();
            } else {
                connectTimer = loop.schedule(System.nanoTime() + route.connectTimeoutNanos(), this::connectTimedOut);
            }
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel);
            upstream = null;
            connectFailed("connect to " + upstreamText + " failed: " + e);
        }
    }

    /** The upstream's connect completed: forward what the client sent meanwhile. */
    void connected() {
        cancel(connectTimer);
        upstream.connected();
        LOG.get().debug("{}: connected to upstream {}", view, upstreamText);
        EchoBehavior towardsUpstream = route.upstreamBehavior();
        if (towardsUpstream.resetAfter() == 0) {
            closeAll(true);
        } else if (towardsUpstream.closeAfter() == 0) {
            closeGracefully();
        } else {
            try {
                upstream.flush();
            } catch (IOException e) {
                failed(upstream, e);
            }
        }
    }

    /** The upstream's connect failed (the leg's finishConnect threw). */
    void connectFailed(IOException e) {
        EventLoop.closeQuietly(upstream.channel());
        upstream.markClosed();
        upstream = null;
        connectFailed("connect to " + upstreamText + " failed: " + e);
    }

    private void connectTimedOut() {
        if (closed || upstream == null || upstream.isConnected()) {
            return;
        }
        EventLoop.closeQuietly(upstream.channel());
        upstream.markClosed();
        upstream = null;
        connectFailed("connect to " + upstreamText + " timed out after " + route.connectTimeoutNanos() / 1_000_000 + " ms");
        updateInterest();
    }

    private void connectFailed(String failure) {
        view.upstreamFailed(failure);
        LOG.get().debug("{}: {}", view, failure);
        if (route.resetOnConnectFailure()) {
            closeAll(true);
        } else {
            closeGracefully();
        }
    }

    /** A read or write of {@code leg} failed (a reset, a broken pipe): the other side is reset too. */
    void failed(ProxyLeg leg, IOException e) {
        LOG.get().debug("{}: {} side failed: {}", view, leg.isClient() ? "client" : "upstream", e.toString());
        if (leg.isClient()) {
            view.peerEnded(ConnectionClose.Kind.RESET);
        }
        closeAll(true);
    }

    /** Both directions are done (each input at its end, each output shut): close both sockets. */
    void maybeDone() {
        if (closed) {
            return;
        }
        if (closing) {
            if (client.inputEnded() && (upstream == null || upstream.inputEnded())) {
                closeAll(false);
            }
            return;
        }
        if (upstream != null && client.inputEnded() && upstream.inputEnded() && client.outputShut() && upstream.outputShut()) {
            closeAll(false);
        }
    }

    @Override
    public void closeGracefully() {
        if (closed || closing) {
            return;
        }
        closing = true;
        cancel(connectTimer);
        client.shutOutput();
        if (upstream != null && upstream.isConnected()) {
            upstream.shutOutput();
        } else if (upstream != null) {
            EventLoop.closeQuietly(upstream.channel());
            upstream.markClosed();
            upstream = null;
        }
        drainTimer = loop.schedule(System.nanoTime() + DRAIN_NANOS, () -> closeAll(false));
        maybeDone();
        updateInterest();
    }

    @Override
    public void reset() {
        closeAll(true);
    }

    @Override
    public ConnectionView.PeerClose peerClose() {
        if (closed || client.inputEnded()) {
            return ConnectionView.PeerClose.SEEN;
        }
        return client.isReading() ? ConnectionView.PeerClose.NOT_SEEN : ConnectionView.PeerClose.UNKNOWN;
    }

    /** Closes both sockets now (with SO_LINGER 0 for a reset) and marks the view closed. */
    void closeAll(boolean abortive) {
        if (closed) {
            return;
        }
        closed = true;
        cancel(connectTimer);
        cancel(drainTimer);
        client.close(abortive);
        if (upstream != null) {
            upstream.close(abortive);
        }
        view.markClosed();
        LOG.get().debug("{}: {}", view, abortive ? "reset" : "closed");
    }

    /** Sets both legs' interest ops; the end of every event and timer callback. */
    void updateInterest() {
        if (closed) {
            return;
        }
        client.updateInterest();
        if (upstream != null) {
            upstream.updateInterest();
        }
    }

    private static void cancel(Deadlines.Deadline deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    @Override
    public String toString() {
        return "ProxyConnection[" + view + " to " + upstreamText + (closed ? ", closed" : closing ? ", closing" : "") + "]";
    }
}
