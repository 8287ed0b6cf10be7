package dev.echofixture.internal.server;

import dev.echofixture.Transport;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.util.SocketUris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The UDP side of a server: binds a {@link DatagramChannel} and runs one {@link EventLoop}
 * ({@code echo-fixture-loop-<port>}) with the {@link DatagramHandler} that echoes it.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, any number of times.
 */
public final class DatagramServer implements TransportServer {

    /** Socket buffers big enough for a burst of the largest datagrams (the kernel may cap them). */
    private static final int SOCKET_BUFFER = 1 << 20;

    private final EventLoop loop;
    private final DatagramHandler handler;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DatagramServer(EventLoop loop, DatagramHandler handler, InetSocketAddress localAddress) {
        this.loop = loop;
        this.handler = handler;
        this.localAddress = localAddress;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException naming the address if it cannot bind
     */
    public static DatagramServer open(ServerContext context) {
        ServerConfig config = context.config();
        InetSocketAddress wanted = new InetSocketAddress(config.bindAddress(), config.port());
        DatagramChannel channel = null;
        EventLoop loop = null;
        try {
            channel = DatagramChannel.open(wanted.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(wanted);
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            loop = EventLoop.pooled("echo-fixture-loop-" + bound.getPort());
            DatagramHandler handler = new DatagramHandler(context, loop, channel, bound);
            handler.register();
            loop.start();
            return new DatagramServer(loop, handler, bound);
        } catch (IOException e) {
            if (loop != null) {
                loop.close(); // gives its carrier back
            }
            if (channel != null) {
                EventLoop.closeQuietly(channel);
            }
            throw new UncheckedIOException("cannot bind " + SocketUris.uri(Transport.UDP, wanted)
                    + ": " + e.getMessage() + " (use another port, or port 0 for an ephemeral one)", e);
        } catch (RuntimeException e) {
            if (loop != null) {
                loop.close();
            }
            if (channel != null) {
                EventLoop.closeQuietly(channel);
            }
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /** Datagrams dropped because too many bytes were pending or a send failed. */
    public long datagramsDropped() {
        return handler.datagramsDropped();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            loop.close();
        }
    }

    @Override
    public String toString() {
        return "DatagramServer[" + SocketUris.uri(Transport.UDP, localAddress) + (closed.get() ? ", closed" : "") + "]";
    }
}
