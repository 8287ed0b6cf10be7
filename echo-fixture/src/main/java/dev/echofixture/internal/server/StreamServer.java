package dev.echofixture.internal.server;

import dev.echofixture.Transport;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.util.SocketUris;
import dev.echofixture.internal.util.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The TCP and UNIX side of a server: binds a {@link ServerSocketChannel}, runs one
 * {@link EventLoop} with a {@link StreamAcceptor} and the {@link StreamConnection}s it accepts.
 * For UNIX it also owns the socket file (see {@link UnixSocketFile}).
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, any number of times.
 */
public final class StreamServer implements TransportServer {

    private static final int BACKLOG = 1024;

    private final EventLoop loop;
    private final SocketAddress localAddress;
    private final UnixSocketFile unixFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectWindow connectWindow; // TCP and TLS only

    private StreamServer(EventLoop loop, SocketAddress localAddress, UnixSocketFile unixFile, ConnectWindow connectWindow) {
        this.loop = loop;
        this.localAddress = localAddress;
        this.unixFile = unixFile;
        this.connectWindow = connectWindow;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException naming the address if it cannot bind
     */
    public static StreamServer open(ServerContext context) {
        ServerConfig config = context.config();
        boolean unix = config.transport() == Transport.UNIX;
        UnixSocketFile unixFile = unix ? UnixSocketFile.create(config.unixSocketPath()) : null;
        SocketAddress wanted = unix
                ? unixFile.address()
                : new InetSocketAddress(config.bindAddress(), config.port());
        ServerSocketChannel channel = null;
        EventLoop loop = null;
        try {
            channel = Sockets.serverFor(wanted); // TCP: SO_REUSEADDR is on already (see Sockets)
            try {
                channel.bind(wanted, BACKLOG);
            } catch (IOException e) {
                UnixSocketFile retry = unix ? unixFile.retryInNewDirectory().orElse(null) : null;
                if (retry == null) {
                    throw e;
                }
                unixFile = retry; // the JVM's socket directory was removed: bind once more in a new one
                wanted = unixFile.address();
                channel.bind(wanted, BACKLOG);
            }
            if (unix) {
                unixFile.bound();
            }
            SocketAddress bound = channel.getLocalAddress();
            String name = unix ? "echo-fixture-loop-unix-" + UnixSocketFile.nextNumber()
                    : "echo-fixture-loop-" + ((InetSocketAddress) bound).getPort();
            loop = EventLoop.pooled(name);
            SelectionKey acceptKey = loop.register(channel, SelectionKey.OP_ACCEPT, context.proxy() == null
                    ? new StreamAcceptor(context, loop, channel)
                    : new StreamAcceptor(context, loop, channel, ProxyOpener.INSTANCE));
            loop.start();
            return new StreamServer(loop, unix ? wanted : bound, unixFile,
                    unix ? null : new ConnectWindow(context, loop, bound, BACKLOG, channel, acceptKey));
        } catch (IOException | RuntimeException | Error e) { // a failed start closes everything it opened
            if (loop != null) {
                loop.close();
            }
            if (channel != null) {
                EventLoop.closeQuietly(channel);
            }
            if (unixFile != null) {
                unixFile.abandon();
            }
            if (e instanceof IOException io) {
                String fix = unix ? "check that the folder exists and is writable, or leave unixSocketPath unset"
                        : "use another port, or port 0 for an ephemeral one";
                throw new UncheckedIOException("cannot bind " + SocketUris.uri(config.transport(), wanted)
                        + ": " + io.getMessage() + " (" + fix + ")", io);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /**
     * Refuses connects for {@code windowNanos} (see {@link ConnectWindow}).
     *
     * @throws UnsupportedOperationException for UNIX: a socket file cannot be held without listening
     */
    @Override
    public void refuseConnections(long windowNanos) {
        connectWindow("refuseConnections", "a UNIX client can be refused by closing the server").execute(ConnectWindow.Kind.REFUSE, windowNanos);
    }

    /**
     * Leaves connects unanswered for {@code windowNanos} (see {@link ConnectWindow}).
     *
     * @throws UnsupportedOperationException for UNIX: a UNIX connect to a full queue fails at once or blocks, it never times out
     */
    @Override
    public void leaveConnectsUnanswered(long windowNanos) {
        connectWindow("leaveConnectsUnanswered", "a UNIX connect to a full queue fails at once (non-blocking) or waits without"
                + " a time-out (blocking), so it cannot time out").execute(ConnectWindow.Kind.UNANSWERED, windowNanos);
    }

    private WindowStarter connectWindow(String method, String why) {
        if (connectWindow == null) {
            throw new UnsupportedOperationException(method + ": not with transport UNIX (expected: transport TCP or TLS; " + why + ")");
        }
        return (kind, nanos) -> loop.execute(() -> connectWindow.start(kind, nanos));
    }

    /** Starts a connect window on the loop. */
    private interface WindowStarter {
        void execute(ConnectWindow.Kind kind, long windowNanos);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            loop.close();
            if (connectWindow != null) {
                connectWindow.close();
            }
            if (unixFile != null) {
                unixFile.delete();
            }
        }
    }

    @Override
    public String toString() {
        return "StreamServer[" + localAddress + ", " + loop.name() + (closed.get() ? ", closed" : "") + "]";
    }
}
