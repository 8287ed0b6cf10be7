package dev.echofixture.internal.server;

import dev.echofixture.ConnectionClose;
import dev.echofixture.EchoBehavior;
import dev.echofixture.TlsHandshake;
import dev.echofixture.Exchange;
import dev.echofixture.Reply;
import dev.echofixture.Transport;
import dev.echofixture.internal.conditions.OutboundBuffer;
import dev.echofixture.internal.conditions.Pacer;
import dev.echofixture.internal.faults.StreamFaults;
import dev.echofixture.internal.loop.Deadlines;
import dev.echofixture.internal.plans.ConnectionPlan;
import dev.echofixture.internal.plans.Phases;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionView;
import dev.echofixture.internal.replies.ScriptRun;
import dev.echofixture.internal.stream.PlainStream;
import dev.echofixture.internal.stream.StreamIo;
import dev.echofixture.internal.tls.ServerTls;
import dev.echofixture.internal.tls.TlsApiAccess;
import dev.echofixture.internal.tls.TlsChannel;
import dev.echofixture.internal.tls.TlsLink;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.SocketUris;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted TCP or UNIX stream connection: reads, records, paces and echoes its bytes.
 *
 * <h2>States</h2>
 * <pre>
 * OPEN ──peer EOF──▶ INPUT_SHUTDOWN ──pending flushed──▶ close (FIN, the input being at EOF) ──▶ CLOSED
 *  │
 *  ├─closeAfter reached and flushed, close(), idle time-out──▶ CLOSING ──peer EOF or 2 s──▶ CLOSED
 *  │        (output shut down: the peer sees EOF; input drained and recorded, so no RST)
 *  └─resetAfter reached and flushed, reset(), I/O error──▶ SO_LINGER 0, close ──▶ CLOSED
 * </pre>
 * Server shutdown closes the channel from any state.
 *
 * <h2>Echo path</h2>
 * With plain echo and nothing pending, the bytes read go straight back from the loop's shared
 * read buffer; only the remainder of a short write is copied into the {@link OutboundBuffer}
 * and OP_WRITE is set until it is flushed. Under any other behaviour every chunk read is
 * queued with its release time from the {@link Pacer}; the connection writes what is due,
 * within the bandwidth allowance, and schedules a deadline for the rest. With a chunk size,
 * each write is at most that many bytes and the next one follows {@link Pacer#CHUNK_GAP_NANOS} (1 ms)
 * later, so that even a fast reader sees short reads (which also caps the rate at
 * {@code chunkSize} bytes per millisecond).
 *
 * <h2>Backpressure</h2>
 * Above {@link OutboundBuffer#HIGH_WATERMARK} pending bytes (delayed ones included) the
 * connection stops reading; below {@link OutboundBuffer#LOW_WATERMARK} it reads again. At most
 * 16 reads and 16 writes per wake-up; writes are handled before reads.
 *
 * <h2>Interest ops</h2>
 * Derived from the state by {@link #updateInterest()}, called at the end of every event and
 * timer callback and nowhere else:
 * <ul>
 *   <li>OP_READ in CLOSING (draining until EOF), and in OPEN unless {@code backpressured}
 *       (between the watermarks, as it was) or a reset is pending ({@code resetAfter} reached:
 *       the rest stays unread, so that a UNIX peer sees a reset too). Never in INPUT_SHUTDOWN.</li>
 *   <li>OP_WRITE while bytes are pending and the last flush stopped because the socket took
 *       less than offered or the write budget ran out ({@code awaitingWritable}); not while
 *       pacing holds the head back, which waits on a deadline instead.</li>
 * </ul>
 *
 * <h2>Plain or TLS</h2>
 * Every read and write goes through a {@link StreamIo} ({@link PlainStream}, or a
 * {@link TlsLink} for {@link Transport#TLS}), so that everything above works on plaintext;
 * {@link #updateInterest()} lets the stream add what it needs (TLS: OP_WRITE while a record
 * waits, OP_READ during the handshake) and wake the connection for plaintext it already holds.
 *
 * <p>Owned by the loop thread: every method runs there.
 *
 * <p>How this part fits with the others, and a byte's path through them: {@code docs/DESIGN.md}.
 */
public final class StreamConnection implements EventLoop.Handler, ConnectionView.Actions, OutboundBuffer.Sink {

    enum State { OPEN, INPUT_SHUTDOWN, CLOSING, CLOSED }

    private enum Ending { NONE, CLOSE, RESET }

    private static final LazyLogger LOG = new LazyLogger(StreamConnection.class);
    private static final int MAX_READS_PER_WAKEUP = 16;
    private static final int MAX_WRITES_PER_WAKEUP = 16;
    private static final long DRAIN_NANOS = 2_000_000_000L;

    private final ServerContext context;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final ConnectionView view;
    private OutboundBuffer outbound; // made on the first byte that cannot go out at once: an idle connection holds none
    private Pacer pacer; // made on the first paced chunk
    private StreamFaults faults; // made on the first chunk under a behaviour with faults
    private SelectionKey key;
    private State state = State.OPEN;
    private Ending ending = Ending.NONE;
    private boolean backpressured; // above the high watermark, until below the low one
    private boolean awaitingWritable; // the last flush left bytes the socket did not take
    private int interestOps;
    private long echoBudgetUsed;
    private long lastActivity;
    private Deadlines.Deadline timer; // OPEN, INPUT_SHUTDOWN: the next paced flush; CLOSING: the end of the drain
    private Deadlines.Deadline idleTimer;
    private final StreamIo io; // plain or TLS: everything here works on plaintext
    private ConnectionPlan plan; // chosen once at accept; null when no fault plan picked this connection
    private Deadlines.Deadline planTimer; // the plan's next time step
    private long planStartNanos; // when the plan began: its time steps count from here
    private final ScriptRun script; // null: echo
    private final Replies replies;

    private StreamConnection(ServerContext context, EventLoop loop, SocketChannel channel, SocketAddress remote) {
        this.context = context;
        this.loop = loop;
        this.channel = channel;
        ServerTls tls = context.tls(); // the one place a server connection asks whether it is TLS
        // the view last: nothing after it may fail; a TLS view shows its handshake STARTED from the first moment
        TlsHandshake handshake = tls == null ? null : TlsApiAccess.bridge().started();
        this.view = context.faultPlan().isEmpty() ? context.registry().open(remote, loop, this, handshake)
                : context.registry().open(remote, loop, this, handshake, this::choosePlan);
        this.io = tls == null ? new PlainStream(channel)
                : TlsLink.open(tls, loop, channel, view, this::readBuffered, this::nothingPending);
        this.script = context.script() == null ? null : new ScriptRun(context.script());
        this.replies = script == null ? null : new Replies();
    }

    /** Registers a freshly accepted channel and applies {@code closeAfter(0)} / {@code resetAfter(0)}. */
    public static StreamConnection open(ServerContext context, EventLoop loop, SocketChannel channel) throws IOException {
        SocketAddress remote = remoteAddressOf(channel);
        StreamConnection connection = new StreamConnection(context, loop, channel, remote);
        connection.interestOps = SelectionKey.OP_READ;
        try {
            connection.key = loop.register(channel, connection.interestOps, connection);
        } catch (IOException | RuntimeException e) {
            connection.closeNow(false);
            throw e;
        }
        if (LOG.get().isDebugEnabled()) { // describing the peer costs more garbage than the connection's own objects
            LOG.get().debug("accepted {} on {}", SocketUris.describePeer(remote), loop.name());
        }
        connection.start();
        return connection;
    }

    private void start() {
        long idleTimeoutNanos = idleTimeoutNanos();
        if (idleTimeoutNanos > 0) {
            lastActivity = System.nanoTime();
            idleTimer = loop.schedule(lastActivity + idleTimeoutNanos, this::checkIdle);
        }
        io.start(); // a TLS handshake delay holds the input
        EchoBehavior behavior = context.behavior();
        if (plan != null) {
            behavior = plan.behavior();
            planStartNanos = System.nanoTime();
            scheduleTimeStep();
        }
        if (behavior.resetAfter() == 0) {
            notePlanEnding("reset at accept");
            closeNow(true);
        } else if (behavior.closeAfter() == 0) {
            notePlanEnding("closed at accept");
            endGracefully();
        } else if (script != null) {
            Reply greeting = script.greeting();
            if (greeting != null) {
                replies.answer(ByteBuffer.allocate(0), new byte[0], greeting, null);
                flushFromTimer();
            }
        }
        updateInterest();
    }

    /** Chooses this connection's plan as the registry lists it; returns the record's first entry. */
    private String choosePlan(int index) {
        plan = ConnectionPlan.of(context.faultPlan(), context.config().seed(), index);
        return plan == null ? null : plan.behavior() + " (" + plan.label() + ")";
    }

    private long idleTimeoutNanos() {
        return context.config().idleTimeoutNanos();
    }

    /** The outbound buffer, made on first use. */
    private OutboundBuffer outbound() {
        if (outbound == null) {
            outbound = new OutboundBuffer();
        }
        return outbound;
    }

    private boolean nothingPending() {
        return outbound == null || outbound.isEmpty();
    }

    @Override
    public void ready(SelectionKey readyKey) {
        int ready = readyKey.readyOps();
        try {
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                io.flush();
                flush();
            }
            if ((ready & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
                read();
            }
        } catch (IOException e) {
            ioFailed(e);
        } catch (RuntimeException e) {
            LOG.get().warn("{}: closing after an unexpected error", view, e);
            closeNow(false);
        }
        updateInterest();
    }

    private void read() throws IOException {
        ByteBuffer buffer = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_WAKEUP && wantsToRead(); i++) {
            buffer.clear();
            int n = io.read(buffer);
            if (io.bytesArrived() && idleTimeoutNanos() > 0) { // a TLS handshake's bytes count too
                lastActivity = System.nanoTime();
            }
            if (n < 0) {
                onEndOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            view.received(buffer);
            if (state == State.CLOSING || ending != Ending.NONE) {
                continue; // draining: recorded, not echoed
            }
            if (plan != null) {
                enqueuePlanned(buffer);
                continue;
            }
            EchoBehavior behavior = context.behavior();
            if (script != null) {
                script.feed(buffer, view, replies); // replies take the echo's path: queue() below
                flush();
            } else if (behavior.isPlainEcho() && nothingPending()) {
                echoDirectly(buffer, behavior);
            } else {
                enqueue(buffer, behavior);
            }
            if (n < buffer.capacity() && !io.hasBufferedInput()) {
                return; // the socket is most likely drained
            }
        }
    }

    /** The hot path: write straight back; queue only what the socket did not take. */
    private void echoDirectly(ByteBuffer buffer, EchoBehavior behavior) throws IOException {
        int written = io.write(buffer);
        view.sent(written);
        if (buffer.hasRemaining()) {
            outbound().add(buffer, OutboundBuffer.NOW, behavior);
            view.notePending(outbound.pending());
            awaitingWritable = true;
        }
    }

    /** Applies the behaviour to a chunk read: budget for close/reset-after, silence, release time. */
    private void enqueue(ByteBuffer buffer, EchoBehavior behavior) throws IOException {
        queue(buffer, behavior);
        flush();
    }

    private void queue(ByteBuffer buffer, EchoBehavior behavior) {
        long limit = Pacer.limitOf(behavior);
        int take = buffer.remaining();
        if (limit >= 0) {
            take = (int) Math.max(0, Math.min(take, limit - echoBudgetUsed));
            echoBudgetUsed += take;
        }
        if (!behavior.isSilent() && take > 0) {
            buffer.limit(buffer.position() + take);
            if (behavior.hasFaults()) {
                buffer = faults().apply(buffer, behavior, view.bytesSent() + (outbound == null ? 0 : outbound.pending()));
            }
            // a plain chunk may go as soon as the chunks ahead of it have gone (the queue keeps the order)
            long releaseAt = behavior.isPlainEcho() ? OutboundBuffer.NOW : pacer().releaseAt(behavior, System.nanoTime());
            outbound().add(buffer, releaseAt, behavior);
            view.notePending(outbound.pending());
        }
        if (limit >= 0 && echoBudgetUsed >= limit) {
            ending = limit == behavior.resetAfter() ? Ending.RESET : Ending.CLOSE; // a reset leaves the rest unread
        }
        if (faults != null && faults.closesNow() && ending == Ending.NONE) {
            ending = Ending.CLOSE; // randomDataThenClose
        }
    }

    /**
     * Scripted replies: each one is recorded, then queued like an echo of its bytes, so every
     * condition applies; a reply's close or reset waits until it is flushed.
     */
    private final class Replies implements ScriptRun.Sink {
        @Override
        public boolean answer(ByteBuffer frame, byte[] content, Reply reply, String failure) {
            byte[] bytes;
            if (reply.isEcho()) {
                bytes = new byte[frame.remaining()];
                frame.duplicate().get(bytes);
            } else {
                bytes = reply.bytes();
            }
            view.exchanged(new Exchange(content, bytes, reply.ending(), failure));
            if (failure != null) {
                LOG.get().warn("{}: scripted reply failed, resetting the connection: {}", view, failure);
            }
            if (bytes.length > 0) {
                queue(ByteBuffer.wrap(bytes), context.behavior());
            }
            if (ending == Ending.NONE && reply.ending() != Reply.Ending.NONE) {
                ending = reply.ending() == Reply.Ending.RESET ? Ending.RESET : Ending.CLOSE;
            }
            return ending == Ending.NONE && state == State.OPEN;
        }
    }

    /**
     * A chunk read under a plan: splits it exactly at the byte steps, each part under the
     * behaviour in force for it. After an ending is set the rest is recorded, not echoed.
     */
    private void enqueuePlanned(ByteBuffer buffer) throws IOException {
        long offset = view.bytesReceived() - buffer.remaining();
        int end = buffer.limit();
        while (buffer.position() < end && ending == Ending.NONE && state == State.OPEN) {
            Phases.Step step = plan.nextByteStep();
            long untilStep = step == null ? Long.MAX_VALUE : step.amount() - offset;
            int part = (int) Math.max(0, Math.min(untilStep, end - buffer.position()));
            int from = buffer.position();
            if (part > 0) {
                buffer.limit(from + part);
                enqueue(buffer, plan.behavior());
                buffer.limit(end).position(from + part);
                offset += part;
            }
            if (step != null && offset >= step.amount()) {
                switchTo(plan.takeByteStep());
            }
        }
        buffer.position(end);
    }

    private void scheduleTimeStep() {
        Phases.Step next = plan.nextTimeStep();
        if (next != null) {
            long at = planStartNanos + next.amount();
            planTimer = loop.schedule(at, this::timeStep);
        }
    }

    private void timeStep() {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        try {
            switchTo(plan.takeTimeStep());
        } catch (IOException e) {
            ioFailed(e);
        }
        if (state == State.CLOSED) {
            return; // the step ended it
        }
        scheduleTimeStep();
        updateInterest();
    }

    /** Applies a plan's step: its close/reset-after counts from now; a limit of 0 ends the connection once the queue is out. */
    private void switchTo(Phases.Step step) throws IOException {
        EchoBehavior next = step.behavior();
        view.fault(step.describe() + ": " + next + " (" + plan.label() + ")");
        echoBudgetUsed = 0;
        long limit = Pacer.limitOf(next);
        if (limit == 0 && ending == Ending.NONE) {
            ending = limit == next.resetAfter() ? Ending.RESET : Ending.CLOSE;
            flush();
        }
    }

    /** Records how a planned connection ended. */
    private void notePlanEnding(String what) {
        if (plan != null) {
            view.fault(what + " (" + plan.label() + ")");
        }
    }

    /** The connection's faults, made on the first chunk read under a behaviour with faults. */
    private StreamFaults faults() {
        if (faults == null) {
            faults = new StreamFaults(context.config().seed(), view.index(), view::fault);
        }
        return faults;
    }

    /** Holds a graceful close back until the behaviour's {@code slowClose} after the first try: whether it waits now. */
    private boolean delayedBySlowClose() {
        EchoBehavior behavior = context.behavior();
        if (!behavior.hasFaults() && faults == null) {
            return false;
        }
        long now = System.nanoTime();
        long closeAt = faults().closeAt(behavior, now, Durations.format(behavior.slowClose()));
        if (closeAt == 0 || now - closeAt >= 0) {
            return false;
        }
        scheduleFlush(closeAt); // the flush finds nothing to send and closes
        return true;
    }

    private Pacer pacer() {
        if (pacer == null) {
            pacer = new Pacer(context.config().seed(), view.index());
        }
        return pacer;
    }

    /**
     * Writes what is due, within the bandwidth and chunk size; then finishes a pending ending.
     * Sets {@code awaitingWritable} if the socket or the budget stopped it.
     */
    private void flush() throws IOException {
        awaitingWritable = false;
        int outcome = outbound == null ? OutboundBuffer.DRAINED : outbound.writeDue(pacer, this, MAX_WRITES_PER_WAKEUP);
        if (outcome == OutboundBuffer.DRAINED) {
            afterFlushed();
        } else if (outcome == OutboundBuffer.PACED) {
            scheduleFlush(pacer.retryAt());
        } else {
            awaitingWritable = true; // a short write or the budget spent: wait for the socket, or come back next turn
        }
    }

    @Override
    public int writeOut(ByteBuffer data) throws IOException {
        return io.write(data);
    }

    @Override
    public void wroteOut(int bytes) {
        view.sent(bytes);
        if (idleTimeoutNanos() > 0) {
            lastActivity = System.nanoTime();
        }
    }

    private void afterFlushed() throws IOException {
        if (io.hasPendingOutput()) {
            return; // the last record is still on its way: OP_WRITE comes back here
        }
        if (ending == Ending.RESET) {
            notePlanEnding("reset after " + view.bytesSent() + " bytes echoed");
            closeNow(true);
        } else if (ending == Ending.CLOSE && state == State.OPEN) {
            notePlanEnding("closed after " + view.bytesSent() + " bytes echoed");
            if (!delayedBySlowClose()) {
                endGracefully();
            }
        } else if (state == State.INPUT_SHUTDOWN) {
            if (!delayedBySlowClose()) {
                closeNow(false); // the input is at EOF, so close() sends the FIN that shutdownOutput would
            }
        }
    }

    private void scheduleFlush(long at) {
        if (timer != null && !timer.isDone()) {
            if (timer.deadlineNanos - at <= 0) {
                return;
            }
            timer.cancel();
        }
        timer = loop.schedule(at, this::flushFromTimer);
    }

    private void flushFromTimer() {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        try {
            flush();
        } catch (IOException e) {
            ioFailed(e);
        }
        updateInterest();
    }

    /**
     * Whether the state asks for reading (see "Interest ops"); applies the watermarks'
     * hysteresis to {@code backpressured} on the way.
     */
    private boolean wantsToRead() {
        if (state == State.CLOSING) {
            return true;
        }
        if (state != State.OPEN || ending == Ending.RESET) {
            return false;
        }
        if (backpressured ? outbound == null || outbound.belowLowWatermark() : outbound != null && outbound.aboveHighWatermark()) {
            backpressured = !backpressured;
        }
        return !backpressured;
    }

    @Override
    public ConnectionView.PeerClose peerClose() {
        if (state == State.CLOSED || state == State.INPUT_SHUTDOWN) {
            return ConnectionView.PeerClose.SEEN;
        }
        return (interestOps & SelectionKey.OP_READ) != 0 ? ConnectionView.PeerClose.NOT_SEEN : ConnectionView.PeerClose.UNKNOWN;
    }

    /** Sets the interest ops the state asks for; the end of every event and timer callback. */
    private void updateInterest() {
        if (state == State.CLOSED || !key.isValid()) {
            return;
        }
        int ops = (wantsToRead() ? SelectionKey.OP_READ : 0)
                | (awaitingWritable && !nothingPending() ? SelectionKey.OP_WRITE : 0);
        ops = io.interestOps(ops);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /** Reads what the stream holds decrypted or buffered (the selector would not report it). */
    private void readBuffered() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (wantsToRead()) {
                read();
            }
        } catch (IOException e) {
            ioFailed(e);
        }
        updateInterest();
    }

    /**
     * A read or write failed: the peer reset the connection, or it broke (a TLS failure is the
     * server's own end, not the peer's). Closes it.
     */
    private void ioFailed(IOException e) {
        LOG.get().debug("{}: {}", view, e.toString());
        if (!(e instanceof javax.net.ssl.SSLException)) {
            view.peerEnded(ConnectionClose.Kind.RESET);
        }
        closeNow(false);
    }

    private void onEndOfInput() throws IOException {
        LOG.get().debug("{}: peer shut down its output", view);
        view.peerEnded(ConnectionClose.Kind.ORDERLY);
        if (state == State.CLOSING) {
            closeNow(false);
            return;
        }
        state = State.INPUT_SHUTDOWN;
        if (nothingPending()) {
            afterFlushed();
        }
    }

    @Override
    public void closeGracefully() {
        endGracefully();
        updateInterest();
    }

    /** Graceful close: drop what is pending, send FIN, drain the input until EOF (bounded). */
    private void endGracefully() {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        boolean inputDone = state == State.INPUT_SHUTDOWN;
        view.serverEnded(ConnectionClose.Kind.ORDERLY);
        outbound = null;
        cancel(timer);
        shutdownOutputQuietly();
        if (inputDone) {
            closeNow(false);
            return;
        }
        state = State.CLOSING;
        timer = loop.schedule(System.nanoTime() + DRAIN_NANOS, () -> closeNow(false));
        LOG.get().debug("{}: output shut down, draining input", view);
    }

    /** Abortive close: SO_LINGER 0, then close; the peer sees a reset. */
    @Override
    public void reset() {
        closeNow(true);
    }

    private void checkIdle() {
        if (state == State.CLOSED) {
            return;
        }
        long now = System.nanoTime();
        long idleUntil = lastActivity + idleTimeoutNanos();
        if (idleUntil - now > 0) {
            idleTimer = loop.schedule(idleUntil, this::checkIdle);
        } else {
            LOG.get().debug("{}: idle for {}, closing", view, Durations.format(context.config().idleTimeout()));
            endGracefully();
        }
        updateInterest();
    }

    /** Closes the channel now (with SO_LINGER 0 for a reset) and marks the view closed. */
    void closeNow(boolean abortive) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        view.serverEnded(abortive ? ConnectionClose.Kind.RESET : ConnectionClose.Kind.ORDERLY);
        outbound = null;
        cancel(timer);
        cancel(idleTimer);
        cancel(planTimer);
        io.closing(abortive); // TLS: close_notify unless abortive; a handshake cut short is recorded as failed
        if (abortive) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | UnsupportedOperationException e) {
                // UNIX sockets have no SO_LINGER: a close with unread input resets the peer anyway
            }
        }
        if (key != null) {
            key.cancel();
        }
        EventLoop.closeQuietly(channel);
        view.markClosed();
        LOG.get().debug("{}: {}", view, abortive ? "reset" : "closed");
    }

    @Override
    public void loopClosing() {
        closeNow(false);
    }

    private void shutdownOutputQuietly() {
        io.closeOutbound();
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            LOG.get().debug("{}: shutdownOutput failed: {}", view, e.toString());
        }
    }

    private static void cancel(Deadlines.Deadline deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    private static SocketAddress remoteAddressOf(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "StreamConnection[" + view + ", " + state + "]";
    }
}
