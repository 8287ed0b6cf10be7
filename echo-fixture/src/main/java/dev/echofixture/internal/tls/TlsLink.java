package dev.echofixture.internal.tls;

import dev.echofixture.TlsHandshake;
import dev.echofixture.TlsOptions;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionView;
import dev.echofixture.internal.stream.StreamIo;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.LazyLogger;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The {@link StreamIo} of one server {@link StreamConnection} over TLS: its {@link TlsChannel}, the recording of
 * the handshake on the connection's view, the handshake delay (or silence), and the one thing
 * the selector cannot do for TLS: wake the connection for bytes already decrypted or buffered
 * (posted to the loop as a task, at most one at a time). While the server's TLS material is
 * still being made (the JVM's first TLS server, see {@link ServerTls}), the link's channel is
 * pending: the client's hello waits unread, and the loop goes on with other work.
 *
 * <p>Owned by the loop thread.
 */
public final class TlsLink implements StreamIo, TlsChannel.Offload {

    private static final LazyLogger LOG = new LazyLogger(TlsLink.class);

    /** How long a failed handshake's connection waits for the peer to close after the alert (as a graceful close drains). */
    public static final long LINGER_NANOS = 2_000_000_000L;

    private final ServerTls serverTls;
    private final EventLoop loop;
    private final ConnectionView view;
    private final TlsChannel channel;
    private final Runnable readBuffered;
    private boolean readScheduled;
    private boolean starting;
    private boolean closed;
    private long handshakeTimerFrom; // System.nanoTime() when the handshake time-out started

    private TlsLink(ServerTls serverTls, EventLoop loop, SocketChannel socket, ConnectionView view, Runnable readBuffered,
                    BooleanSupplier echoesWritten) {
        this.serverTls = serverTls;
        this.loop = loop;
        this.view = view;
        this.readBuffered = readBuffered;
        this.channel = serverTls.isReady()
                ? new TlsChannel(socket, serverTls.newEngine(), this::recorded)
                : TlsChannel.pending(socket, this::recorded);
        channel.holdAlertsUntil(echoesWritten); // a TLS 1.2 close_notify waits for the echo
        channel.offloadTasks(this); // handshakes' CPU work off the loop
    }

    /**
     * A link for a freshly accepted channel.
     *
     * @param readBuffered  reads what the channel holds; called on the loop when the selector would not
     * @param echoesWritten whether the connection has written every echo of the bytes it read
     *                      (an alert record waits for it: see {@link TlsChannel})
     */
    public static TlsLink open(ServerTls serverTls, EventLoop loop, SocketChannel socket, ConnectionView view,
                        Runnable readBuffered, BooleanSupplier echoesWritten) {
        return new TlsLink(serverTls, loop, socket, view, readBuffered, echoesWritten);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public boolean flush() throws IOException {
        return channel.flush();
    }

    @Override
    public boolean hasBufferedInput() {
        return channel.hasBufferedInput();
    }

    @Override
    public boolean hasPendingOutput() {
        return channel.hasPendingOutput();
    }

    @Override
    public void closeOutbound() {
        channel.closeOutbound();
    }

    @Override
    public boolean bytesArrived() {
        return channel.bytesArrived();
    }

    /**
     * Applies the handshake delay or silence: the client's hello stays unread meanwhile; a
     * pending channel first waits for the server's material (on the loop, without blocking it).
     */
    @Override
    public void start() {
        if (channel.isPending()) {
            starting = true; // made meanwhile: whenReady runs attach() right here, and the connection then sets its interest
            serverTls.whenReady(() -> loop.execute(this::attach));
            starting = false;
            return;
        }
        applyHandshakeOptions();
    }

    /** On the loop, once the material is made (or failed): the pending channel gets its engine. */
    private void attach() {
        if (closed) {
            return;
        }
        try {
            channel.attach(serverTls.newEngine());
        } catch (RuntimeException e) {
            channel.attachFailed(e); // the next read throws: the connection closes, the handshake is recorded failed
            if (!starting) {
                readBuffered.run();
            }
            return;
        }
        applyHandshakeOptions();
        if (!starting) {
            readBuffered.run(); // reads the hello if it is there; sets OP_READ back either way
        }
    }

    private void applyHandshakeOptions() {
        TlsOptions options = serverTls.options();
        if (options.isHandshakeSilent()) {
            channel.silence();
            LOG.get().debug("{}: handshake silent", view);
        } else if (!options.handshakeDelay().isZero()) {
            channel.hold(true);
            Duration delay = options.handshakeDelay();
            loop.schedule(System.nanoTime() + delay.toNanos(), () -> {
                channel.hold(false);
                startHandshakeTimeout(); // the delay is the test's, not the client's
                readBuffered.run(); // reads the hello if it is there; sets OP_READ back either way
            });
        } else {
            startHandshakeTimeout();
        }
    }

    /** Starts {@link TlsOptions#handshakeTimeout()}: every byte from the client restarts it. */
    private void startHandshakeTimeout() {
        long timeout = handshakeTimeoutNanos();
        if (timeout > 0 && !closed) {
            handshakeTimerFrom = System.nanoTime();
            loop.schedule(handshakeTimerFrom + timeout, this::checkHandshake);
        }
    }

    private long handshakeTimeoutNanos() {
        return Durations.saturatedNanos(serverTls.options().handshakeTimeout());
    }

    /** The handshake time-out's deadline: still waiting for a byte, or given up (recorded as failed, closed). */
    private void checkHandshake() {
        if (closed || !channel.isHandshaking()) {
            return;
        }
        long last = channel.lastHandshakeByte(handshakeTimerFrom);
        if (last - handshakeTimerFrom < 0) {
            last = handshakeTimerFrom;
        }
        long due = last + handshakeTimeoutNanos();
        if (due - System.nanoTime() > 0) {
            loop.schedule(due, this::checkHandshake);
            return;
        }
        String timeout = Durations.format(serverTls.options().handshakeTimeout());
        LOG.get().debug("{}: no handshake byte from the client for {}, closing", view, timeout);
        channel.abandonHandshake(new SSLHandshakeException("the handshake timed out: no byte from the client for "
                + timeout + " (TlsOptions.handshakeTimeout)"));
        readBuffered.run(); // the read throws the reason: the connection closes
    }

    /**
     * The interest ops for the key: the connection's, plus what TLS needs; schedules a read of
     * buffered plaintext if the connection reads and the selector would not report it.
     */
    @Override
    public int interestOps(int wanted) {
        int ops = channel.interestOps(wanted);
        if (!readScheduled && !closed && (wanted & SelectionKey.OP_READ) != 0
                && channel.hasBufferedInput()) {
            readScheduled = true;
            loop.execute(() -> {
                readScheduled = false;
                readBuffered.run();
            });
        }
        return ops;
    }

    /** Runs the channel's delegated tasks on the server's task threads, then resumes the connection on the loop. */
    @Override
    public boolean run(Runnable tasks) {
        return serverTls.tasks().submit(new Batch(tasks));
    }

    /** On a task thread: the tasks, then back to the loop (unless it is closing: then nothing is left to serve). */
    private final class Batch implements Runnable {
        private final Runnable tasks;

        Batch(Runnable tasks) {
            this.tasks = tasks;
        }

        @Override
        public void run() {
            try {
                tasks.run();
            } finally {
                loop.execute(TlsLink.this::tasksDone, Batch::dropped);
            }
        }

        private static void dropped() {
            // the loop closed: its connections are closed with it
        }
    }

    /** On the loop: the handshake goes on where the tasks left it (reads, wraps, writes). */
    private void tasksDone() {
        channel.tasksDone();
        if (!closed) {
            readBuffered.run(); // the connection reads, which pumps the engine, and sets its interest
        }
    }

    /** A failed handshake's channel lingers for at most {@link #LINGER_NANOS}, then the connection closes. */
    private void boundLingering() {
        loop.schedule(System.nanoTime() + LINGER_NANOS, () -> {
            if (!closed && channel.isLingering()) {
                channel.endLingering();
                readBuffered.run(); // the read throws the failure: the connection closes
            }
        });
    }

    /** The connection closes: close_notify unless abortive; a handshake cut short is recorded as failed. */
    @Override
    public void closing(boolean abortive) {
        if (closed) {
            return;
        }
        closed = true;
        if (channel.isHandshaking()) {
            String why = abortive ? "the server reset the connection during the handshake"
                    : "the connection closed before the handshake completed";
            view.tls(TlsHandshakes.failed(channel.engine(), null, new SSLException(why), null));
        }
        if (!abortive && !channel.hasFailed()) {
            channel.closeOutbound();
        }
    }

    private void recorded(TlsHandshake handshake) {
        view.tls(handshake);
        if (handshake.status() == TlsHandshake.Status.FAILED) {
            boundLingering(); // the read that failed decides next whether the channel lingers
        }
        if (handshake.status() == TlsHandshake.Status.FAILED) {
            LOG.get().debug("{}: TLS handshake failed: {}", view, handshake);
        } else {
            LOG.get().debug("{}: {}", view, handshake);
        }
    }
}
