package dev.echofixture;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one {@link EchoClient} shares between its transports: the connect, the
 * {@link PendingSends} FIFO with its time-outs, and the failure that ends the client.
 * {@link StreamSession} (TCP, UNIX) and {@link DatagramSession} (UDP) add the channel.
 *
 * <p>Threads: everything runs on the client's loop thread except the volatile reads of
 * {@link #failure()}, {@link #localAddress()} and {@link #outstanding()}, and waiting on
 * {@link #connected()}. Life cycle: CONNECTING, then OPEN once the connect completes, then
 * FAILED (a {@link ClientFailure} is set, every outstanding and later send fails, the loop
 * stops). A failure is never cleared.
 */
abstract class ClientSession implements ClientLoop.Handler {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    final String endpoint;
    final SocketAddress remote;
    final Completer completer;
    final PendingSends pending;
    private final long timeoutNanos;
    private final String timeoutText;
    private final CompletableFuture<SocketAddress> connected = new CompletableFuture<>();
    private ClientLoop loop;
    private long connectDeadline;
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

    /** Called once, before the loop starts. */
    void attach(ClientLoop loop) {
        this.loop = loop;
        this.connectDeadline = System.nanoTime() + timeoutNanos;
    }

    // ---- any thread

    ClientFailure failure() {
        return failure;
    }

    SocketAddress localAddress() {
        return localAddress;
    }

    int outstanding() {
        return pending.size();
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Completes with the local address once connected, or with the connect failure. Never on a user's future. */
    CompletableFuture<SocketAddress> connected() {
        return connected;
    }

    // ---- loop thread: for the transports

    /** Opens the channel, starts connecting and registers it. */
    abstract void open(Selector selector) throws IOException;

    /** Queues a payload for writing and writes what the socket takes now. */
    abstract void write(ByteBuffer payload);

    /** Closes the channel; quiet. */
    abstract void closeChannel();

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
        loop.stop();
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
        loop.stop();
    }

    boolean failed() {
        return failure != null;
    }

    /** Takes a send; it fails at once if the client has already failed. */
    void enqueue(PendingSends.Send send, ByteBuffer payload) {
        ClientFailure failed = failure;
        if (failed != null) {
            completer.fail(send.future, failed.forNewSend(send.echoed.length));
            return;
        }
        pending.add(send);
        write(payload);
    }

    // ---- ClientLoop.Handler

    @Override
    public final void start(Selector selector) {
        try {
            open(selector);
        } catch (IOException | RuntimeException e) {
            failConnect(e);
        }
    }

    @Override
    public final long nanosToDeadline(long now) {
        if (failure != null) {
            return ClientLoop.NO_DEADLINE;
        }
        return connected.isDone() ? pending.nanosToDeadline(now) : connectDeadline - now;
    }

    @Override
    public final void deadlinePassed(long now) {
        if (!connected.isDone()) {
            failConnect(new SocketTimeoutException("no connection within " + timeoutText + " (the connect time-out)"));
            return;
        }
        fail(ClientFailure.timedOut(endpoint, timeoutText), endpoint + ": no complete echo within " + timeoutText
                + " (the client's time-out, counted from the send); the client is closed");
    }

    @Override
    public final void crashed(Throwable error) {
        failConnect(error);
    }

    @Override
    public final void loopEnding() {
        closeChannel();
        if (!connected.isDone()) {
            failConnect(new IOException("the client's loop ended"));
        }
        fail(ClientFailure.closed(endpoint));
    }
}
