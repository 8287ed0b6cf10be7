package dev.echofixture;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A blocking test peer over a plain {@link SocketChannel} (TCP or UNIX), independent of
 * {@link EchoClient}. Blocking reads are bounded by the test class's {@code @Timeout}, whose
 * interrupt closes the channel.
 */
public final class RawPeer implements AutoCloseable {

    final SocketChannel channel;

    private RawPeer(SocketChannel channel) {
        this.channel = channel;
    }

    public static RawPeer connect(EmbeddedEchoServer server) throws IOException {
        return connect(server.socketAddress());
    }

    /** A peer over a channel already connected (for example one a test accepted). */
    static RawPeer wrap(SocketChannel channel) {
        return new RawPeer(channel);
    }

    public static RawPeer connect(SocketAddress address) throws IOException {
        return new RawPeer(SocketChannel.open(address));
    }

    /** A peer with a tiny receive buffer: the server's writes come up short and it must wait for OP_WRITE. */
    static RawPeer connectSlowReader(EmbeddedEchoServer server) throws IOException {
        SocketAddress address = server.socketAddress();
        SocketChannel channel = address instanceof java.net.UnixDomainSocketAddress
                ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        channel.connect(address);
        return new RawPeer(channel);
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Writes on another thread, so that a large payload cannot dead-lock against the echo. */
    CompletableFuture<Void> writeInBackground(byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "raw-peer-writer");
            t.setDaemon(true);
            t.start();
        });
    }

    public byte[] readExactly(int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(n);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("end of stream after " + buffer.position() + " of " + n + " bytes");
            }
        }
        return buffer.array();
    }

    /** One read of at most {@code max} bytes; an empty array at end of stream. */
    byte[] readSome(int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        int n = channel.read(buffer);
        if (n < 0) {
            return null;
        }
        return java.util.Arrays.copyOf(buffer.array(), n);
    }

    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer.clear()) >= 0) {
            all.write(buffer.array(), 0, buffer.position());
        }
        return all.toByteArray();
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
