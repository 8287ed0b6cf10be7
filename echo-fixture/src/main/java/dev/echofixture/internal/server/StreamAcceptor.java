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
 * once per such episode, then how many accepts failed once accepting works again. An
 * unexpected error while setting up one accepted connection closes only that connection (logged):
 * nothing here ever closes the listening socket.
 *
 * <p>Owned by the loop thread.
 */
public final class StreamAcceptor implements EventLoop.Handler {

    private static final LazyLogger LOG = new LazyLogger(StreamAcceptor.class);
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    private static final long PAUSE_NANOS = 100_000_000L;

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
    private Episode acceptFailures; // made on the first failed accept

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
                if (acceptFailures == null) {
                    acceptFailures = new Episode();
                }
                if (acceptFailures.occurred(System.nanoTime())) {
                    LOG.get().warn("{}: accept failed ({}); retrying every 100 ms, logged once until it works again",
                            loop.name(), e.toString());
                }
                pause(key);
                return;
            }
            if (channel == null) {
                return;
            }
            if (acceptFailures != null && acceptFailures.isOngoing()) {
                LOG.get().warn("{}: accepting again, after {} in {} ms", loop.name(),
                        Plural.of(acceptFailures.count(), "failed accept"), acceptFailures.millisSinceStart(System.nanoTime()));
                acceptFailures.end();
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

    private void pause(SelectionKey key) {
        key.interestOps(0);
        loop.schedule(System.nanoTime() + PAUSE_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    @Override
    public void loopClosing() {
        EventLoop.closeQuietly(serverChannel);
    }
}
