package dev.echofixture.internal.server;

import dev.echofixture.internal.util.LazyLogger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * Sends the echoes of a {@link DatagramHandler} and bounds what the server holds: datagrams
 * waiting for room in the socket's send buffer wait here, in order, with {@code OP_WRITE} on;
 * together with the datagrams the peers hold for their delay they take at most
 * {@link #MAX_PENDING_BYTES}. Beyond it a datagram is dropped (UDP may drop), counted in
 * {@link #dropped()} and logged at debug level; so is a datagram whose send fails. Each held
 * datagram is also counted by its peer ({@link DatagramPeer#hold}, {@link DatagramPeer#released}).
 *
 * <p>Loop thread only, except {@link #dropped()}.
 */
public final class DatagramSender {

    /** Bytes of delayed or blocked datagrams one server may hold. */
    public static final long MAX_PENDING_BYTES = 1 << 20;
    /** What a held datagram costs beyond its bytes, so that empty datagrams are bounded too. */
    public static final int PENDING_OVERHEAD = 64;
    private static final LazyLogger LOG = new LazyLogger(DatagramSender.class);

    /** A datagram waiting for room in the send buffer. */
    private record Blocked(DatagramPeer peer, byte[] data) {
    }

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final ArrayDeque<Blocked> blocked = new ArrayDeque<>();
    private SelectionKey key;
    private long pendingBytes;
    private volatile long dropped;

    DatagramSender(DatagramChannel channel, InetSocketAddress localAddress) {
        this.channel = channel;
        this.localAddress = localAddress;
    }

    /** The channel's key, for {@code OP_WRITE}. */
    void key(SelectionKey key) {
        this.key = key;
    }

    /** Datagrams dropped because too many bytes were held or a send failed. Any thread. */
    long dropped() {
        return dropped;
    }

    /** Takes room for a datagram the peer will hold; {@code false} (dropped and counted) if there is none. */
    boolean reserve(int length, DatagramPeer peer) {
        long cost = cost(length);
        if (pendingBytes + cost > MAX_PENDING_BYTES) {
            dropped++;
            LOG.get().debug("{}: {} bytes held, dropping a datagram of {} bytes to {}",
                    localAddress, pendingBytes, length, peer.address);
            return false;
        }
        pendingBytes += cost;
        peer.hold(length);
        return true;
    }

    /** Gives back the room of a held datagram that left or was dropped. */
    void unreserve(int length, DatagramPeer peer) {
        pendingBytes -= cost(length);
        peer.released(length);
    }

    /**
     * Sends a datagram now, or queues it behind those waiting for room in the send buffer.
     *
     * @param reserved the datagram's own copy if its room is already {@linkplain #reserve taken}, else {@code null}
     */
    void transmit(DatagramPeer peer, ByteBuffer datagram, byte[] reserved) {
        int length = datagram.remaining();
        if (blocked.isEmpty()) {
            int sent = send(peer, datagram);
            if (sent != 0 || length == 0) {
                if (sent >= 0) {
                    peer.sent(length);
                }
                if (reserved != null) {
                    unreserve(length, peer);
                }
                return;
            }
        }
        if (reserved == null && !reserve(length, peer)) {
            return;
        }
        byte[] copy = reserved;
        if (copy == null) {
            copy = new byte[length];
            datagram.get(copy);
        }
        blocked.add(new Blocked(peer, copy));
        if (blocked.size() == 1) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** {@code OP_WRITE}: sends, in order, what waited for room; skips forgotten peers. */
    void flushBlocked() {
        Blocked head;
        while ((head = blocked.peek()) != null) {
            DatagramPeer peer = head.peer();
            int length = head.data().length;
            if (peer.state() != DatagramPeer.State.FORGOTTEN) {
                int sent = send(peer, ByteBuffer.wrap(head.data()));
                if (sent == 0 && length > 0) {
                    return; // still no room: OP_WRITE stays on
                }
                if (sent >= 0) {
                    peer.sent(length);
                }
            }
            blocked.poll();
            unreserve(length, peer);
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Forgets every held datagram (the loop is closing). */
    void clear() {
        blocked.clear();
        pendingBytes = 0;
    }

    /** @return the bytes sent, 0 if the send buffer is full, -1 if the send failed (then dropped and counted) */
    private int send(DatagramPeer peer, ByteBuffer datagram) {
        try {
            return channel.send(datagram, peer.address);
        } catch (IOException e) {
            dropped++;
            LOG.get().debug("{}: sending {} bytes to {} failed, dropped", localAddress, datagram.remaining(), peer.address, e);
            return -1;
        }
    }

    private static long cost(int length) {
        return (long) length + PENDING_OVERHEAD;
    }
}
