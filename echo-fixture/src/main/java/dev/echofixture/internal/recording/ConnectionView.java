package dev.echofixture.internal.recording;

import dev.echofixture.ConnectionClose;
import dev.echofixture.EchoConnection;
import dev.echofixture.Exchange;
import dev.echofixture.TlsHandshake;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.SocketUris;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The {@link EchoConnection} handed to users: a live, read-only view of one connection (or, for
 * UDP, one peer), transport-neutral.
 *
 * <p>The transport's handler on the loop thread is the single writer: it calls
 * {@link #received(ByteBuffer)}, {@link #sent(int)} and {@link #markClosed()}. Users read from
 * any thread; every field they read is volatile or published by the {@link Recorder}.
 * {@link #close()} and {@link #reset()} post the transport's {@link Actions} to the loop.
 * {@link #awaitReceived} waits on the view's monitor, which the loop notifies only while someone
 * waits (otherwise a change costs one volatile read). {@link #awaitTls} waits on the same monitor,
 * notified by {@link #tls(TlsHandshake)}; each waiter re-checks its own condition, so a wake-up
 * meant for the other costs one check. Nothing else locks the view.
 *
 * <p>Memory: a server may hold tens of thousands of idle connections, so the view holds no
 * object it does not need (the open time is a {@code long}, not an {@link Instant}).
 *
 * <p>How this part fits with the others, and a byte's path through them: {@code docs/DESIGN.md}.
 */
public final class ConnectionView implements EchoConnection {

    /** What {@link #close()} and {@link #reset()} do; run on the loop thread. */
    public interface Actions {
        /** Ends the connection gracefully (the peer sees an end of stream). */
        void closeGracefully();

        /** Ends the connection abortively (the peer sees a reset). */
        void reset();

        /**
         * What the server knows of its peer's close now (see {@link PeerClose}). Loop thread only.
         * A UDP peer cannot close, so it answers {@link PeerClose#UNKNOWN}.
         */
        default PeerClose peerClose() {
            return PeerClose.UNKNOWN;
        }

        /** Whether this is a UDP peer, which has no close to wait for. */
        default boolean isDatagram() {
            return false;
        }
    }

    /** What the server knows of its peer's close, for {@link LeftOpenCheck}. */
    public enum PeerClose {
        /** The peer has closed (the server read its end of stream), or the connection is closed. */
        SEEN,
        /** The server is reading the connection and has read no end of stream yet. */
        NOT_SEEN,
        /** The server is not reading the connection now (backpressure, a pending reset), so a close may wait unread. */
        UNKNOWN
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ConnectionRegistry registry;
    private final int index;
    private final SocketAddress remoteAddress;
    /** When it was opened, in nanoseconds since the epoch: a long instead of an {@link Instant} held per connection. */
    private final long openedAtEpochNanos = epochNanos(Instant.now());
    private volatile Recorder recorder; // replaced, not emptied, by clearRecording(): a reader sees one or the other
    private final EventLoop loop;
    private volatile Actions actions;
    private boolean datagram; // set before the view is published
    private volatile ConnectionClose peerEnd; // how the peer ended it, once seen
    private volatile ConnectionClose.Kind serverEnd; // how the server ended it, when it did so before the peer
    private volatile long bytesReceived;
    private volatile long bytesSent;
    private volatile Instant closedAt;
    private volatile long peakPendingBytes;
    private volatile TlsHandshake tls; // null unless TLS
    private FaultLog faults; // made on the first fault; guarded by this
    private volatile Exchanges exchanges = Exchanges.EMPTY; // scripted replies only; replaced by clearRecording()
    private volatile Dialogue dialogue; // null unless proxied
    /** Threads in {@link #awaitReceived}; the loop notifies only when there are any. */
    private volatile int waiters;
    /** Counts changes (bytes received, closed) for waiters; written by the loop only. */
    private volatile long changes;

    private static final AtomicIntegerFieldUpdater<ConnectionView> WAITERS =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionView.class, "waiters");

    ConnectionView(ConnectionRegistry registry, int index, SocketAddress remoteAddress, int recordLimit,
                   EventLoop loop) {
        this.registry = registry;
        this.index = index;
        this.remoteAddress = remoteAddress;
        this.recorder = Recorder.withLimit(recordLimit);
        this.loop = loop;
    }

    /** Connects the view to its transport's actions. Call before the view is published. */
    ConnectionView actions(Actions actions) {
        this.actions = actions;
        this.datagram = actions.isDatagram();
        return this;
    }

    /** The position of this connection in the server's list, 0 for the first. */
    public int index() {
        return index;
    }

    /** Counts and records the buffer's remaining bytes without moving its position. Loop thread only. */
    public void received(ByteBuffer data) {
        int n = data.remaining();
        recorder.record(data);
        bytesReceived += n; // after the recording: a reader that sees the count sees the bytes (ReceivedAwait's "full" check)
        signalWaiters();
    }

    /**
     * Notes that the server is ending the connection (closing or resetting it), unless the peer
     * or the server ended it already. Loop thread only.
     */
    public void serverEnded(ConnectionClose.Kind kind) {
        if (peerEnd == null && serverEnd == null && closedAt == null) {
            serverEnd = kind;
        }
    }

    /** How the server ended the connection, if it did so before the peer; else {@code null}. */
    public ConnectionClose.Kind serverEnd() {
        return serverEnd;
    }

    /** How the peer ended the connection, once seen; else {@code null}. */
    public ConnectionClose peerEnd() {
        return peerEnd;
    }

    /** Makes this a proxied connection, which records both directions. Loop thread only, before any byte. */
    public void startDialogue() {
        dialogue = new Dialogue(registry.recordLimit());
    }

    /**
     * Records bytes forwarded by a proxy, without moving the buffer's position; bytes from the
     * client also count as received (see {@link #received(ByteBuffer)}). Loop thread only.
     */
    public void forwarded(dev.echofixture.DialogueEntry.Direction direction, ByteBuffer data) {
        Dialogue d = dialogue;
        if (d != null) {
            d.record(direction, data);
        }
        if (direction == dev.echofixture.DialogueEntry.Direction.TO_UPSTREAM) {
            received(data);
        } else {
            changes++;
        }
    }

    /** Records why the upstream could not be reached. Loop thread only. */
    public void upstreamFailed(String failure) {
        Dialogue d = dialogue;
        if (d != null) {
            d.upstreamFailed(failure);
        }
    }

    @Override
    public byte[] sent() {
        Dialogue d = dialogue;
        return d == null ? new byte[0] : d.answered();
    }

    @Override
    public java.util.List<dev.echofixture.DialogueEntry> dialogue() {
        Dialogue d = dialogue;
        return d == null ? java.util.List.of() : d.entries();
    }

    @Override
    public Optional<String> upstreamFailure() {
        Dialogue d = dialogue;
        return d == null ? Optional.empty() : Optional.ofNullable(d.upstreamFailure());
    }

    /** Counts bytes echoed. Loop thread only. */
    public void sent(int bytes) {
        bytesSent += bytes;
    }

    /** Records what was done to this connection on purpose (a plan's choice or step, an injected fault), one line ({@link EchoConnection#faults()}). Loop thread only. */
    public void fault(String description) {
        synchronized (this) {
            if (faults == null) {
                faults = new FaultLog();
            }
            faults.add(description);
        }
    }

    @Override
    public synchronized List<String> faults() {
        return faults == null ? List.of() : faults.lines();
    }

    /** Notes how many bytes wait to be echoed, for the peak. Loop thread only. */
    public void notePending(long pendingBytes) {
        if (pendingBytes > peakPendingBytes) {
            peakPendingBytes = pendingBytes;
        }
    }

    /** The most bytes that ever waited to be echoed at once (tests of backpressure). */
    public long peakPendingBytes() {
        return peakPendingBytes;
    }

    /** Records the state of the TLS handshake. Loop thread only. */
    public void tls(TlsHandshake handshake) {
        synchronized (this) { // the view's monitor, shared with awaitReceived: each waiter checks its own condition
            tls = handshake;
            notifyAll();
        }
    }

    @Override
    public Optional<TlsHandshake> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public TlsHandshake awaitTls(Duration timeout) {
        Checks.positiveOrZero(timeout, "timeout");
        if (tls == null) {
            throw new IllegalStateException("awaitTls: " + this
                    + " is not a TLS connection (start the server with transport(Transport.TLS))");
        }
        long deadline = System.nanoTime() + Durations.saturatedNanos(timeout); // FOREVER waits, never overflows
        synchronized (this) {
            while (tls.status() == TlsHandshake.Status.IN_PROGRESS) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the TLS handshake of " + this + " did not finish within "
                            + Durations.format(timeout) + ": " + tls);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for the TLS handshake of " + this, e);
                }
            }
            return tls;
        }
    }

    /**
     * Notes how the peer ended the connection (the first time only, and only while it is open):
     * before the connection is marked closed. Loop thread only.
     */
    public void peerEnded(ConnectionClose.Kind kind) {
        if (peerEnd == null && closedAt == null) {
            TlsHandshake handshake = tls;
            peerEnd = new ConnectionClose(kind, handshake != null && handshake.closeNotifyReceived());
            signalWaiters();
        }
    }

    /**
     * Empties the recording and zeroes the byte counts, for
     * {@link EmbeddedEchoServer#clearRecording()}. Loop thread only (or once the loop has ended).
     */
    void clearRecording() {
        recorder = recorder.emptied();
        exchanges = Exchanges.EMPTY;
        if (dialogue != null) {
            dialogue = new Dialogue(registry.recordLimit());
        }
        bytesReceived = 0;
        bytesSent = 0;
        changes++;
    }

    @Override
    public ConnectionClose awaitClosed(Duration timeout) {
        if (datagram) {
            throw new IllegalStateException("awaitClosed: " + this + " is a UDP peer, and UDP has no close"
                    + " (expected: a TCP, UNIX or TLS connection; for UDP wait for the datagrams with awaitReceived)");
        }
        WAITERS.incrementAndGet(this); // before the first mark: a change after the mark is then notified
        try {
            return ClosedAwait.await(this, () -> peerEnd, timeout, waiter());
        } finally {
            WAITERS.decrementAndGet(this);
        }
    }

    /** What the server knows of the peer's close now. Loop thread only. */
    PeerClose peerClose() {
        return closedAt != null ? PeerClose.SEEN : actions.peerClose();
    }

    /** Marks the connection closed (once); frees its slot in the server's count. Loop thread only. */
    public void markClosed() {
        if (closedAt == null) {
            closedAt = Instant.now();
            actions = null; // the closed connection's state can be collected; the view stays
            registry.closed(this);
            signalWaiters();
        }
    }

    private void signalWaiters() {
        changes++; // single writer: the loop thread
        if (waiters > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Waits until a change after {@code mark}, at most {@code nanos} (and 100 ms, as a safety net). */
    private synchronized void awaitChange(long mark, long nanos) throws InterruptedException {
        if (changes == mark) {
            long millis = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(nanos), 100));
            wait(millis);
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isOpen() {
        return closedAt == null;
    }

    @Override
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public byte[] received() {
        return recorder.snapshot();
    }

    /** Records one scripted exchange (at most {@link Exchanges#LIMIT} per connection). Loop thread only. */
    public void exchanged(Exchange exchange) {
        exchanges = exchanges.plus(exchange);
    }

    @Override
    public List<Exchange> exchanges() {
        return exchanges.list();
    }

    @Override
    public String receivedText() {
        return new String(recorder.snapshot(), StandardCharsets.UTF_8);
    }

    @Override
    public Instant openedAt() {
        return Instant.ofEpochSecond(Math.floorDiv(openedAtEpochNanos, NANOS_PER_SECOND),
                Math.floorMod(openedAtEpochNanos, NANOS_PER_SECOND));
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    }

    @Override
    public Optional<Instant> closedAt() {
        return Optional.ofNullable(closedAt);
    }

    @Override
    public void awaitReceived(byte[] expected, Duration timeout) {
        Checks.notNull(expected, "expected");
        await(expected.clone(), ReceivedAwait.describeBytes(expected), timeout);
    }

    @Override
    public void awaitReceived(String expected, Duration timeout) {
        Checks.notNull(expected, "expected");
        await(expected.getBytes(StandardCharsets.UTF_8), ReceivedAwait.describeText(expected), timeout);
    }

    private void await(byte[] expected, String what, Duration timeout) {
        WAITERS.incrementAndGet(this); // before the first mark: a change after the mark is then notified
        try {
            ReceivedAwait.await(this, expected, what, timeout, waiter());
        } finally {
            WAITERS.decrementAndGet(this);
        }
    }

    /** Waits on this view's changes; the caller counts itself in {@code waiters} meanwhile. */
    private ReceivedAwait.Waiter waiter() {
        return new ReceivedAwait.Waiter() {
            @Override
            public long mark() {
                return changes;
            }

            @Override
            public void await(long mark, long nanos) throws InterruptedException {
                awaitChange(mark, nanos);
            }
        };
    }

    @Override
    public void close() {
        Actions a = actions;
        if (a != null && isOpen()) {
            loop.execute(a::closeGracefully);
        }
    }

    @Override
    public void reset() {
        Actions a = actions;
        if (a != null && isOpen()) {
            loop.execute(a::reset);
        }
    }

    /** For example {@code EchoConnection[#0 /127.0.0.1:50312, open, received 5 B, sent 5 B]}. */
    @Override
    public String toString() {
        String faultText; // a few faults listed, many counted
        synchronized (this) {
            faultText = faults == null ? "" : faults.count() <= 3 ? ", faults " + faults.lines() : ", " + faults.count() + " faults";
        }
        return "EchoConnection[#" + index + " " + SocketUris.describePeer(remoteAddress) + ", " + (isOpen() ? "open" : "closed")
                + ", received " + bytesReceived + " B, sent " + bytesSent + " B" + faultText + "]";
    }
}
