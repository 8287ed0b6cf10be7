package dev.echofixture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes the datagrams of one {@link DatagramChannel}: each datagram goes back whole to its
 * sender; each distinct sender address is one {@link DatagramPeer}, listed in the server's
 * {@link ConnectionRegistry}.
 *
 * <h2>Conditions, per datagram</h2>
 * Latency and jitter delay the datagram (jitter drawn by the peer's {@link Pacer} from the
 * server's seed); bandwidth paces each peer's datagrams whole; neither ever reorders a peer's
 * datagrams. {@code chunkSize} does not apply. {@code silent} records and echoes nothing.
 * {@code closeAfter(n)} echoes whole datagrams while the peer's echoed total stays at most
 * {@code n}; once it reaches {@code n}, or a datagram would exceed it (that one is not echoed),
 * the peer is closed and its later datagrams are recorded on the closed view, never echoed.
 *
 * <h2>Bounds</h2>
 * Datagrams held for their delay, or for room in the socket's send buffer, take at most
 * {@link DatagramSender#MAX_PENDING_BYTES} per server (see {@link DatagramSender}). A datagram
 * from a new peer while {@code maxConnections} peers are open is dropped and counted as a
 * rejected connection; the first of each such episode is logged at warn level. Peers idle for
 * the idle time-out (by default {@link ServerConfig#DEFAULT_UDP_IDLE_TIMEOUT}) are forgotten, so
 * that a long-running server keeps answering new peers. An unexpected error while handling a
 * datagram forgets only that peer (logged), never the channel.
 *
 * <p>Loop thread only, except {@link #datagramsDropped()}.
 */
final class DatagramHandler implements EventLoop.Handler {

    /** Room for the largest datagram (65,507 bytes over IPv4, 65,527 over IPv6). */
    static final int MAX_DATAGRAM = 65_536;
    /** Datagrams read per ready event, so that deadlines and writes get their turn. */
    private static final int READS_PER_TURN = 64;
    private static final Logger LOG = LoggerFactory.getLogger(DatagramHandler.class);

    private final ServerContext context;
    private final EventLoop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final Map<SocketAddress, DatagramPeer> peers = new HashMap<>();
    private final DatagramSender sender;
    private final long idleNanos;
    private final Episode rejections = new Episode();

    DatagramHandler(ServerContext context, EventLoop loop, DatagramChannel channel, InetSocketAddress localAddress) {
        this.context = context;
        this.loop = loop;
        this.channel = channel;
        this.localAddress = localAddress;
        ServerConfig config = context.config();
        this.idleNanos = config.idleTimeoutNanos();
        this.sender = new DatagramSender(channel, localAddress, this::finishClosingIfDone);
    }

    /** Registers the channel for reading; before the loop starts. */
    void register() throws IOException {
        sender.key(loop.register(channel, SelectionKey.OP_READ, this));
    }

    /** Datagrams dropped because too many bytes were pending or a send failed. Any thread. */
    long datagramsDropped() {
        return sender.dropped();
    }

    @Override
    public void ready(SelectionKey key) {
        if (key.isValid() && key.isWritable()) {
            sender.flushBlocked();
        }
        if (key.isValid() && key.isReadable()) {
            for (int i = 0; i < READS_PER_TURN; i++) {
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    LOG.debug("{}: receive failed, reading on", localAddress, e);
                    continue;
                }
                if (from == null) {
                    return;
                }
                buffer.flip();
                try {
                    onDatagram(from, buffer, System.nanoTime());
                } catch (RuntimeException e) {
                    LOG.warn("{}: forgetting peer {} after an unexpected error; echoing on", localAddress, from, e);
                    DatagramPeer failed = peers.get(from);
                    if (failed != null) {
                        forget(failed, "failed");
                    }
                }
            }
        }
    }

    @Override
    public void loopClosing() {
        for (DatagramPeer peer : peers.values()) {
            peer.queue.clear();
            peer.state = DatagramPeer.State.FORGOTTEN;
            peer.view.markClosed();
        }
        peers.clear();
        sender.clear();
    }

    private void onDatagram(SocketAddress from, ByteBuffer datagram, long now) {
        DatagramPeer peer = peers.get(from);
        if (peer == null) {
            int open = context.registry().active();
            if (open >= context.config().maxConnections()) {
                context.registry().rejected();
                if (rejections.occurred(now)) {
                    String until = context.config().hasIdleTimeout()
                            ? "a peer is idle for " + Durations.format(context.config().idleTimeout()) + " or closed"
                            : "a peer is closed (no idle time-out is set)";
                    LOG.warn("{}: {} open (maxConnections), dropping datagrams from new peers such as {} until {};"
                            + " logged once until then", localAddress, Plural.of(open, "peer"), from, until);
                } else {
                    LOG.debug("{}: {} open, dropping a datagram from new peer {}", localAddress, Plural.of(open, "peer"), from);
                }
                return;
            }
            if (rejections.isOngoing()) {
                LOG.info("{}: accepting new peers again, after dropping {}", localAddress,
                        Plural.of(rejections.count(), "datagram"));
                rejections.end();
            }
            peer = newPeer(from, now);
        }
        int length = datagram.remaining();
        peer.view.received(datagram);
        peer.lastActivity = now;
        if (!peer.echoes()) {
            return;
        }
        EchoBehavior behavior = context.behavior();
        if (behavior.isSilent()) {
            return;
        }
        long closeAfter = behavior.closeAfter();
        if (closeAfter == 0 || (closeAfter > 0 && peer.echoAccepted + length > closeAfter)) {
            startClosing(peer);
            return;
        }
        long releaseAt = peer.pacer.releaseAt(behavior, now);
        long bandwidth = behavior.bandwidth();
        if (peer.queue.isEmpty() && peer.sendTime(releaseAt, length, bandwidth, now) - now <= 0) {
            peer.echoAccepted += length;
            peer.paced(length, bandwidth, now);
            sender.transmit(peer, datagram, null);
        } else if (sender.reserve(length, peer)) {
            peer.echoAccepted += length;
            byte[] copy = new byte[length];
            datagram.get(copy);
            peer.queue.add(new DatagramPeer.Delayed(copy, releaseAt, bandwidth));
            peer.unsent++;
            if (peer.queue.size() == 1) {
                scheduleRelease(peer, now);
            }
        }
        if (closeAfter > 0 && peer.echoAccepted == closeAfter) {
            startClosing(peer);
        }
    }

    private DatagramPeer newPeer(SocketAddress from, long now) {
        DatagramPeer peer = new DatagramPeer(this, from, now);
        peer.view = context.registry().open(from, loop, peer);
        peer.pacer = new Pacer(context.config().seed(), peer.view.index());
        peers.put(from, peer);
        LOG.debug("{}: new peer {}", localAddress, from);
        if (idleNanos > 0) {
            peer.idleCheck = loop.schedule(now + idleNanos, () -> checkIdle(peer));
        }
        return peer;
    }

    private void scheduleRelease(DatagramPeer peer, long now) {
        DatagramPeer.Delayed head = peer.queue.peek();
        long at = peer.sendTime(head.releaseAt(), head.data().length, head.bandwidth(), now);
        peer.release = loop.schedule(at, () -> release(peer));
    }

    /** Sends every datagram at the head of the peer's queue that may go out now, then waits for the next. */
    private void release(DatagramPeer peer) {
        peer.release = null;
        long now = System.nanoTime();
        DatagramPeer.Delayed head;
        while ((head = peer.queue.peek()) != null) {
            if (peer.sendTime(head.releaseAt(), head.data().length, head.bandwidth(), now) - now > 0) {
                scheduleRelease(peer, now);
                return;
            }
            peer.queue.poll();
            peer.unsent--;
            peer.paced(head.data().length, head.bandwidth(), now);
            sender.transmit(peer, ByteBuffer.wrap(head.data()), head.data());
        }
        finishClosingIfDone(peer);
    }

    private void startClosing(DatagramPeer peer) {
        if (peer.state == DatagramPeer.State.OPEN) {
            peer.state = DatagramPeer.State.CLOSING;
            LOG.debug("{}: closeAfter reached for {}", localAddress, peer.address);
        }
        finishClosingIfDone(peer);
    }

    private void finishClosingIfDone(DatagramPeer peer) {
        if (peer.state == DatagramPeer.State.CLOSING && peer.unsent == 0) {
            peer.state = DatagramPeer.State.MUTED;
            closeView(peer);
        }
    }

    private void closeView(DatagramPeer peer) {
        peer.view.markClosed();
        if (peer.idleCheck != null) {
            peer.idleCheck.cancel();
            peer.idleCheck = null;
        }
    }

    private void checkIdle(DatagramPeer peer) {
        peer.idleCheck = null;
        if (peer.state != DatagramPeer.State.OPEN) {
            return;
        }
        long now = System.nanoTime();
        if (peer.unsent == 0 && now - (peer.lastActivity + idleNanos) >= 0) {
            forget(peer, "idle for " + Durations.format(context.config().idleTimeout()));
        } else {
            long from = peer.unsent > 0 ? now : peer.lastActivity;
            peer.idleCheck = loop.schedule(from + idleNanos, () -> checkIdle(peer));
        }
    }

    /** Closes the peer's view, drops its pending echoes and unmaps its address. Loop thread. */
    void forget(DatagramPeer peer, String why) {
        if (peer.state == DatagramPeer.State.FORGOTTEN) {
            return;
        }
        if (peer.release != null) {
            peer.release.cancel();
            peer.release = null;
        }
        for (DatagramPeer.Delayed delayed : peer.queue) {
            sender.unreserve(delayed.data().length, peer);
            peer.unsent--;
        }
        peer.queue.clear();
        if (peer.isOpen()) {
            closeView(peer);
        }
        peer.state = DatagramPeer.State.FORGOTTEN; // its blocked sends are skipped
        peers.remove(peer.address, peer);
        LOG.debug("{}: peer {} {}, forgotten", localAddress, peer.address, why);
    }

    @Override
    public String toString() {
        return "DatagramHandler[" + Endpoints.uri(Transport.UDP, localAddress) + ", " + peers.size() + " peers]";
    }
}
