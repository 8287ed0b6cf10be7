package dev.echofixture.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The least a Java echo server built on the JDK's NIO does, for scale beside the standalone
 * endpoint in {@code benchmarks/run-echoload.sh}: one thread, one selector, no object of its own
 * per connection while the connection is idle (the key has no attachment), one shared 64 KiB
 * direct read buffer. What it keeps per idle connection is what the JDK keeps (the channel, its
 * locks and addresses, the file descriptor, the selection key, the selector's entries), so
 * its figure in scenario g is the floor for any NIO server in that JVM.
 *
 * <p>Enough of an echo server for the harness: it echoes every byte and stops reading a
 * connection while an echo is pending (the pending bytes become the key's attachment), so it
 * reads the peer's end of stream only after every byte before it is echoed, and then closes.
 * No limits, no logging, no error reporting beyond closing the connection that failed (a
 * failed accept is retried on the next select).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.NioFloorEchoMain [port]
 * </pre>
 *
 * <p>Prints {@code listening on tcp://127.0.0.1:PORT} as its first line, as the harness expects,
 * then nothing. Runs until killed.
 */
public final class NioFloorEchoMain {

    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private NioFloorEchoMain() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args {@code [port]}, 0 (an ephemeral port) by default
     * @throws IOException if it cannot bind or select
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
        System.out.println("listening on tcp://" + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        System.out.flush();
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
        while (true) {
            selector.select();
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                try {
                    if (key.isAcceptable()) {
                        accept(server, selector);
                    } else {
                        serve(key, buffer);
                    }
                } catch (IOException e) {
                    if (key.channel() != server) { // a failed accept (say, out of descriptors) keeps the listener
                        key.channel().close();
                    }
                }
            }
        }
    }

    private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private static void serve(SelectionKey key, ByteBuffer buffer) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        ByteBuffer pending = (ByteBuffer) key.attachment();
        if (pending != null) {
            channel.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
            return;
        }
        buffer.clear();
        int read = channel.read(buffer);
        if (read < 0) {
            channel.close();
            return;
        }
        buffer.flip();
        channel.write(buffer);
        if (buffer.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocate(buffer.remaining());
            rest.put(buffer).flip();
            key.attach(rest);
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }
}
