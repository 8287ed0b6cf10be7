package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.internal.loop.Deadlines;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.stream.StreamIo;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.Plural;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;


/**
 * The state one {@link EchoClient} shares between its transports, driven by an
 * {@link EventLoop}: the connect, the {@link PendingSends} FIFO with its time-out, and the one
 * way the client ends. {@link StreamSession} (TCP, UNIX) and {@link DatagramSession} (UDP) add
 * the channel. {@code EchoClient} is a facade over its methods.
 *
 * <p>Loops: a client of {@link EchoClient#connect(java.net.URI)} has a loop of its own, which
 * the session starts and closes when it ends. A client of {@link EmbeddedEchoServer#newClient()}
 * borrows the server's loop (no thread of its own): when it ends it only cancels its deadlines
 * and closes its channel, and when the server's loop shuts down first the client ends as if the
 * server had closed the connection (an end of stream).
 *
 * <p>Life cycle: CONNECTING until the connect completes, then OPEN, then ENDED. Every way to
 * end (the connect fails or times out, end of stream, reset, unexpected bytes, a send times
 * out, {@code close()}, the loop shuts down) calls {@link #end}, the only writer of
 * {@code failure}: it fails the connect if it was still waiting, every outstanding and queued
 * send, and every later one; cancels the deadlines; and releases the channel (or the client's
 * own loop). A failure is never cleared.
 *
 * <p>Threads: the callers of {@link #connect}, {@link #send} and {@link #close} hand their work
 * to the loop with {@link EventLoop#execute(Runnable, Runnable)}, whose promise (the task runs,
 * or its rejection callback does) lets them wait without polling: {@code connect} for the
 * {@code connected} future, {@code close} for the {@code ended} latch. A rejected connect ends
 * the session on the rejecting thread (the session is then registered nowhere, so nothing else
 * touches it); a rejected send fails only its own submissions; a rejected close does nothing,
 * because the loop's shutdown ends the session ({@link #loopClosing()}). {@link #isOpen()},
 * {@link #localAddress()} and {@link #toString()} read volatiles. Everything else runs on the
 * loop thread.
 *
 * <p>Two shortcuts spare the caller a round trip to the loop (each a thread wake-up there and
 * back, which costs more than the socket calls on a loopback connection):
 * <ul>
 *   <li>Connect: a transport may connect on the caller's thread ({@link #connectHere()}: on
 *       loopback a non-blocking connect has finished when it returns). The connected channel
 *       is then handed to the loop to be registered ({@link #adopt}), and {@code connect}
 *       returns without waiting for it; sends queued meanwhile run after the registration,
 *       since the loop runs its tasks in order. If the connect is still in progress, the loop
 *       finishes it under the time-out, as without the shortcut.</li>
 *   <li>Close of a client on a borrowed loop with no send outstanding ({@link PendingSends#allSettled()}):
 *       the transport closes its channel on the caller's thread ({@link #closeHere()}), so the
 *       peer sees the end of stream before {@code close()} returns (the client, not the server,
 *       is the active closer, as when the loop closes it), and the end is handed to the loop
 *       without waiting. With sends outstanding, {@code close} waits for the loop as
 *       before, so that they have failed when it returns. A send racing the close fails as
 *       closed: {@link #send} and {@link #takeSubmitted()} look at {@code closeCalled} first.</li>
 * </ul>
 *
 * <p>Time-outs are one deadline on the loop at a time, for the head of the FIFO (every send has
 * the same time-out, so the head's deadline is the earliest). When it fires and the head has
 * changed meanwhile, it is simply set again for the new head; nothing is cancelled per send.
 */
public abstract class ClientSession implements EventLoop.Handler {

    private static final LazyLogger LOG = new LazyLogger(ClientSession.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int READ_BUDGET = 16;
    /** Beyond the time-out, how long {@code connect} waits for a loop that does not answer at all. */
    private static final long STUCK_LOOP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long {@code close} waits for a borrowed loop to end the session, and for the completions. */
    private static final long CLOSE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A send handed over by a caller's thread, not yet taken by the loop. */
    private record Submission(PendingSends.Send send, ByteBuffer payload) {
    }

    /** The server's URI as text, for messages and logs. */
    final String serverUri;
    final SocketAddress remote;
    final PendingSends pending;
    private final Completer completer = new Completer();
    private final long timeoutNanos;
    private final String timeoutText;
    private final CompletableFuture<SocketAddress> connected = new CompletableFuture<>();
    private final Queue<Submission> submitted = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private EventLoop loop; // set by connect(), before any task is handed to it
    private boolean ownLoop;
    /** The channel's key, set by the transport's {@link #open} once registered. Loop thread. */
    SelectionKey key;
    private boolean writeInterest;
    private Deadlines.Deadline connectDeadline; // loop thread
    private Deadlines.Deadline headTimer; // loop thread; null when not armed
    private volatile ClientFailure failure; // written by end() only
    private volatile SocketAddress localAddress;

    ClientSession(String serverUri, SocketAddress remote, long timeoutNanos, String timeoutText) {
        this.serverUri = serverUri;
        this.remote = remote;
        this.timeoutNanos = timeoutNanos;
        this.timeoutText = timeoutText;
        this.pending = new PendingSends(completer);
    }

    // ---- the caller's threads (EchoClient)

    /**
     * Connects on {@code loop} and blocks until connected (the loop enforces the time-out).
     *
     * @param serverArrivals {@code null}: the loop is the client's own (started here, closed when
     *                the client ends); else the loop is borrowed from the server this connects to
     *                (already running, left running), and this counts the connections that server
     *                has taken off its listening socket ({@link ConnectionRegistry#arrivals()})
     * @throws UncheckedIOException naming the address if it cannot connect; the session is then closed
     */
    public void connect(EventLoop loop, java.util.function.LongSupplier serverArrivals) {
        boolean ownLoop = serverArrivals == null;
        this.loop = loop;
        this.ownLoop = ownLoop;
        long deadline = System.nanoTime() + timeoutNanos;
        long arrivalsBefore = ownLoop ? 0 : serverArrivals.getAsLong();
        boolean connectedHere;
        try {
            connectedHere = connectHere();
        } catch (IOException | RuntimeException e) {
            end(ClientFailure.connectFailed(serverUri, e)); // registered nowhere: ended on this thread
            connectedHere = false;
        }
        if (failure == null) {
            if (ownLoop) {
                loop.start();
            }
            if (connectedHere && !ownLoop) {
                // The connect made the server's listening socket ready: the loop wakes to accept
                // it and registers us on that turn, unless it has taken a connection off the socket
                // since (maybe ours) and may sleep now. The count is read after the task is queued,
                // and the loop counts before it runs its next tasks: one of the two sees the other.
                loop.executeWithoutWakeup(this::adopt, this::adoptRejected);
                if (serverArrivals.getAsLong() != arrivalsBefore) {
                    loop.wakeup();
                }
            } else if (connectedHere) {
                loop.execute(this::adopt, this::adoptRejected);
            } else {
                loop.execute(() -> startConnect(deadline),
                        () -> end(ClientFailure.connectFailed(serverUri, new IOException("the server is closed"))));
            }
        }
        try {
            connected.get(timeoutNanos + STUCK_LOOP_NANOS, TimeUnit.NANOSECONDS);
            LOG.get().debug("{}: connected from {}", serverUri, localAddress);
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            throw cause instanceof IOException io
                    ? new UncheckedIOException(io.getMessage(), io)
                    : new UncheckedIOException("cannot connect to " + serverUri, new IOException(cause));
        } catch (TimeoutException e) {
            close();
            throw new UncheckedIOException(new IOException("cannot connect to " + serverUri + ": no connection in time"));
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while connecting to " + serverUri));
        }
    }

    /**
     * Sends a payload (the caller's own copy) and completes with the echo; fails at once with
     * the client's failure once it ended. Never hangs: the send is taken by the loop, or failed
     * when the loop shuts down first.
     */
    public CompletableFuture<byte[]> send(byte[] payload) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        ClientFailure failed = failure;
        if (failed == null && closeCalled.get()) {
            failed = ClientFailure.closed(serverUri); // closed, and the loop has not ended the session yet
        }
        if (failed != null) {
            future.completeExceptionally(failed.forNewSend(payload.length));
        } else if (payload.length == 0) {
            future.complete(EMPTY);
        } else {
            submitted.add(new Submission(pending.reserve(payload.length, future, System.nanoTime() + timeoutNanos),
                    ByteBuffer.wrap(payload)));
            loop.execute(this::takeSubmitted, this::failSubmitted);
        }
        return future;
    }

    /**
     * Ends the client as {@code close()} asks: outstanding sends fail, and have done so when this
     * returns (bounded). A loop of the client's own is closed (bounded); on a borrowed loop the
     * end is handed to the loop, whose shutdown ends the session instead if it comes first.
     * Idempotent.
     */
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_BOUND_NANOS;
        try {
            if (ownLoop) {
                loop.close(); // its shutdown ends the session (loopClosing), bounded
            } else if (failure == null && pending.allSettled() && connectedOk() && closeHere()) {
                // nothing outstanding, so no need to wait; the server's side of the connection reading our
                // end of stream wakes the loop, which ends the session then
                loop.executeWithoutWakeup(() -> end(ClientFailure.closed(serverUri)), () -> { });
            } else {
                loop.execute(() -> end(ClientFailure.closed(serverUri)), () -> { });
                ended.await(CLOSE_BOUND_NANOS, TimeUnit.NANOSECONDS);
            }
            completer.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.get().debug("{}: closed", serverUri);
    }

    /** Until {@code close()} is called or the client ends otherwise. */
    public boolean isOpen() {
        return failure == null && !closeCalled.get();
    }

    public SocketAddress localAddress() {
        return localAddress;
    }

    public SocketAddress remoteAddress() {
        return remote;
    }

    private boolean connectedOk() {
        return connected.isDone() && !connected.isCompletedExceptionally();
    }

    // ---- the caller's thread: for the transports that can connect and close there

    /**
     * Connects on the caller's thread if the transport can, before the loop is involved.
     * Default: does nothing and returns {@code false}, so the loop connects ({@link #open}).
     *
     * @return {@code true} if connected (the transport called {@link #connectedAs}; the loop
     *         then registers the channel with {@link #registerConnected}); {@code false} if
     *         the loop is to finish the connect with {@link #open}
     * @throws IOException if the connect failed; the transport has released what it opened
     */
    boolean connectHere() throws IOException {
        return false;
    }

    /**
     * Closes the connected channel on the caller's thread, if the transport can (nothing
     * outstanding, see the class comment). Default: {@code false}, the loop closes it.
     *
     * @return whether the channel is closed
     */
    boolean closeHere() {
        return false;
    }

    // ---- loop thread: for the transports

    /** Opens the channel, starts connecting and registers it with {@code loop}. */
    abstract void open(EventLoop loop) throws IOException;

    /** The client ends and its channel is about to close: a transport's last words (TLS: close_notify). */
    void closing() {
    }

    /**
     * Registers a channel that {@link #connectHere()} connected. Only called on transports whose
     * {@code connectHere} can return {@code true}.
     */
    void registerConnected(EventLoop loop) throws IOException {
        throw new UnsupportedOperationException("no connect on the caller's thread for " + serverUri);
    }

    /** Cancels the channel's key and closes the channel, once {@link #open} registered it. */
    void closeChannel() {
        if (key != null) {
            key.cancel();
            EventLoop.closeQuietly(key.channel());
        }
    }

    /** Queues a payload for writing and writes what the socket takes now. */
    abstract void write(ByteBuffer payload);

    /**
     * Handles readiness: writes before reads, as the server does (writing frees memory first).
     * I/O errors are the transport's to map, anything else ends the client.
     */
    void handle(SelectionKey ready) throws IOException {
        if (ready.isWritable()) {
            flush();
        }
        if (!failed() && ready.isReadable()) {
            read();
        }
    }

    /** Writes what is queued, as far as the socket takes it. */
    abstract void flush() throws IOException;

    /**
     * Writes at once what was just queued, unless the socket is full and OP_WRITE will call
     * {@link #flush()} anyway. Netty's "write directly first".
     */
    final void flushUnlessWaitingForWrite() {
        if (!writeInterest) {
            try {
                flush();
            } catch (IOException e) {
                end(ioFailure(e));
            }
        }
    }

    /** Asks for OP_WRITE after a short write; drops it once everything is written. */
    final void writeInterest(boolean on) {
        if (on != writeInterest) {
            writeInterest = on;
            key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Reads what arrived and completes the sends it finishes. */
    abstract void read() throws IOException;

    /**
     * Reads what {@code io} has into the pending sends, at most {@value #READ_BUDGET} reads;
     * ends the client at the end of input or on bytes it never sent.
     *
     * @param buffer the loop's read buffer
     * @return whether the client goes on
     */
    final boolean readFrom(StreamIo io, ByteBuffer buffer) throws IOException {
        for (int i = 0; i < READ_BUDGET; i++) {
            buffer.clear();
            int n = io.read(buffer);
            if (n < 0) {
                end(ClientFailure.endOfStream(serverUri));
                return false;
            }
            if (n > 0) {
                buffer.flip();
                int unexpected = pending.accept(buffer);
                if (unexpected > 0) {
                    end(ClientFailure.unexpectedBytes(serverUri, unexpected));
                    return false;
                }
            }
            if (n < buffer.capacity() && !io.hasBufferedInput()) {
                break; // drained what was there
            }
        }
        return true;
    }

    /** Maps an I/O error of the open connection to a failure. */
    abstract ClientFailure ioFailure(IOException e);

    void connectedAs(SocketAddress local) {
        cancel(connectDeadline);
        localAddress = local;
        connected.complete(local);
    }

    boolean failed() {
        return failure != null;
    }

    /** Ends the client: every outstanding send fails with this, and so will every later one. */
    final void end(ClientFailure cause) {
        end(cause, null);
    }

    /**
     * The one way the client ends, and the only writer of {@code failure}; a no-op once it
     * ended. With {@code headTimeout}, first fails the head of the FIFO with a time-out. Loop
     * thread, or the thread that rejected the connect task (see the class comment).
     */
    private void end(ClientFailure cause, String headTimeout) {
        if (failure != null) {
            return;
        }
        if (closeCalled.get() && (cause.kind() == ClientFailure.Kind.RESET || cause.kind() == ClientFailure.Kind.EOF)) {
            // close() came first and may have closed the channel under a read, or the server
            // answered its end of stream: what the user did is the cause, not what it provoked
            cause = ClientFailure.closed(serverUri);
        }
        failure = cause; // before any future completes, so that isOpen() is false in their callbacks
        LOG.get().debug("{}: {} ({} outstanding)", serverUri, cause, Plural.of(pending.size(), "send"));
        if (!connected.isDone()) {
            connected.completeExceptionally(cause.forConnect());
        }
        if (headTimeout != null) {
            pending.timeOutHead(headTimeout);
        }
        pending.failAll(cause);
        failSubmitted();
        cancel(connectDeadline);
        cancel(headTimer);
        headTimer = null;
        closing();
        if (ownLoop) {
            loop.close(); // on the loop: it stops after this turn and closes the channel
        } else {
            closeChannel();
        }
        ended.countDown();
    }

    private static void cancel(Deadlines.Deadline deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    /** Registers the channel connected on the caller's thread. Loop thread. */
    private void adopt() {
        if (failure != null) {
            return;
        }
        try {
            registerConnected(loop);
        } catch (IOException e) { // closed meanwhile by close(), or broken already
            end(closeCalled.get() ? ClientFailure.closed(serverUri) : ioFailure(e));
        } catch (RuntimeException e) {
            if (closeCalled.get()) { // closed meanwhile by close() (EventLoop.register wraps that case too)
                end(ClientFailure.closed(serverUri));
                return;
            }
            LOG.get().error("{}: unexpected failure, the client is closed", serverUri, e);
            end(ClientFailure.other(serverUri, e));
        }
    }

    /** The loop shut down before it took the connected channel: its server is closed, an end of stream. */
    private void adoptRejected() {
        end(ownLoop ? ClientFailure.closed(serverUri) : ClientFailure.endOfStream(serverUri));
    }

    private void startConnect(long deadline) {
        connectDeadline = loop.schedule(deadline, this::connectTimedOut);
        try {
            open(loop);
        } catch (IOException | RuntimeException e) {
            end(ClientFailure.connectFailed(serverUri, e));
        }
    }

    private void connectTimedOut() {
        if (!connected.isDone()) {
            end(ClientFailure.connectFailed(serverUri,
                    new SocketTimeoutException("no connection within " + timeoutText + " (the connect time-out)")));
        }
    }

    private void takeSubmitted() {
        if (failure == null && closeCalled.get() && !ownLoop) {
            end(ClientFailure.closed(serverUri)); // close() ran on the caller's thread: its end task comes next
        }
        for (Submission s; (s = submitted.poll()) != null; ) {
            ClientFailure failed = failure;
            if (failed != null) {
                pending.settle(s.send(), failed.forNewSend(s.send().echoed.length));
                continue;
            }
            pending.add(s.send());
            write(s.payload());
        }
        armTimer();
    }

    /** Fails what was submitted and not taken yet. Any thread (a queue and the completer). */
    private void failSubmitted() {
        ClientFailure failed = failure;
        if (failed == null) { // a send rejected by a loop that has not ended this session yet
            failed = ownLoop ? ClientFailure.closed(serverUri) : ClientFailure.endOfStream(serverUri);
        }
        for (Submission s; (s = submitted.poll()) != null; ) {
            pending.settle(s.send(), failed.forNewSend(s.send().echoed.length));
        }
    }

    private void armTimer() {
        if (headTimer == null && failure == null && !pending.isEmpty()) {
            headTimer = loop.schedule(pending.headDeadline(), this::headTimerFired);
        }
    }

    private void headTimerFired() {
        headTimer = null;
        if (failure != null || pending.isEmpty()) {
            return;
        }
        if (pending.headDeadline() - System.nanoTime() > 0) {
            armTimer(); // the head it was set for completed; wait for the new head's deadline
            return;
        }
        end(ClientFailure.timedOut(serverUri, timeoutText), serverUri + ": no complete echo within " + timeoutText
                + " (the client's time-out, counted from the send); the client is closed");
    }

    // ---- EventLoop.Handler

    @Override
    public final void ready(SelectionKey key) {
        if (!key.isValid()) {
            return; // ended earlier in this turn
        }
        try {
            handle(key);
        } catch (IOException e) {
            end(connected.isDone() ? ioFailure(e) : ClientFailure.connectFailed(serverUri, e));
        } catch (CancelledKeyException e) {
            if (!closeCalled.get()) {
                LOG.get().error("{}: unexpected failure, the client is closed", serverUri, e);
            }
            // else close() closed the channel on its own thread while this turn looked at it
            end(ClientFailure.closed(serverUri));
        } catch (RuntimeException e) {
            LOG.get().error("{}: unexpected failure, the client is closed", serverUri, e);
            end(connected.isDone() ? ClientFailure.other(serverUri, e) : ClientFailure.connectFailed(serverUri, e));
        }
        armTimer();
    }

    /** The loop shuts down: a borrowed loop because its server closes, which to this client is an end of stream. */
    @Override
    public final void loopClosing() {
        end(ownLoop ? ClientFailure.closed(serverUri) : ClientFailure.endOfStream(serverUri));
    }

    /** For example {@code tcp://127.0.0.1:54321 from /127.0.0.1:40312, open, 2 sends outstanding}. */
    @Override
    public String toString() {
        ClientFailure failed = failure;
        String state = failed != null ? "closed: " + failed.description() : closeCalled.get() ? "closing" : "open";
        SocketAddress local = localAddress;
        boolean named = local != null
                && !(local instanceof UnixDomainSocketAddress unix && unix.getPath().toString().isEmpty());
        return serverUri + (named ? " from " + local : "") + ", " + state + ", "
                + Plural.of(pending.size() + submitted.size(), "send") + " outstanding";
    }
}
