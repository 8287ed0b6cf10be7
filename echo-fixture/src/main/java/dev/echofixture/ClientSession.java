package dev.echofixture;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one {@link EchoClient} shares between its transports, driven by the client's own
 * {@link EventLoop} (the server's loop class; one loop per client): the connect, the
 * {@link PendingSends} FIFO with its time-out, and the failure that ends the client.
 * {@link StreamSession} (TCP, UNIX) and {@link DatagramSession} (UDP) add the channel.
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
    private EventLoop loop;
    private boolean timerArmed;
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

    /** Completes with the local address once connected, or with the connect failure. Never a user's future. */
    CompletableFuture<SocketAddress> connected() {
        return connected;
    }

    /** Starts the client on {@code loop}: opens the channel and connects, with the time-out. */
    void start(EventLoop loop) {
        this.loop = loop;
        long deadline = System.nanoTime() + timeoutNanos;
        loop.start();
        loop.execute(() -> {
            loop.schedule(deadline, this::connectTimedOut);
            try {
                open(loop);
            } catch (IOException | RuntimeException e) {
                failConnect(e);
            }
        });
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

    /** Queues a payload for writing and writes what the socket takes now. */
    abstract void write(ByteBuffer payload);

    /** Handles readiness; I/O errors are the transport's to map, anything else ends the client. */
    abstract void handle(SelectionKey key) throws IOException;

    /** Maps an I/O error of the open connection to a failure. */
    abstract ClientFailure ioFailure(IOException e);

    void connectedAs(SocketAddress local) {
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
                : new IOException(message);
        e.initCause(error);
        failure = ClientFailure.other(endpoint, e);
        connected.completeExceptionally(e);
        loop.close(); // on the loop: stops after this turn
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
        loop.close(); // on the loop: stops after this turn and closes the channel
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
        if (!timerArmed && failure == null && !pending.isEmpty()) {
            timerArmed = true;
            loop.schedule(pending.headDeadline(), this::headTimerFired);
        }
    }

    private void headTimerFired() {
        timerArmed = false;
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
            failConnect(new IOException("the client was closed while connecting"));
        }
        fail(ClientFailure.closed(endpoint));
        failSubmitted();
    }
}
