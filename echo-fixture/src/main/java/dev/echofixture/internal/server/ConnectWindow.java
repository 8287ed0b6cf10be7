package dev.echofixture.internal.server;

import dev.echofixture.internal.loop.Deadlines;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.Sockets;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Connect faults of a TCP server's port for a time window, then listening again on the same
 * port; open connections are not touched.
 * <ul>
 *   <li>{@link Kind#REFUSE}: the listening socket is closed and the port held by a bound socket
 *       that does not listen (with {@code SO_REUSEADDR}): the kernel answers each connect with a
 *       reset ("Connection refused"), and no other process can take the port.</li>
 *   <li>{@link Kind#UNANSWERED}: the listener is replaced by one with a backlog of 1 that is never
 *       accepted from, and the server fills its accept queue with connections of its own; Linux
 *       then drops each SYN, so a client's connect times out. At the end the server's own
 *       connections and that listener are closed.</li>
 * </ul>
 * A call while a window runs extends it if it ends later, and keeps its kind.
 *
 * <p>A registered channel is closed for good only once its key left the selector (after the
 * next select), so a bind may fail at first: it is retried every millisecond, a bounded number
 * of times.
 *
 * <p>Loop thread only, except {@link #close()} once the loop has ended.
 */
final class ConnectWindow {

    enum Kind { REFUSE, UNANSWERED }

    private static final LazyLogger LOG = new LazyLogger(ConnectWindow.class);
    private static final int MAX_ATTEMPTS = 1000;
    private static final long RETRY_NANOS = 1_000_000L;
    /** Connections of its own a backlog-1 listener takes before its queue is full (backlog + 1), and one more. */
    private static final int FILLERS = 3;

    private final ServerContext context;
    private final EventLoop loop;
    private final SocketAddress address;
    private final int backlog;
    private ServerSocketChannel listener;
    private SelectionKey acceptKey;
    private volatile SocketChannel holder; // REFUSE
    private volatile ServerSocketChannel silentListener; // UNANSWERED
    private final List<SocketChannel> fillers = new ArrayList<>(); // UNANSWERED; guarded by this for close()
    private Deadlines.Deadline reopen;
    private long reopenAt;
    private Kind active; // null: listening

    ConnectWindow(ServerContext context, EventLoop loop, SocketAddress address, int backlog,
                  ServerSocketChannel listener, SelectionKey acceptKey) {
        this.context = context;
        this.loop = loop;
        this.address = address;
        this.backlog = backlog;
        this.listener = listener;
        this.acceptKey = acceptKey;
    }

    void start(Kind kind, long windowNanos) {
        long until = System.nanoTime() + windowNanos;
        if (active != null) {
            if (until - reopenAt > 0) {
                reopenAt = until;
                if (reopen != null) {
                    reopen.cancel();
                    reopen = loop.schedule(reopenAt, () -> reopen(0));
                }
            }
            return;
        }
        active = kind;
        reopenAt = until;
        acceptKey.cancel();
        EventLoop.closeQuietly(listener);
        listener = null;
        LOG.get().debug("{} connects on {}", kind == Kind.REFUSE ? "refusing" : "leaving unanswered", address);
        hold(0);
    }

    private void hold(int attempt) {
        try {
            if (active == Kind.REFUSE) {
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    channel.bind(address);
                } catch (IOException e) {
                    EventLoop.closeQuietly(channel);
                    throw e;
                }
                holder = channel;
            } else {
                ServerSocketChannel channel = Sockets.serverFor(address);
                try {
                    channel.bind(address, 1);
                } catch (IOException e) {
                    EventLoop.closeQuietly(channel);
                    throw e;
                }
                silentListener = channel;
                fill();
            }
        } catch (IOException e) {
            if (attempt < MAX_ATTEMPTS && System.nanoTime() - reopenAt < 0) {
                loop.schedule(System.nanoTime() + RETRY_NANOS, () -> hold(attempt + 1));
                return;
            }
            LOG.get().debug("cannot hold {}: {}", address, e.toString());
        }
        reopen = loop.schedule(reopenAt, () -> reopen(0));
    }

    /** Connects to the silent listener until its accept queue is full; non-blocking, so the loop never waits. */
    private void fill() throws IOException {
        for (int i = 0; i < FILLERS; i++) {
            SocketChannel channel = SocketChannel.open();
            synchronized (this) {
                fillers.add(channel);
            }
            channel.configureBlocking(false);
            channel.connect(address);
        }
    }

    private void reopen(int attempt) {
        reopen = null;
        closeHeld();
        ServerSocketChannel channel = null;
        try {
            channel = Sockets.serverFor(address);
            channel.bind(address, backlog);
            acceptKey = loop.register(channel, SelectionKey.OP_ACCEPT, new StreamAcceptor(context, loop, channel));
            listener = channel;
            active = null;
            LOG.get().debug("accepting connects on {} again", address);
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel);
            if (attempt < MAX_ATTEMPTS && !loop.isShutDown()) {
                reopen = loop.schedule(System.nanoTime() + RETRY_NANOS, () -> reopen(attempt + 1));
            } else {
                LOG.get().warn("cannot listen on {} again after a connect fault", address, e);
            }
        }
    }

    private void closeHeld() {
        SocketChannel h = holder;
        if (h != null) {
            EventLoop.closeQuietly(h);
            holder = null;
        }
        ServerSocketChannel s = silentListener;
        if (s != null) {
            EventLoop.closeQuietly(s);
            silentListener = null;
        }
        synchronized (this) {
            for (SocketChannel filler : fillers) {
                EventLoop.closeQuietly(filler);
            }
            fillers.clear();
        }
    }

    /** The server closed and its loop ended: what the window holds goes too (the loop closed only its registered channels). */
    void close() {
        closeHeld();
    }
}
