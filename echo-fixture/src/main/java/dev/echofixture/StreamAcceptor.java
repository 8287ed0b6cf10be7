package dev.echofixture;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts TCP and UNIX connections on the loop thread: at most 64 per wake-up, each either
 * registered as a {@link StreamConnection} or, when {@code maxConnections} are open, accepted
 * and closed at once and counted as rejected (not listed). When accepting fails (for example
 * out of file descriptors) it pauses accepting for 100 ms instead of spinning.
 *
 * <p>Owned by the loop thread.
 */
final class StreamAcceptor implements EventLoop.Handler {

    private static final LazyLogger LOG = new LazyLogger(StreamAcceptor.class);
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    private static final long PAUSE_NANOS = 100_000_000L;

    private final ServerContext context;
    private final EventLoop loop;
    private final ServerSocketChannel serverChannel;
    private final boolean tcp;

    StreamAcceptor(ServerContext context, EventLoop loop, ServerSocketChannel serverChannel) {
        this.context = context;
        this.loop = loop;
        this.serverChannel = serverChannel;
        this.tcp = context.config().transport() == Transport.TCP;
    }

    @Override
    public void ready(SelectionKey key) {
        for (int i = 0; i < MAX_ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
            } catch (IOException e) {
                LOG.get().warn("{}: accept failed ({}); pausing accepts for 100 ms", loop.name(), e.toString());
                pause(key);
                return;
            }
            if (channel == null) {
                return;
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
                StreamConnection.open(context, loop, channel);
            } catch (IOException e) {
                LOG.get().debug("{}: could not set up an accepted connection: {}", loop.name(), e.toString());
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
