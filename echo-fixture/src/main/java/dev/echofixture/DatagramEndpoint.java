package dev.echofixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of a server: binds a {@link DatagramChannel} and runs one {@link EventLoop}
 * ({@code echo-fixture-loop-<port>}) with the {@link DatagramHandler} that echoes it.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, any number of times.
 */
final class DatagramEndpoint implements Endpoint {

    /** Socket buffers big enough for a burst of the largest datagrams (the kernel may cap them). */
    private static final int SOCKET_BUFFER = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(DatagramEndpoint.class);

    private final EventLoop loop;
    private final DatagramHandler handler;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DatagramEndpoint(EventLoop loop, DatagramHandler handler, InetSocketAddress localAddress) {
        this.loop = loop;
        this.handler = handler;
        this.localAddress = localAddress;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException naming the address if it cannot bind
     */
    static DatagramEndpoint open(ServerContext context) {
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
            loop = new EventLoop("echo-fixture-loop-" + bound.getPort());
            DatagramHandler handler = new DatagramHandler(context, loop, channel, bound);
            handler.register();
            loop.start();
            LOG.debug("listening on {} ({})", Endpoints.uri(Transport.UDP, bound), loop.name());
            return new DatagramEndpoint(loop, handler, bound);
        } catch (IOException | RuntimeException | Error e) {
            // a failed start closes everything it opened: the loop's selector, the channel
            if (loop != null) {
                loop.close();
            }
            if (channel != null) {
                EventLoop.closeQuietly(channel);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot bind " + Endpoints.uri(Transport.UDP, wanted)
                        + ": " + io.getMessage() + " (use another port, or port 0 for an ephemeral one)", io);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
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
    long datagramsDropped() {
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
        return "DatagramEndpoint[" + Endpoints.uri(Transport.UDP, localAddress) + (closed.get() ? ", closed" : "") + "]";
    }
}
