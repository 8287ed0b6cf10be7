package dev.echofixture.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.UdpEchoTests;
import dev.echofixture.internal.recording.ConnectionRegistry;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocked-send path of {@link DatagramSender}. A loopback UDP socket practically never
 * reports a full send buffer, so these tests drive the sender with a hand-written channel
 * whose send buffer is full on demand; everything else about UDP is tested on real sockets
 * in {@link UdpEchoTests}.
 */
@Timeout(10)
class DatagramSenderTests {

    private final FullOnDemandChannel channel = new FullOnDemandChannel();
    private final FakeKey key = new FakeKey();
    private final List<DatagramPeer> forgotten = new ArrayList<>();
    private final DatagramSender sender = new DatagramSender(channel, new InetSocketAddress("127.0.0.1", 7));
    private final ConnectionRegistry registry = new ConnectionRegistry(1024, () -> "test");

    DatagramSenderTests() {
        sender.key(key);
    }

    private DatagramPeer peer(int port) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        return new DatagramPeer(address, registry, null, sender, 0, forgotten::add);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void sendsAtOnceWhenThereIsRoom() {
        DatagramPeer a = peer(1001);

        sender.transmit(a, bytes("hello"), null);

        assertEquals(List.of("hello -> 1001"), channel.sent);
        assertEquals(5, a.view().bytesSent());
        assertEquals(SelectionKey.OP_READ, key.interestOps);
    }

    @Test
    void holdsDatagramsInOrderWhileSendBufferIsFullAndSendsThemWhenWritable() {
        DatagramPeer a = peer(1001);
        DatagramPeer b = peer(1002);
        channel.full = true;

        sender.transmit(a, bytes("one"), null);
        sender.transmit(b, bytes("two"), null);

        assertEquals(List.of(), channel.sent);
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.interestOps);
        assertEquals(1, a.held());
        assertEquals(3, a.view().peakPendingBytes());

        channel.full = false;
        sender.transmit(a, bytes("three"), null); // room again, but "one" and "two" go first
        assertEquals(List.of(), channel.sent);

        sender.flushBlocked();

        assertEquals(List.of("one -> 1001", "two -> 1002", "three -> 1001"), channel.sent);
        assertEquals(SelectionKey.OP_READ, key.interestOps);
        assertEquals(0, a.held());
        assertEquals(8, a.view().bytesSent());
        assertEquals(0, b.held());
    }

    @Test
    void keepsWaitingWhileStillFull() {
        DatagramPeer a = peer(1001);
        channel.full = true;
        sender.transmit(a, bytes("one"), null);

        sender.flushBlocked();

        assertEquals(List.of(), channel.sent);
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.interestOps);
        assertEquals(1, a.held());
    }

    @Test
    void dropsAndCountsBeyondTheBound() {
        DatagramPeer a = peer(1001);
        channel.full = true;
        int size = 60_000;
        long fit = DatagramSender.MAX_PENDING_BYTES / (size + DatagramSender.PENDING_OVERHEAD);

        for (int i = 0; i <= fit; i++) {
            sender.transmit(a, ByteBuffer.allocate(size), null);
        }

        assertEquals(1, sender.dropped());
        assertEquals(fit, a.held());
        assertTrue(a.view().peakPendingBytes() <= DatagramSender.MAX_PENDING_BYTES);
    }

    @Test
    void skipsDatagramsOfForgottenPeers() {
        DatagramPeer a = peer(1001);
        DatagramPeer b = peer(1002);
        channel.full = true;
        sender.transmit(a, bytes("gone"), null);
        sender.transmit(b, bytes("kept"), null);
        a.forget("test");
        channel.full = false;

        sender.flushBlocked();

        assertEquals(List.of("kept -> 1002"), channel.sent);
        assertEquals(0, a.view().bytesSent());
        assertEquals(0, a.held());
        assertEquals(List.of(a), forgotten);
        assertEquals(DatagramPeer.State.FORGOTTEN, a.state());
    }

    /** A datagram channel whose send buffer is full while {@link #full} is set; it records what it sends. */
    private static final class FullOnDemandChannel extends DatagramChannel {
        boolean full;
        final List<String> sent = new ArrayList<>();

        FullOnDemandChannel() {
            super(SelectorProvider.provider());
        }

        @Override
        public int send(ByteBuffer src, SocketAddress target) {
            if (full) {
                return 0;
            }
            byte[] data = new byte[src.remaining()];
            src.get(data);
            sent.add(new String(data, java.nio.charset.StandardCharsets.UTF_8) + " -> " + ((InetSocketAddress) target).getPort());
            return data.length;
        }

        @Override
        public DatagramChannel bind(SocketAddress local) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> DatagramChannel setOption(SocketOption<T> name, T value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T getOption(SocketOption<T> name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            return Set.of();
        }

        @Override
        public DatagramSocket socket() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isConnected() {
            return false;
        }

        @Override
        public DatagramChannel connect(SocketAddress remote) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DatagramChannel disconnect() {
            return this;
        }

        @Override
        public SocketAddress getRemoteAddress() {
            return null;
        }

        @Override
        public SocketAddress receive(ByteBuffer dst) {
            return null;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SocketAddress getLocalAddress() {
            return new InetSocketAddress("127.0.0.1", 7);
        }

        @Override
        public MembershipKey join(InetAddress group, NetworkInterface interf) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
        }
    }

    /** A selection key that only remembers its interest set. */
    private static final class FakeKey extends SelectionKey {
        int interestOps = OP_READ;

        @Override
        public SelectableChannel channel() {
            return null;
        }

        @Override
        public Selector selector() {
            return null;
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public void cancel() {
        }

        @Override
        public int interestOps() {
            return interestOps;
        }

        @Override
        public SelectionKey interestOps(int ops) {
            interestOps = ops;
            return this;
        }

        @Override
        public int readyOps() {
            return 0;
        }
    }
}
