package dev.echofixture.internal.server;

import dev.echofixture.Transport;
import dev.echofixture.internal.conditions.Pacer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.replies.ScriptRun;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.SocketUris;
import dev.echofixture.internal.util.Episode;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.Plural;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Echoes the datagrams of one {@link DatagramChannel}: each datagram goes back whole to its
 * sender; each distinct sender address is one {@link DatagramPeer}, listed in the server's
 * {@link ConnectionRegistry}. The handler reads the channel and maps addresses to peers; each
 * peer decides what becomes of its datagrams, and the {@link DatagramSender} sends them.
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
 *
 * <p>How this part fits with the others, and a byte's path through them: {@code docs/DESIGN.md}.
 */
final class DatagramHandler implements EventLoop.Handler {

    /** Room for the largest datagram (65,507 bytes over IPv4, 65,527 over IPv6). */
    static final int MAX_DATAGRAM = EventLoop.READ_BUFFER_SIZE;
    /** Datagrams read per ready event, so that deadlines and writes get their turn. */
    private static final int READS_PER_TURN = 64;
    private static final LazyLogger LOG = new LazyLogger(DatagramHandler.class);

    private final ServerContext context;
    private final EventLoop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
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
        this.sender = new DatagramSender(channel, localAddress);
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
            ByteBuffer buffer = loop.readBuffer(); // the loop's, as big as the largest datagram: none per server
            for (int i = 0; i < READS_PER_TURN; i++) {
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    LOG.get().debug("{}: receive failed, reading on", localAddress, e);
                    continue;
                }
                if (from == null) {
                    return;
                }
                buffer.flip();
                try {
                    onDatagram(from, buffer, System.nanoTime());
                } catch (RuntimeException e) {
                    LOG.get().warn("{}: forgetting peer {} after an unexpected error; echoing on", localAddress, from, e);
                    DatagramPeer failed = peers.get(from);
                    if (failed != null) {
                        failed.forget("failed");
                    }
                }
            }
        }
    }

    @Override
    public void loopClosing() {
        for (DatagramPeer peer : new ArrayList<>(peers.values())) {
            peer.forget("the server closed");
        }
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
                    LOG.get().warn("{}: {} open (maxConnections), dropping datagrams from new peers such as {} until {};"
                            + " logged once until then", localAddress, Plural.of(open, "peer"), from, until);
                } else {
                    LOG.get().debug("{}: {} open, dropping a datagram from new peer {}", localAddress, Plural.of(open, "peer"), from);
                }
                return;
            }
            if (rejections.isOngoing()) {
                LOG.get().info("{}: accepting new peers again, after dropping {}", localAddress,
                        Plural.of(rejections.count(), "datagram"));
                rejections.end();
            }
            peer = new DatagramPeer(from, context.registry(), loop, sender, context.config().seed(), this::unmap,
                    context.faultPlan());
            if (context.script() != null) {
                peer.script(new ScriptRun(context.script()));
            }
            peers.put(from, peer);
            LOG.get().debug("{}: new peer {}", localAddress, from);
            if (idleNanos > 0) {
                peer.watchIdle(idleNanos, now);
            }
        }
        peer.accept(datagram, peer.plan == null ? context.behavior() : peer.plan.behavior(), now);
    }

    private void unmap(DatagramPeer peer) {
        peers.remove(peer.address, peer);
    }

    @Override
    public String toString() {
        return "DatagramHandler[" + SocketUris.uri(Transport.UDP, localAddress) + ", " + peers.size() + " peers]";
    }
}
