package dev.echofixture.internal.proxy;

import dev.echofixture.DialogueEntry;
import dev.echofixture.EchoBehavior;
import dev.echofixture.internal.conditions.OutboundBuffer;
import dev.echofixture.internal.conditions.Pacer;
import dev.echofixture.internal.loop.Deadlines;
import dev.echofixture.internal.loop.EventLoop;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One side of a {@link ProxyConnection}: a socket, what it reads (handed to the other side) and
 * the bytes waiting to be written to it, paced by the behaviour of that direction.
 *
 * <h2>Backpressure</h2>
 * A side reads only while the other side's pending bytes are below
 * {@link OutboundBuffer#HIGH_WATERMARK} (and, once above it, until they are below the low
 * watermark again): a slow reader on one side stops the proxy reading the other, whose writes
 * then fill the kernel's buffers and block it. Nothing is buffered without bound.
 *
 * <h2>Interest ops</h2>
 * Derived by {@link #updateInterest()}: OP_CONNECT while connecting; OP_READ while
 * {@link #isReading()}; OP_WRITE while bytes are pending and the last flush stopped short.
 *
 * <p>Owned by the loop thread.
 */
final class ProxyLeg implements EventLoop.Handler, OutboundBuffer.Sink {

    private enum Ending { NONE, CLOSE, RESET }

    private static final int MAX_READS_PER_WAKEUP = 16;
    private static final int MAX_WRITES_PER_WAKEUP = 16;

    private final ProxyConnection pair;
    private final SocketChannel channel;
    private final boolean client;
    private SelectionKey key;
    private boolean connected;
    private boolean inputEnded;
    private boolean outputShut;
    private boolean closedLeg;
    private boolean backpressured; // this side stopped reading: the other side's pending bytes are above the watermark
    private boolean awaitingWritable;
    private int interestOps;
    private OutboundBuffer outbound; // bytes to write to this side
    private Pacer pacer;
    private long budgetUsed;
    private Ending ending = Ending.NONE;
    private Deadlines.Deadline timer;

    ProxyLeg(ProxyConnection pair, SocketChannel channel, boolean client) {
        this.pair = pair;
        this.channel = channel;
        this.client = client;
        this.connected = client;
    }

    void register(int ops) throws IOException {
        interestOps = ops;
        key = pair.loop.register(channel, ops, this);
    }

    boolean isClient() {
        return client;
    }

    SocketChannel channel() {
        return channel;
    }

    boolean isConnected() {
        return connected;
    }

    boolean inputEnded() {
        return inputEnded;
    }

    boolean outputShut() {
        return outputShut;
    }

    void connected() {
        connected = true;
    }

    /** The other side: the one this side's bytes go to, and whose bytes come here. */
    private ProxyLeg other() {
        return client ? pair.upstream : pair.client;
    }

    @Override
    public void ready(SelectionKey readyKey) {
        if (pair.closed) {
            return;
        }
        int ready = readyKey.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            try {
                if (channel.finishConnect()) {
                    interestOps = 0;
                    key.interestOps(0);
                    pair.connected();
                }
            } catch (IOException e) {
                pair.connectFailed(e);
            }
            pair.updateInterest();
            return;
        }
        try {
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if ((ready & SelectionKey.OP_READ) != 0 && !pair.closed) {
                read();
            }
        } catch (IOException e) {
            pair.failed(this, e);
        }
        pair.updateInterest();
    }

    private void read() throws IOException {
        ByteBuffer buffer = pair.loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_WAKEUP && isReading(); i++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            pair.view.forwarded(client ? DialogueEntry.Direction.TO_UPSTREAM : DialogueEntry.Direction.TO_CLIENT, buffer);
            if (!pair.closing) {
                other().enqueue(buffer);
            }
            if (n < buffer.capacity() || pair.closed) {
                return; // the socket is most likely drained
            }
        }
    }

    private void endOfInput() throws IOException {
        inputEnded = true;
        if (client) {
            pair.view.peerEnded(dev.echofixture.ConnectionClose.Kind.ORDERLY);
        }
        ProxyLeg to = other();
        if (!pair.closing && to != null && to.connected && to.nothingPending()) {
            to.afterFlushed();
        }
        pair.maybeDone();
    }

    /** Queues bytes read from the other side to be written here, under this direction's behaviour. */
    private void enqueue(ByteBuffer buffer) throws IOException {
        if (ending != Ending.NONE) {
            return; // past closeAfter / resetAfter: the rest is dropped
        }
        EchoBehavior behavior = pair.behaviorTowards(this);
        long limit = Pacer.limitOf(behavior);
        int take = buffer.remaining();
        if (limit >= 0) {
            take = (int) Math.max(0, Math.min(take, limit - budgetUsed));
            budgetUsed += take;
        }
        if (!behavior.isSilent() && take > 0) {
            buffer.limit(buffer.position() + take);
            if (behavior.isPlainEcho() && connected && nothingPending()) {
                int written = channel.write(buffer);
                wrote(written);
                if (buffer.hasRemaining()) {
                    outbound().add(buffer, OutboundBuffer.NOW, behavior);
                    notePending();
                    awaitingWritable = true;
                }
            } else {
                long releaseAt = behavior.isPlainEcho() ? OutboundBuffer.NOW : pacer().releaseAt(behavior, System.nanoTime());
                outbound().add(buffer, releaseAt, behavior);
                notePending();
            }
        }
        if (limit >= 0 && budgetUsed >= limit) {
            ending = limit == behavior.resetAfter() ? Ending.RESET : Ending.CLOSE;
        }
        flush();
    }

    private OutboundBuffer outbound() {
        if (outbound == null) {
            outbound = new OutboundBuffer();
        }
        return outbound;
    }

    private Pacer pacer() {
        if (pacer == null) {
            pacer = new Pacer(pair.seed, pair.view.index() * 2 + (client ? 0 : 1));
        }
        return pacer;
    }

    boolean nothingPending() {
        return outbound == null || outbound.isEmpty();
    }

    private void wrote(int bytes) {
        if (client) {
            pair.view.sent(bytes);
        }
    }

    private void notePending() {
        if (client) {
            pair.view.notePending(outbound.pending());
        }
    }

    /** Writes what is due, within the bandwidth and chunk size; then finishes what ends after it. */
    void flush() throws IOException {
        awaitingWritable = false;
        if (!connected || pair.closed) {
            return;
        }
        int outcome = outbound == null ? OutboundBuffer.DRAINED : outbound.writeDue(pacer, this, MAX_WRITES_PER_WAKEUP);
        if (outcome == OutboundBuffer.DRAINED) {
            afterFlushed();
        } else if (outcome == OutboundBuffer.PACED) {
            scheduleFlush(pacer.retryAt());
        } else {
            awaitingWritable = true;
        }
    }

    @Override
    public int writeOut(ByteBuffer data) throws IOException {
        return channel.write(data);
    }

    @Override
    public void wroteOut(int bytes) {
        wrote(bytes);
    }

    /** Everything queued here is written: finish a pending ending, or pass the other side's end of stream on. */
    void afterFlushed() {
        if (ending == Ending.RESET) {
            pair.closeAll(true);
        } else if (ending == Ending.CLOSE) {
            pair.closeGracefully();
        } else {
            ProxyLeg from = other();
            if (from != null && from.inputEnded && !outputShut) {
                shutOutput();
                pair.maybeDone();
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
        timer = pair.loop.schedule(at, this::flushFromTimer);
    }

    private void flushFromTimer() {
        if (pair.closed || pair.closing) {
            return;
        }
        try {
            flush();
        } catch (IOException e) {
            pair.failed(this, e);
        }
        pair.updateInterest();
    }

    /** Whether this side reads now (see "Backpressure"). */
    boolean isReading() {
        if (pair.closed || inputEnded || !connected || closedLeg) {
            return false;
        }
        if (pair.closing) {
            return true; // draining until the end of stream
        }
        ProxyLeg to = other();
        if (to == null || to.ending != Ending.NONE) {
            return false; // no upstream yet, or a close or reset pending: the rest stays unread
        }
        OutboundBuffer pending = to.outbound;
        if (backpressured ? pending == null || pending.belowLowWatermark() : pending != null && pending.aboveHighWatermark()) {
            backpressured = !backpressured;
        }
        return !backpressured;
    }

    void updateInterest() {
        if (closedLeg || key == null || !key.isValid()) {
            return;
        }
        int ops;
        if (!connected) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            ops = (isReading() ? SelectionKey.OP_READ : 0)
                    | (awaitingWritable && !nothingPending() ? SelectionKey.OP_WRITE : 0);
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /** Shuts this side's output down (the peer sees an end of stream); drops what was pending. */
    void shutOutput() {
        if (outputShut || closedLeg) {
            return;
        }
        outputShut = true;
        if (pair.closing) {
            outbound = null;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // already broken: the read side will see it
        }
    }

    /** Marks the leg closed without touching its socket (a failed connect closes it itself). */
    void markClosed() {
        closedLeg = true;
        if (timer != null) {
            timer.cancel();
        }
        if (key != null) {
            key.cancel();
        }
    }

    void close(boolean abortive) {
        if (closedLeg) {
            return;
        }
        markClosed();
        outbound = null;
        if (abortive) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | UnsupportedOperationException e) {
                // UNIX sockets have no SO_LINGER
            }
        }
        EventLoop.closeQuietly(channel);
    }

    @Override
    public void loopClosing() {
        pair.closeAll(false);
    }

    @Override
    public String toString() {
        return "ProxyLeg[" + (client ? "client" : "upstream") + ", " + pair.view + "]";
    }
}
