package dev.echofixture;

import dev.echofixture.internal.util.SocketUris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small blocking peer for client tests, on a real socket (loopback or a Unix-domain socket
 * file): echo, silent, close after n bytes, reset after n bytes, or UDP echo. One thread per
 * connection, all daemons; {@link #close()} closes every socket and joins every thread.
 */
final class TestPeer implements AutoCloseable {

    /** What the peer does with one accepted connection. */
    interface Script {
        void run(SocketChannel channel) throws IOException;
    }

    private final java.nio.channels.Channel listener;
    private final URI uri;
    private final Path socketDir;
    private final List<java.nio.channels.Channel> open = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private TestPeer(java.nio.channels.Channel listener, URI uri, Path socketDir) {
        this.listener = listener;
        this.uri = uri;
        this.socketDir = socketDir;
    }

    static TestPeer tcp(Script script) {
        return stream(Transport.TCP, InetAddress.getLoopbackAddress(), script);
    }

    static TestPeer stream(Transport transport, InetAddress host, Script script) {
        try {
            ServerSocketChannel server;
            Path dir = null;
            SocketAddress bind;
            if (transport == Transport.UNIX) {
                dir = ShortTempDir.create("echo-client-test");
                bind = UnixDomainSocketAddress.of(dir.resolve("peer.sock"));
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                bind = new InetSocketAddress(host, 0);
                server = ServerSocketChannel.open();
            }
            server.bind(bind);
            TestPeer peer = new TestPeer(server, SocketUris.uri(transport, server.getLocalAddress()), dir);
            peer.spawn("accept", () -> {
                for (;;) {
                    SocketChannel channel;
                    try {
                        channel = server.accept();
                    } catch (IOException e) {
                        return; // closed
                    }
                    peer.open.add(channel);
                    peer.spawn("conn", () -> {
                        try (channel) {
                            script.run(channel);
                        } catch (IOException e) {
                            // the client went away or the peer was closed
                        }
                    });
                }
            });
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestPeer udpEcho() {
        return udpEcho(0);
    }

    /** A UDP echo peer that drops the first {@code drop} datagrams, as a lossy network would. */
    static TestPeer udpEcho(int drop) {
        try {
            DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TestPeer peer = new TestPeer(channel, SocketUris.uri(Transport.UDP, channel.getLocalAddress()), null);
            peer.spawn("udp", () -> {
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                try {
                    for (int n = 0; ; n++) {
                        buffer.clear();
                        SocketAddress from = channel.receive(buffer);
                        buffer.flip();
                        if (n >= drop) {
                            channel.send(buffer, from);
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- scripts

    static void echo(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }

    static void silent(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) >= 0) {
            buffer.clear();
        }
    }

    /**
     * Reads {@code count} bytes (echoing nothing), then shuts its output down (FIN) and reads
     * on until the client closes (closing with unread bytes would send a reset instead).
     */
    static Script closeAfterReading(int count) {
        return channel -> {
            readExactly(channel, count);
            channel.shutdownOutput();
            silent(channel);
        };
    }

    /** Reads {@code count} bytes (echoing nothing), then resets the connection (RST). */
    static Script resetAfterReading(int count) {
        return channel -> {
            readExactly(channel, count);
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        };
    }

    /** Writes {@code count} bytes nobody sent at once, then reads without answering. */
    static Script writeFirst(int count) {
        return channel -> {
            channel.write(ByteBuffer.allocate(count));
            silent(channel);
        };
    }

    private static ByteBuffer readExactly(SocketChannel channel, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new ClosedChannelException();
            }
        }
        return buffer;
    }

    URI uri() {
        return uri;
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(body, "test-peer-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() throws Exception {
        listener.close();
        for (java.nio.channels.Channel channel : open) {
            channel.close();
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("peer.sock"));
            Files.deleteIfExists(socketDir);
        }
    }
}
