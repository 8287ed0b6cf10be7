package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import dev.echofixture.internal.loop.EventLoop;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * An {@link EchoClient}'s UDP socket, connected to the server so that only its datagrams
 * arrive. Each send goes out as one datagram, and each datagram that comes back completes the
 * oldest outstanding send: it must be exactly that send's payload (UDP echo servers return
 * datagrams whole). A datagram that is not (one was lost, reordered or changed on the way)
 * fails the client with a {@link java.net.ProtocolException} saying so, rather than handing
 * the wrong bytes to a send. UDP has no end of stream, so otherwise only time-outs and "port
 * unreachable" end a client on their own. A datagram the socket cannot take at once waits in
 * {@code outbound} for OP_WRITE. At most 16 datagrams out and 16 in per wake-up. The receive
 * buffer is enlarged (as far as the OS allows) so that a burst of echoes is not dropped.
 *
 * <p>Threads: loop thread only.
 */
public final class DatagramSession extends ClientSession {

    /** The largest UDP payload over IPv4: 65,535 - 8 (UDP header) - 20 (IP header). */
    public static final int MAX_DATAGRAM = 65_507;
    private static final int BUDGET = 16;
    private static final int RECEIVE_BUFFER = 4 << 20;

    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    /** The payload of each outstanding send, oldest first: the datagram that must come back. */
    private final ArrayDeque<byte[]> expected = new ArrayDeque<>();
    private ByteBuffer readBuffer;
    private DatagramChannel channel;

    public DatagramSession(String serverUri, InetSocketAddress remote, long timeoutNanos, String timeoutText) {
        super(serverUri, remote, timeoutNanos, timeoutText);
    }

    @Override
    void open(EventLoop loop) throws IOException {
        readBuffer = loop.readBuffer(); // 64 KiB: more than the largest datagram
        boolean v6 = ((InetSocketAddress) remote).getAddress() instanceof Inet6Address;
        channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            key = loop.register(channel, SelectionKey.OP_READ, this); // also switches it to non-blocking
            channel.connect(remote);
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel);
            throw e;
        }
        connectedAs(channel.getLocalAddress());
    }

    @Override
    ClientFailure ioFailure(IOException e) {
        return e instanceof PortUnreachableException
                ? ClientFailure.unreachable(serverUri, e) : ClientFailure.reset(serverUri, e);
    }

    @Override
    void write(ByteBuffer payload) {
        expected.add(payload.array()); // the submitted copy: never changed afterwards
        outbound.add(payload);
        flushUnlessWaitingForWrite();
    }

    @Override
    void flush() throws IOException {
        for (int i = 0; i < BUDGET; i++) {
            ByteBuffer datagram = outbound.peek();
            if (datagram == null) {
                writeInterest(false);
                return;
            }
            if (channel.write(datagram) == 0 && datagram.hasRemaining()) {
                writeInterest(true); // the send buffer is full
                return;
            }
            outbound.poll();
        }
        writeInterest(!outbound.isEmpty());
    }

    @Override
    void read() throws IOException {
        for (int i = 0; i < BUDGET; i++) {
            readBuffer.clear();
            if (channel.receive(readBuffer) == null) {
                return;
            }
            readBuffer.flip();
            byte[] wanted = expected.poll();
            if (wanted == null) {
                end(ClientFailure.unexpectedBytes(serverUri, readBuffer.remaining()));
                return;
            }
            if (!readBuffer.equals(ByteBuffer.wrap(wanted))) {
                end(ClientFailure.datagramMismatch(serverUri, readBuffer.remaining(), wanted.length));
                return;
            }
            pending.accept(readBuffer); // exactly the head's bytes: completes it
        }
    }

}
