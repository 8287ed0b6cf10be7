package dev.echofixture;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one {@link EchoClient} shares between its transports, driven by an
 * {@link EventLoop}: the connect, the {@link PendingSends} FIFO with its time-out, and the
 * failure that ends the client. {@link StreamSession} (TCP, UNIX) and {@link DatagramSession}
 * (UDP) add the channel.
 *
 * <p>Loops: a client of {@link EchoClient#connect(java.net.URI)} has a loop of its own, which
 * the session starts and closes when it ends. A client of {@link EmbeddedEchoServer#newClient()}
 * borrows the server's loop (no thread of its own): when it ends it only cancels its deadlines
 * and closes its channel, and when the server's loop shuts down first the client ends as if the
 * server had closed the connection (an end of stream).
 *
 * <p>Threads: callers of {@code send} only use {@link #submit} (a lock-free hand-over queue
 * plus {@link EventLoop#execute}); {@link #failure()}, {@link #localAddress()} and
 * {@link #outstanding()} are volatile reads. Everything else runs on the loop thread.
 *
 * <p>Life cycle: CONNECTING until the connect completes, then OPEN, then FAILED: a
 * {@link ClientFailure} is set (end of stream, reset, time-out, {@code close()}, ...), every
 * outstanding and later send fails with it, and the loop is closed. A failure is never cleared.
 *
 * <p>Time-outs are one deadline on the loop at a time, for the head of the FIFO (every send has
 * the same time-out, so the head's deadline is the earliest). When it fires and the head has
 * changed meanwhile, it is simply set again for the new head; nothing is cancelled per send.
 */
abstract class ClientSession implements EventLoop.Handler {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** A send handed over by a caller's thread, not yet taken by the loop. */
    private record Submission(PendingSends.Send send, ByteBuffer payload) {
    }

    final String endpoint;
    final SocketAddress remote;
    final Completer completer;
    final PendingSends pending;
    private final long timeoutNanos;
    private final String timeoutText;
    private final CompletableFuture<SocketAddress> connected = new CompletableFuture<>();
    private final Queue<Submission> submitted = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    /** How often {@link #close(Duration)} checks whether a borrowed loop ended under it. */
    private static final long CLOSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private EventLoop loop;
    /** The channel's key, set by the transport's {@link #open} once registered. Loop thread. */
    SelectionKey key;
    private boolean writeInterest;
    private boolean ownLoop;
    private Deadlines.Deadline connectDeadline; // loop thread
    private Deadlines.Deadline headTimer; // loop thread; null when not armed
    private volatile ClientFailure failure;
    private volatile SocketAddress localAddress;

    ClientSession(String endpoint, SocketAddress remote, long timeoutNanos, String timeoutText) {
        this.endpoint = endpoint;
        this.remote = remote;
        this.timeoutNanos = timeoutNanos;
        this.timeoutText = timeoutText;
        this.completer = new Completer();
        this.pending = new PendingSends(completer);
    }

    // ---- any thread

    ClientFailure failure() {
        return failure;
    }

    SocketAddress localAddress() {
        return localAddress;
    }

    int outstanding() {
        return pending.size() + submitted.size();
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Whether the loop this client runs on is shutting down (any thread). */
    boolean loopShutDown() {
        return loop != null && loop.isClosing();
    }

    /** Completes with the local address once connected, or with the connect failure. Never a user's future. */
    CompletableFuture<SocketAddress> connected() {
        return connected;
    }

    /**
     * Starts the client on {@code loop}: opens the channel and connects, with the time-out.
     *
     * @param ownLoop whether the loop is the client's own (started here, closed when the client
     *                ends) or borrowed from a server (already running, left running)
     */
    void start(EventLoop loop, boolean ownLoop) {
        this.loop = loop;
        this.ownLoop = ownLoop;
        long deadline = System.nanoTime() + timeoutNanos;
        if (ownLoop) {
            loop.start();
        }
        boolean accepted = loop.execute(() -> {
            connectDeadline = loop.schedule(deadline, this::connectTimedOut);
            try {
                open(loop);
            } catch (IOException | RuntimeException e) {
                failConnect(e);
            }
        });
        if (!accepted) { // a borrowed loop that is shutting down: its server is closing
            IOException e = new IOException("cannot connect to " + endpoint + ": the server is closed");
            failure = ClientFailure.other(endpoint, e);
            connected.completeExceptionally(e);
            ended.countDown();
        }
    }

    /**
     * Ends the client as {@code close()} asked: outstanding sends fail. With its own loop it
     * closes the loop (bounded); on a borrowed loop it hands the close to the loop and waits for
     * it, at most {@code bound}. Any thread but the loop's own, which runs it at once.
     */
    void close(Duration bound) throws InterruptedException {
        if (ownLoop) {
            loop.close(); // the loop fails what is outstanding on its way out (loopClosing) and ends, bounded
            return;
        }
        // refused or dropped: the loop is shutting down; its loopClosing() ends a registered
        // session, and one whose connect never ran is ended here once the loop has gone
        loop.execute(this::closedByUser);
        long deadline = System.nanoTime() + bound.toNanos();
        while (!ended.await(CLOSE_POLL_NANOS, TimeUnit.NANOSECONDS)) {
            if (loop.hasEnded()) {
                endAfterLoop();
                return;
            }
            if (deadline - System.nanoTime() <= 0) {
                return;
            }
        }
    }

    /** Ends a session whose borrowed loop ended without ending it (its connect never ran). Caller's thread, loop gone. */
    private void endAfterLoop() {
        if (!connected.isDone()) {
            IOException e = new IOException("cannot connect to " + endpoint + ": the server is closed");
            connected.completeExceptionally(e);
        }
        if (failure == null) {
            failure = ClientFailure.closed(endpoint);
        }
        pending.failAll(failure);
        failSubmitted();
        ended.countDown();
    }

    private void closedByUser() {
        if (!connected.isDone()) {
            failConnect(new IOException("the client was closed while connecting"));
        }
        fail(ClientFailure.closed(endpoint));
    }

    /**
     * Hands a send to the loop. If the loop has ended (or ends meanwhile) the send fails with
     * the client's failure instead; it never hangs.
     */
    void submit(PendingSends.Send send, ByteBuffer payload) {
        submitted.add(new Submission(send, payload));
        if (!loop.execute(this::takeSubmitted)) {
            failSubmitted(); // the loop is closing: its own last drain may have run before our add
        }
    }

    // ---- loop thread: for the transports

    /** Opens the channel, starts connecting and registers it with {@code loop}. */
    abstract void open(EventLoop loop) throws IOException;

    /** Cancels the channel's key and closes the channel, once {@link #open} registered it. */
    final void closeChannel() {
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
                fail(ioFailure(e));
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

    /** Maps an I/O error of the open connection to a failure. */
    abstract ClientFailure ioFailure(IOException e);

    void connectedAs(SocketAddress local) {
        cancel(connectDeadline);
        localAddress = local;
        log.debug("{}: connected from {}", endpoint, local);
        connected.complete(local);
    }

    void failConnect(Throwable error) {
        if (connected.isDone()) {
            fail(ClientFailure.other(endpoint, error));
            return;
        }
        String message = "cannot connect to " + endpoint + ": " + error.getMessage();
        IOException e = error instanceof ConnectException ? new ConnectException(message)
                : error instanceof SocketTimeoutException ? new SocketTimeoutException(message)
                : error instanceof javax.net.ssl.SSLHandshakeException ? new javax.net.ssl.SSLHandshakeException(message)
                : new IOException(message);
        e.initCause(error);
        failure = ClientFailure.other(endpoint, e);
        connected.completeExceptionally(e);
        end();
    }

    /** Ends the client: every outstanding send fails with this, and so will every later one. */
    void fail(ClientFailure cause) {
        fail(cause, null);
    }

    /** As {@link #fail(ClientFailure)}, but first fails the head of the FIFO with a time-out. */
    private void fail(ClientFailure cause, String headTimeout) {
        if (failure != null) {
            return;
        }
        failure = cause; // before any future completes, so that isOpen() is false in their callbacks
        log.debug("{}: {} ({} sends outstanding)", endpoint, cause, pending.size());
        if (headTimeout != null) {
            pending.timeOutHead(headTimeout);
        }
        pending.failAll(cause);
        failSubmitted();
        end();
    }

    /**
     * Releases the loop's resources: the deadlines, and the channel (a loop of our own is closed
     * instead, on the loop: it stops after this turn and closes the channel). Loop thread.
     */
    private void end() {
        cancel(connectDeadline);
        cancel(headTimer);
        headTimer = null;
        if (ownLoop) {
            loop.close();
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

    boolean failed() {
        return failure != null;
    }

    private void takeSubmitted() {
        for (Submission s; (s = submitted.poll()) != null; ) {
            ClientFailure failed = failure;
            if (failed != null) {
                completer.fail(s.send().future, failed.forNewSend(s.send().echoed.length));
                continue;
            }
            pending.add(s.send());
            write(s.payload());
        }
        armTimer();
    }

    private void failSubmitted() {
        ClientFailure failed = failure != null ? failure : ClientFailure.closed(endpoint);
        for (Submission s; (s = submitted.poll()) != null; ) {
            completer.fail(s.send().future, failed.forNewSend(s.send().echoed.length));
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
        fail(ClientFailure.timedOut(endpoint, timeoutText), endpoint + ": no complete echo within " + timeoutText
                + " (the client's time-out, counted from the send); the client is closed");
    }

    private void connectTimedOut() {
        if (!connected.isDone()) {
            failConnect(new SocketTimeoutException("no connection within " + timeoutText + " (the connect time-out)"));
        }
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
            if (connected.isDone()) {
                fail(ioFailure(e));
            } else {
                failConnect(e);
            }
        } catch (RuntimeException e) {
            log.error("{}: unexpected failure, the client is closed", endpoint, e);
            failConnect(e);
        }
        armTimer();
    }

    @Override
    public final void loopClosing() {
        if (!connected.isDone()) {
            failConnect(new IOException(ownLoop ? "the client was closed while connecting"
                    : "the server was closed while connecting"));
        }
        // a borrowed loop shuts down because its server closes: to this client the server closed first
        fail(ownLoop ? ClientFailure.closed(endpoint) : ClientFailure.endOfStream(endpoint));
        failSubmitted();
    }
}
