package dev.echofixture;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Owned by the loop thread: every method runs there.
 */
final class StreamConnection implements EventLoop.Handler, ConnectionView.Actions {

    enum State { OPEN, INPUT_SHUTDOWN, CLOSING, CLOSED }

    private enum Ending { NONE, CLOSE, RESET }

    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);
    private static final int MAX_READS_PER_WAKEUP = 16;
    private static final int MAX_WRITES_PER_WAKEUP = 16;
    private static final long DRAIN_NANOS = 2_000_000_000L;

    private final ServerContext context;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final ConnectionView view;
    private final OutboundBuffer outbound = new OutboundBuffer();
    private final long idleTimeoutNanos;
    private Pacer pacer; // made on the first paced chunk
    private SelectionKey key;
    private State state = State.OPEN;
    private Ending ending = Ending.NONE;
    private boolean readingPaused;
    private int interestOps;
    private long echoBudgetUsed;
    private long lastActivity;
    private Deadlines.Deadline flushTimer;
    private Deadlines.Deadline idleTimer;
    private Deadlines.Deadline drainTimer;

    private StreamConnection(ServerContext context, EventLoop loop, SocketChannel channel, SocketAddress remote) {
        this.context = context;
        this.loop = loop;
        this.channel = channel;
        this.idleTimeoutNanos = context.config().idleTimeoutNanos();
        this.view = context.registry().open(remote, loop, this); // last: nothing after it may fail
    }

    /** Registers a freshly accepted channel and applies {@code closeAfter(0)} / {@code resetAfter(0)}. */
    static StreamConnection open(ServerContext context, EventLoop loop, SocketChannel channel) throws IOException {
        SocketAddress remote = remoteAddressOf(channel);
        StreamConnection connection = new StreamConnection(context, loop, channel, remote);
        connection.interestOps = SelectionKey.OP_READ;
        try {
            connection.key = loop.register(channel, SelectionKey.OP_READ, connection);
        } catch (IOException | RuntimeException e) {
            connection.closeNow(false);
            throw e;
        }
        LOG.debug("accepted {} on {}", Endpoints.describePeer(remote), loop.name());
        connection.start();
        return connection;
    }

    private void start() {
        if (idleTimeoutNanos > 0) {
            lastActivity = System.nanoTime();
            idleTimer = loop.schedule(lastActivity + idleTimeoutNanos, this::checkIdle);
        }
        EchoBehavior behavior = context.behavior();
        if (behavior.resetAfter() == 0) {
            reset();
        } else if (behavior.closeAfter() == 0) {
            closeGracefully();
        }
    }

    ConnectionView view() {
        return view;
    }

    State state() {
        return state;
    }

    /** Bytes read but not yet echoed (for tests of backpressure). */
    long pendingBytes() {
        return outbound.pending();
    }

    @Override
    public void ready(SelectionKey readyKey) {
        int ready = readyKey.readyOps();
        try {
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if ((ready & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
                read();
            }
        } catch (IOException e) {
            LOG.debug("{}: {}", view, e.toString());
            closeNow(false);
        } catch (RuntimeException e) {
            LOG.warn("{}: closing after an unexpected error", view, e);
            closeNow(false);
        }
    }

    private void read() throws IOException {
        ByteBuffer buffer = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_WAKEUP && state != State.CLOSED && !readingPaused; i++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                onEndOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            view.received(buffer);
            if (idleTimeoutNanos > 0) {
                lastActivity = System.nanoTime();
            }
            if (state == State.CLOSING || ending != Ending.NONE) {
                continue; // draining: recorded, not echoed
            }
            EchoBehavior behavior = context.behavior();
            if (behavior.isPlainEcho() && outbound.isEmpty()) {
                echoDirectly(buffer, behavior);
            } else {
                enqueue(buffer, behavior);
            }
            if (n < buffer.capacity()) {
                return; // the socket is most likely drained
            }
        }
    }

    /** The hot path: write straight back; queue only what the socket did not take. */
    private void echoDirectly(ByteBuffer buffer, EchoBehavior behavior) throws IOException {
        int written = channel.write(buffer);
        view.sent(written);
        if (buffer.hasRemaining()) {
            outbound.add(buffer, OutboundBuffer.NOW, behavior);
            view.notePending(outbound.pending());
            setInterest(interestOps | SelectionKey.OP_WRITE);
            updateReadInterest();
        }
    }

    /** Applies the behaviour to a chunk read: budget for close/reset-after, silence, release time. */
    private void enqueue(ByteBuffer buffer, EchoBehavior behavior) throws IOException {
        long limit = limitOf(behavior);
        int take = buffer.remaining();
        if (limit >= 0) {
            take = (int) Math.max(0, Math.min(take, limit - echoBudgetUsed));
            echoBudgetUsed += take;
        }
        if (!behavior.isSilent() && take > 0) {
            buffer.limit(buffer.position() + take);
            // a plain chunk may go as soon as the chunks ahead of it have gone (the queue keeps the order)
            long releaseAt = behavior.isPlainEcho() ? OutboundBuffer.NOW : pacer().releaseAt(behavior, System.nanoTime());
            outbound.add(buffer, releaseAt, behavior);
            view.notePending(outbound.pending());
        }
        if (limit >= 0 && echoBudgetUsed >= limit) {
            ending = limit == behavior.resetAfter() ? Ending.RESET : Ending.CLOSE;
            if (ending == Ending.RESET) {
                readingPaused = true; // leave the rest unread: a UNIX peer then sees a reset too
                setInterest(interestOps & ~SelectionKey.OP_READ);
            }
        }
        flush();
        updateReadInterest();
    }

    private static long limitOf(EchoBehavior behavior) {
        long close = behavior.closeAfter();
        long reset = behavior.resetAfter();
        if (close < 0) {
            return reset;
        }
        return reset < 0 ? close : Math.min(close, reset);
    }

    private Pacer pacer() {
        if (pacer == null) {
            pacer = new Pacer(context.config().seed(), view.index());
        }
        return pacer;
    }

    /** Writes what is due, within the bandwidth and chunk size; then finishes a pending ending. */
    private void flush() throws IOException {
        for (int i = 0; i < MAX_WRITES_PER_WAKEUP; i++) {
            OutboundBuffer.Chunk head = outbound.head();
            if (head == null) {
                break;
            }
            boolean paced = head.releaseAt != OutboundBuffer.NOW; // NOW: a plain echo's remainder
            long now = paced ? System.nanoTime() : 0;
            int allowed = paced ? pacer().writable(head, now) : head.data.remaining();
            if (allowed == 0) {
                scheduleFlush(pacer.retryAt());
                setInterest(interestOps & ~SelectionKey.OP_WRITE);
                updateReadInterest();
                return;
            }
            ByteBuffer data = head.data;
            int oldLimit = data.limit();
            data.limit(data.position() + allowed);
            int written = channel.write(data);
            data.limit(oldLimit);
            view.sent(written);
            if (paced) {
                pacer.wrote(head, written, now);
            }
            outbound.written(written);
            if (idleTimeoutNanos > 0) {
                lastActivity = System.nanoTime();
            }
            if (written < allowed) {
                setInterest(interestOps | SelectionKey.OP_WRITE); // short write: wait for the socket
                updateReadInterest();
                return;
            }
        }
        if (outbound.isEmpty()) {
            setInterest(interestOps & ~SelectionKey.OP_WRITE);
            updateReadInterest();
            afterFlushed();
        } else {
            setInterest(interestOps | SelectionKey.OP_WRITE); // more to write: come back next turn
            updateReadInterest();
        }
    }

    private void afterFlushed() throws IOException {
        if (ending == Ending.RESET) {
            reset();
        } else if (ending == Ending.CLOSE && state == State.OPEN) {
            closeGracefully();
        } else if (state == State.INPUT_SHUTDOWN) {
            closeNow(false); // the input is at EOF, so close() sends the FIN that shutdownOutput would
        }
    }

    private void scheduleFlush(long at) {
        if (flushTimer != null && !flushTimer.isDone()) {
            if (flushTimer.deadlineNanos - at <= 0) {
                return;
            }
            flushTimer.cancel();
        }
        flushTimer = loop.schedule(at, this::flushFromTimer);
    }

    private void flushFromTimer() {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        try {
            flush();
        } catch (IOException e) {
            LOG.debug("{}: {}", view, e.toString());
            closeNow(false);
        }
    }

    /** Stops or resumes reading at the watermarks. */
    private void updateReadInterest() {
        if (state == State.CLOSED || state == State.INPUT_SHUTDOWN || ending == Ending.RESET) {
            return;
        }
        if (!readingPaused && outbound.aboveHighWatermark()) {
            readingPaused = true;
            setInterest(interestOps & ~SelectionKey.OP_READ);
        } else if (readingPaused && outbound.belowLowWatermark()) {
            readingPaused = false;
            setInterest(interestOps | SelectionKey.OP_READ);
        }
    }

    private void onEndOfInput() throws IOException {
        LOG.debug("{}: peer shut down its output", view);
        if (state == State.CLOSING) {
            closeNow(false);
            return;
        }
        state = State.INPUT_SHUTDOWN;
        setInterest(interestOps & ~SelectionKey.OP_READ);
        if (outbound.isEmpty()) {
            afterFlushed();
        }
    }

    /** Graceful close: drop what is pending, send FIN, drain the input until EOF (bounded). */
    @Override
    public void closeGracefully() {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        boolean inputDone = state == State.INPUT_SHUTDOWN;
        outbound.clear();
        cancel(flushTimer);
        shutdownOutputQuietly();
        if (inputDone) {
            closeNow(false);
            return;
        }
        state = State.CLOSING;
        readingPaused = false;
        setInterest(SelectionKey.OP_READ);
        drainTimer = loop.schedule(System.nanoTime() + DRAIN_NANOS, () -> closeNow(false));
        LOG.debug("{}: output shut down, draining input", view);
    }

    /** Abortive close: SO_LINGER 0, then close; the peer sees a reset. */
    @Override
    public void reset() {
        if (state != State.CLOSED) {
            closeNow(true);
        }
    }

    private void checkIdle() {
        if (state == State.CLOSED) {
            return;
        }
        long now = System.nanoTime();
        long idleUntil = lastActivity + idleTimeoutNanos;
        if (idleUntil - now > 0) {
            idleTimer = loop.schedule(idleUntil, this::checkIdle);
        } else {
            LOG.debug("{}: idle for {}, closing", view, Durations.format(context.config().idleTimeout()));
            closeGracefully();
        }
    }

    /** Closes the channel now (with SO_LINGER 0 for a reset) and marks the view closed. */
    void closeNow(boolean abortive) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        outbound.clear();
        cancel(flushTimer);
        cancel(idleTimer);
        cancel(drainTimer);
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
        LOG.debug("{}: {}", view, abortive ? "reset" : "closed");
    }

    @Override
    public void loopClosing() {
        closeNow(false);
    }

    private void shutdownOutputQuietly() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            LOG.debug("{}: shutdownOutput failed: {}", view, e.toString());
        }
    }

    private void setInterest(int ops) {
        if (ops != interestOps && state != State.CLOSED && key != null && key.isValid()) {
            interestOps = ops;
            key.interestOps(ops);
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
