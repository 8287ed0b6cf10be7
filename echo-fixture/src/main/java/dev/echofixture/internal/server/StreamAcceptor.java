package dev.echofixture.internal.server;

import dev.echofixture.Transport;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.util.Episode;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.Plural;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts TCP and UNIX connections on the loop thread: at most 64 per wake-up, each either
 * registered as a {@link StreamConnection} or, when {@code maxConnections} are open, accepted
 * and closed at once and counted as rejected (not listed). When accepting fails (for example
 * out of file descriptors) it pauses accepting for 100 ms instead of spinning, and logs a warning
 * once per such episode, then how many accepts failed once accepting has worked again for a
 * second: from a success or from the end of a pause, a second without a failure (a server at its
 * descriptor limit flaps: it fails, accepts one, fails again; that is one episode, see
 * {@link Episode}). An
 * unexpected error while setting up one accepted connection closes only that connection (logged):
 * nothing here ever closes the listening socket.
 *
 * <p>Owned by the loop thread.
 */
public final class StreamAcceptor implements EventLoop.Handler {

    private static final LazyLogger LOG = new LazyLogger(StreamAcceptor.class);
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    private static final long PAUSE_NANOS = 100_000_000L;
    /** How long accepts must work, without a failure, to end an episode of failed accepts. */
    private static final long SETTLE_NANOS = 1_000_000_000L;

    /** Sets up one accepted channel: {@link StreamConnection#open}, or a stand-in in tests. */
    @FunctionalInterface
    public interface Opener {
        void open(ServerContext context, EventLoop loop, SocketChannel channel) throws IOException;
    }

    private final ServerContext context;
    private final EventLoop loop;
    private final ServerSocketChannel serverChannel;
    private final boolean tcp;
    private final Opener opener; // null: StreamConnection.open
    // made with the acceptor: out of descriptors, loading its class from a class folder would fail
    private final Episode acceptFailures = new Episode(SETTLE_NANOS);
    private boolean settleCheckPending;

    public StreamAcceptor(ServerContext context, EventLoop loop, ServerSocketChannel serverChannel) {
        // no StreamConnection::open: no method reference on the start path (docs/DESIGN.md, "First start")
        this(context, loop, serverChannel, null);
    }

    public StreamAcceptor(ServerContext context, EventLoop loop, ServerSocketChannel serverChannel, Opener opener) {
        this.context = context;
        this.loop = loop;
        this.serverChannel = serverChannel;
        this.tcp = context.config().transport() != Transport.UNIX; // TCP and TLS
        this.opener = opener;
    }

    @Override
    public void ready(SelectionKey key) {
        for (int i = 0; i < MAX_ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
            } catch (IOException e) {
                if (acceptFailures.occurred(System.nanoTime())) {
                    LOG.get().warn("{}: accept failed ({}); retrying every 100 ms, logged once until accepts have worked"
                            + " for a second", loop.name(), e.toString());
                }
                pause(key);
                return;
            }
            if (channel == null) {
                return;
            }
            if (acceptFailures.succeeded(System.nanoTime()) && !settleCheckPending) {
                scheduleSettleCheck();
            }
            ConnectionRegistry registry = context.registry();
            if (registry.active() >= context.config().maxConnections()) {
                registry.rejected();
                LOG.get().debug("{}: rejected a connection: {} open (maxConnections)", loop.name(), registry.active());
                EventLoop.closeQuietly(channel);
                continue;
            }
            try {
                if (tcp) {
                    channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                }
                if (opener == null) {
                    StreamConnection.open(context, loop, channel);
                } else {
                    opener.open(context, loop, channel);
                }
            } catch (IOException e) {
                LOG.get().debug("{}: could not set up an accepted connection: {}", loop.name(), e.toString());
                EventLoop.closeQuietly(channel);
            } catch (RuntimeException e) {
                LOG.get().warn("{}: closing an accepted connection after an unexpected error; accepting on", loop.name(), e);
                EventLoop.closeQuietly(channel);
            }
        }
    }

    /**
     * Ends the episode of failed accepts once accepts have worked for {@link #SETTLE_NANOS}
     * without a failure, logging how many failed; looks again while a quiet period goes on.
     */
    private void scheduleSettleCheck() {
        settleCheckPending = true;
        loop.schedule(acceptFailures.settlesAt(), () -> {
            settleCheckPending = false;
            if (acceptFailures.endIfSettled(System.nanoTime())) {
                long failed = acceptFailures.endedCount(); // no Plural: a class to load may need a descriptor
                LOG.get().warn("{}: accepting again, after {} failed {} in {} ms", loop.name(), failed,
                        failed == 1 ? "accept" : "accepts", acceptFailures.endedMillis());
            } else if (acceptFailures.isSettling()) {
                scheduleSettleCheck();
            } // else a failure came since: the next success starts a quiet period again
        });
    }

    private void pause(SelectionKey key) {
        key.interestOps(0);
        loop.schedule(System.nanoTime() + PAUSE_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
                // accepting again: a pending connection fails at once if it still cannot be accepted, and
                // when none is pending nothing fails either; a second without a failure ends the episode
                if (acceptFailures.succeeded(System.nanoTime()) && !settleCheckPending) {
                    scheduleSettleCheck();
                }
            }
        });
    }

    @Override
    public void loopClosing() {
        EventLoop.closeQuietly(serverChannel);
    }
}
