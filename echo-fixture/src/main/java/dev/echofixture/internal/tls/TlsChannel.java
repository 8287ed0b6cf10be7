package dev.echofixture.internal.tls;

import dev.echofixture.TlsHandshake;
import dev.echofixture.internal.stream.StreamIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS over a non-blocking {@link SocketChannel}: an {@link SSLEngine} with its network
 * buffers, exposing plaintext {@link #read(ByteBuffer)} and {@link #write(ByteBuffer)} with
 * the channel's non-blocking semantics, so that a connection can echo plaintext exactly as
 * over TCP.
 *
 * <h2>Buffers</h2>
 * {@code netIn} holds bytes read from the socket and not yet unwrapped (at most two records'
 * worth: one socket read per {@link #read} call), {@code appIn} plaintext that did not fit the
 * caller's buffer, {@code netOut} one wrapped record not yet written. Each is taken from the
 * thread's {@link TlsBuffers} when bytes come and given back at the end of every public call
 * that leaves it empty ({@code NONE} stands for no buffer), so that a connection that has not
 * sent its first byte, or whose bytes have all been handled, holds none (some 66 KiB otherwise). A {@link #write} wraps
 * and writes record by record while the socket takes them and returns how much plaintext it
 * consumed; a record the socket did not take stays in {@code netOut}, and
 * {@link #interestOps(int)} then adds OP_WRITE. So plaintext is buffered at most one record
 * beyond what the caller holds, and backpressure works as over TCP.
 *
 * <h2>Handshake</h2>
 * Driven by the same calls: reading unwraps the peer's flight and wraps the answer. The
 * engine's delegated tasks (a signature, a key agreement) run inline on the calling thread,
 * unless an {@link Offload} is set ({@link #offloadTasks}, a server's): then they run on a task
 * thread, and until {@link #tasksDone()} the channel neither unwraps nor wraps, reports no
 * buffered input and keeps OP_READ off. While the handshake runs, {@link #interestOps(int)}
 * otherwise keeps OP_READ on. Every change of the handshake's state goes
 * to the listener as a {@link TlsHandshake} snapshot.
 *
 * <h2>A failed handshake</h2>
 * On a server that found the handshake failed (not one told so by the peer's alert: that peer
 * closes anyway), the engine's alert is written (best effort), then a FIN; {@link #read} does not throw yet but
 * {@linkplain #isLingering() lingers}: it reads and drops what the peer still sends, returns 0,
 * and -1 once the peer closed. Closing at once instead would reset the connection as soon as
 * more of the peer's bytes arrive (under TLS 1.3 a client without the certificate the server
 * needs has already finished its handshake and sends data), and the peer would then see a
 * reset (or a broken pipe) instead of the alert. A client's failed handshake throws at once. The caller bounds the lingering:
 * {@link #endLingering()} makes the next {@link #read} throw the failure. Any other failure
 * (of a record, of a write) throws its {@link SSLException} after the alert was written.
 *
 * <h2>Buffered input</h2>
 * Decrypted or received bytes can wait here while the socket has nothing more to read; the
 * caller must call {@link #read} again while {@link #hasBufferedInput()} (the selector would
 * not wake it).
 *
 * <h2>An alert waits for the echo</h2>
 * Once a TLS 1.2 engine unwraps the peer's close_notify it closes its own outbound side, and
 * later wraps produce nothing: echoes of the bytes before the alert would be lost. So a
 * channel given {@link #holdAlertsUntil} looks at the next record's header before unwrapping
 * it: an alert record (content type 21) stays unread, and OP_READ off, until everything read
 * before it has been handed out and the caller's condition (its echoes written) holds and
 * every wrapped byte is on the socket. The caller must update its interest whenever that
 * condition may have changed; {@link #hasBufferedInput()} then reports the alert as input.
 * (TLS 1.3 encrypts its alerts as application data and keeps the outbound side open.)
 *
 * <h2>Pending</h2>
 * A channel made {@linkplain #pending without an engine} (the server's TLS material is still
 * being made) holds its input like a handshake delay, until {@link #attach} gives it one or
 * {@link #attachFailed} fails it.
 *
 * <p>Owned by the loop thread.
 */
public final class TlsChannel implements StreamIo {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0); // wrapped from; never written into
    private static final ByteBuffer NONE = ByteBuffer.allocate(0).asReadOnlyBuffer(); // no buffer held: see "Buffers"
    private static final int MAX_TURNS = 64;
    private static final byte ALERT = 21;

    private final SocketChannel channel;
    private final Consumer<TlsHandshake> listener;
    private SSLEngine engine; // null while pending
    private SSLException setupFailure; // the material could not be made: what read() throws
    private int appSize;
    private int packetSize;
    private ByteBuffer netIn; // write mode: [0, position) read, not yet unwrapped
    private ByteBuffer netOut; // read mode: [position, limit) wrapped, not yet written
    private ByteBuffer appIn; // write mode: [0, position) plaintext not yet handed out
    private boolean handshaking = true;
    private boolean inputEnded;
    private boolean failed;
    private boolean held;
    private boolean silent;
    private boolean peerAlerted; // the failure is the peer's alert: it knows, and closes
    private SSLException lingering; // a failed handshake whose peer may still send: what read() throws once it ends
    private String serverName;
    private TlsHandshake completed; // the snapshot of the completed handshake, once it completed
    private BooleanSupplier outputDrained; // null: alerts are unwrapped as they come
    private boolean arrived; // bytes came from the socket since bytesArrived() last asked
    private long handshakeByteAt; // System.nanoTime() of the handshake's last step: a byte read, a message wrapped
    private boolean handshakeBytes; // whether handshakeByteAt is set
    private int pumped; // during pump(): the plaintext put into the caller's buffer
    private boolean socketRead; // during pump(): the socket was read
    private Offload offload; // null: delegated tasks run inline
    private volatile boolean tasksRunning; // set on the loop, cleared there by tasksDone()

    public TlsChannel(SocketChannel channel, SSLEngine engine, Consumer<TlsHandshake> listener) {
        this.channel = channel;
        this.listener = listener;
        attach(engine);
    }

    private TlsChannel(SocketChannel channel, Consumer<TlsHandshake> listener) {
        this.channel = channel;
        this.listener = listener;
        this.netIn = NONE;
        this.netOut = NONE;
        this.appIn = NONE;
        this.held = true;
    }

    /** A channel whose engine comes later: it holds its input until {@link #attach} or {@link #attachFailed}. */
    static TlsChannel pending(SocketChannel channel, Consumer<TlsHandshake> listener) {
        return new TlsChannel(channel, listener);
    }

    /** Whether the channel waits for its engine. */
    boolean isPending() {
        return engine == null && setupFailure == null;
    }

    /** Gives a pending channel its engine and releases the input (unless {@link #hold} says otherwise later). */
    void attach(SSLEngine engine) {
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.appSize = engine.getSession().getApplicationBufferSize();
        this.netIn = NONE; // taken when bytes come: see "Buffers"
        this.netOut = NONE;
        this.appIn = NONE;
        this.held = false;
    }

    /** Fails a pending channel: the next {@link #read} throws, and the handshake is recorded as failed. */
    void attachFailed(RuntimeException cause) {
        this.setupFailure = new SSLException("the server's TLS setup failed: " + cause.getMessage(), cause);
        this.held = false;
        this.failed = true;
        listener.accept(TlsHandshakes.failed(null, null, setupFailure, null));
    }

    /** Starts the handshake; a client writes its hello. */
    public void begin() throws IOException {
        engine.beginHandshake();
        pump(null);
        releaseEmpty();
    }

    /** Holds the input unread (handshake delay): no OP_READ, {@link #read} returns 0. */
    void hold(boolean hold) {
        this.held = hold;
    }

    /**
     * Never answers (silent handshake): {@link #read} reads and drops what arrives, returns 0,
     * and -1 at the end of stream, so that a client giving up is still seen.
     */
    void silence() {
        this.silent = true;
    }

    /**
     * Leaves an alert record unread until {@code drained} holds (see the class comment).
     *
     * @param drained whether every echo of the bytes read so far has been written
     */
    public void holdAlertsUntil(BooleanSupplier drained) {
        this.outputDrained = drained;
    }

    /** Runs a batch of delegated tasks elsewhere; {@code done} must then be called back on the loop. */
    interface Offload {
        /**
         * Runs {@code tasks} on another thread, then {@link TlsChannel#tasksDone()} on the loop.
         *
         * @return {@code false} if it cannot (the server is closing): the tasks then run inline
         */
        boolean run(Runnable tasks);
    }

    /** Runs the engine's delegated tasks through {@code offload} instead of inline (see the class comment). */
    void offloadTasks(Offload offload) {
        this.offload = offload;
    }

    /** On the loop, once an offloaded batch ran: the engine may go on (the caller then reads or flushes). */
    void tasksDone() {
        tasksRunning = false;
    }

    /** Whether the next record is an alert that must wait for the echo of the bytes before it. */
    private boolean alertWaits() {
        return alertNext() && (appIn.position() > 0 || netOut.hasRemaining() || !outputDrained.getAsBoolean());
    }

    private boolean alertNext() {
        return outputDrained != null && completed != null && !inputEnded && netIn.position() > 0 && netIn.get(0) == ALERT;
    }

    public boolean isHandshaking() {
        return handshaking && !failed;
    }

    /** The engine; {@code null} while {@linkplain #isPending() pending} or after a failed setup. */
    SSLEngine engine() {
        return engine;
    }

    /**
     * Reads plaintext into {@code dst}, reading the socket at most once.
     *
     * @return the bytes read, 0 if none are ready yet, -1 once the peer closed (close_notify or
     *         end of stream after the handshake)
     * @throws SSLException if the handshake or a record fails (the alert was sent); an
     *         {@link SSLHandshakeException} if the peer closes during the handshake
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (setupFailure != null) {
            throw setupFailure;
        }
        if (held) {
            return 0;
        }
        if (silent || lingering != null) {
            ByteBuffer scratch = TlsBuffers.here().take(2 * packetSize);
            int n = channel.read(scratch);
            TlsBuffers.here().give(scratch);
            noteArrival(n);
            return n < 0 ? -1 : 0;
        }
        int n = drain(dst);
        if (dst.hasRemaining() && !inputEnded) {
            try {
                n += pump(dst);
            } catch (SSLException e) {
                if (!failedHandshake(e)) {
                    throw e;
                }
                return 0;
            }
            n += drain(dst);
        }
        releaseEmpty();
        if (n == 0 && inputEnded && appIn.position() == 0) {
            return -1;
        }
        return n;
    }

    /**
     * Wraps and writes plaintext from {@code src} while the socket takes it.
     *
     * @return the plaintext bytes consumed (0 while the handshake runs or the socket is full)
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!flush() || handshaking || tasksRunning) {
            return 0;
        }
        int consumed = 0;
        for (int turn = 0; turn < MAX_TURNS && src.hasRemaining(); turn++) {
            SSLEngineResult result = wrapOnce(src);
            consumed += result.bytesConsumed();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS connection is closed for writing");
            }
            if (!flushNet()) {
                break;
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK && !runTasks()) {
                break;
            }
        }
        releaseEmpty();
        return consumed;
    }

    /**
     * Writes what is wrapped and continues a handshake that waits to write.
     *
     * @return whether nothing is left to write
     */
    @Override
    public boolean flush() throws IOException {
        if (!flushNet()) {
            return false;
        }
        if (engine == null) {
            return true;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_WRAP || status == HandshakeStatus.NEED_TASK) {
            pump(null);
        }
        releaseEmpty();
        return !netOut.hasRemaining();
    }

    /**
     * Whether bytes came from the socket since the last call, handshake and alert records
     * included (activity for an idle time-out), and forgets it.
     */
    @Override
    public boolean bytesArrived() {
        boolean was = arrived;
        arrived = false;
        return was;
    }

    private void noteArrival(int n) {
        if (n > 0) {
            arrived = true;
            if (handshaking) {
                noteHandshakeStep();
            }
        }
    }

    private void noteHandshakeStep() {
        handshakeByteAt = System.nanoTime();
        handshakeBytes = true;
    }

    /**
     * When the handshake last moved: a byte came from the socket, or a message was wrapped.
     *
     * @param orElse what to return if none came yet
     * @return a {@link System#nanoTime()} value
     */
    long lastHandshakeByte(long orElse) {
        return handshakeBytes ? handshakeByteAt : orElse;
    }

    /**
     * Gives a handshake up (its time-out): the next {@link #read} throws {@code reason}, and the
     * handshake is recorded as failed with it.
     */
    void abandonHandshake(SSLException reason) {
        if (failed || !handshaking) {
            return;
        }
        failed = true;
        setupFailure = reason;
        held = false;
        silent = false;
        listener.accept(TlsHandshakes.failed(engine, serverName, reason, null));
    }

    /** Whether a read would return bytes without the socket being readable. */
    @Override
    public boolean hasBufferedInput() {
        if (held || failed || tasksRunning) {
            return false;
        }
        if (appIn.position() > 0) {
            return true;
        }
        if (inputEnded || alertWaits()) {
            return false;
        }
        int have = netIn.position();
        if (have < 5) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return have >= 5 + length;
    }

    /** Whether wrapped bytes wait for the socket. */
    @Override
    public boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    /** The interest ops the connection wants, adjusted for TLS: OP_WRITE while bytes wait, OP_READ during the handshake. */
    @Override
    public int interestOps(int wanted) {
        int ops = wanted;
        if (handshaking) {
            ops &= ~SelectionKey.OP_WRITE; // plaintext (a scripted greeting) waits for the handshake, not on a writable socket
        }
        if (netOut.hasRemaining()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (handshaking && !failed) {
            ops |= SelectionKey.OP_READ;
        }
        if (held || alertWaits() || tasksRunning) {
            ops &= ~SelectionKey.OP_READ; // tasksRunning: nothing can be unwrapped until they are done
        }
        return ops;
    }

    /** Sends close_notify, as far as the socket takes it now (never blocks). */
    @Override
    public void closeOutbound() {
        if (engine == null) {
            return;
        }
        engine.closeOutbound();
        try {
            writeClosingFlight();
        } catch (IOException e) {
            // best effort: the connection closes anyway
        }
        releaseEmpty();
    }

    /** Client: the session ends; close_notify unless abortive or the handshake did not complete or failed. */
    @Override
    public void closing(boolean abortive) {
        if (!abortive && !isHandshaking() && !failed) {
            closeOutbound();
        }
    }

    // ---- the engine

    /**
     * Runs the engine until it needs the peer or the caller: delegated tasks, handshake wraps
     * and unwraps into {@code dst} (or {@code appIn}); reads the socket at most once.
     *
     * @return the plaintext bytes put into {@code dst}
     */
    private int pump(ByteBuffer dst) throws IOException {
        pumped = 0;
        socketRead = false;
        for (int turn = 0; turn < MAX_TURNS && !failed && !tasksRunning; turn++) {
            boolean goOn = switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapHandshake();
                default -> unwrap(dst);
            };
            if (!goOn) {
                break;
            }
        }
        return pumped;
    }

    /**
     * Wraps and writes the handshake's next message (after what waits).
     *
     * @return whether the pump goes on: not when the socket is full or the engine is closed
     */
    private boolean wrapHandshake() throws IOException {
        if (!flushNet()) {
            return false;
        }
        SSLEngineResult result = wrapOnce(EMPTY);
        if (handshaking && result.bytesProduced() > 0) {
            noteHandshakeStep(); // the server's turn is done: the client's starts now
        }
        afterHandshakeStep(result);
        return result.getStatus() != SSLEngineResult.Status.CLOSED || result.bytesProduced() > 0;
    }

    /**
     * Unwraps the next record into {@code dst} (or {@code appIn}, for what does not fit),
     * reading the socket once (per pump) when the record is not all there.
     *
     * @return whether the pump goes on
     */
    private boolean unwrap(ByteBuffer dst) throws IOException {
        if (inputEnded || (pumped > 0 && alertNext()) || alertWaits()) {
            return false; // the plaintext before an alert goes to the caller (and its echo out) first
        }
        if (netIn == NONE) {
            return readSocket(); // nothing to unwrap yet
        }
        boolean direct = dst != null && appIn.position() == 0 && dst.remaining() >= appSize;
        if (!direct && appIn == NONE) {
            appIn = TlsBuffers.here().take(appSize);
        }
        ByteBuffer target = direct ? dst : appIn;
        if (target.remaining() < appSize && target == appIn && appIn.position() > 0) {
            return false; // the reader must take what is decrypted first
        }
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, target);
        } catch (SSLException e) {
            throw failure(e);
        } finally {
            netIn.compact();
        }
        if (target == dst) {
            pumped += result.bytesProduced();
        }
        if (handshaking && serverName == null) {
            serverName = TlsHandshakes.requestedServerName(engine);
        }
        afterHandshakeStep(result);
        return switch (result.getStatus()) {
            case OK -> dst == null || dst.hasRemaining();
            case BUFFER_UNDERFLOW -> readSocket();
            case BUFFER_OVERFLOW -> {
                if (target == dst || appIn.position() > 0) {
                    yield false;
                }
                appIn = grow(appIn, appIn.capacity() + engine.getSession().getApplicationBufferSize());
                yield true;
            }
            case CLOSED -> {
                peerClosed(); // close_notify; under TLS 1.2 the engine then wants to wrap its own
                yield true;
            }
        };
    }

    /**
     * Reads the socket into {@code netIn}, once per pump.
     *
     * @return whether bytes came
     */
    private boolean readSocket() throws IOException {
        if (socketRead) {
            return false;
        }
        if (netIn == NONE) {
            netIn = TlsBuffers.here().take(2 * packetSize);
        } else if (!netIn.hasRemaining()) {
            netIn = grow(netIn, netIn.capacity() + engine.getSession().getPacketBufferSize());
        }
        int n = channel.read(netIn);
        socketRead = true;
        noteArrival(n);
        if (n < 0) {
            endOfInput();
            return false;
        }
        return n > 0;
    }

    /** Wraps {@code src} into {@code netOut} (which must be empty); a failure writes the alert and is thrown. */
    private SSLEngineResult wrapOnce(ByteBuffer src) throws SSLException {
        takeNetOut();
        SSLEngineResult result;
        try {
            result = engine.wrap(src, netOut);
        } catch (SSLException e) {
            netOut.flip();
            throw failure(e);
        }
        netOut.flip();
        return result;
    }

    /**
     * Wraps and writes what the closing engine still has to say (close_notify, an alert) as far
     * as the socket takes it.
     *
     * @return the alert seen in plaintext (a handshake's), or {@code null}
     */
    private String writeClosingFlight() throws IOException {
        String alert = null;
        for (int turn = 0; turn < 4 && !engine.isOutboundDone(); turn++) {
            if (!flushNet()) {
                return alert;
            }
            takeNetOut();
            SSLEngineResult result = engine.wrap(EMPTY, netOut);
            netOut.flip();
            if (alert == null) {
                alert = TlsHandshakes.plaintextAlert(netOut);
            }
            if (result.bytesProduced() == 0) {
                break;
            }
        }
        flushNet();
        return alert;
    }

    private void afterHandshakeStep(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && handshaking) {
            handshaking = false;
            completed = TlsHandshakes.completed(engine);
            listener.accept(completed);
        }
    }

    /** The peer's close_notify arrived: the end of its input; a server records the clean close. */
    private void peerClosed() {
        if (!inputEnded && completed != null && !engine.getUseClientMode()) {
            listener.accept(TlsApiAccess.bridge().withCloseNotifyReceived(completed));
        }
        inputEnded = true;
    }

    private void endOfInput() throws SSLException {
        inputEnded = true;
        if (handshaking) {
            throw failure(new SSLHandshakeException("the peer closed the connection during the handshake"));
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // an end of stream without close_notify: the echo semantics treat it as a half-close
        }
    }

    /**
     * Runs the engine's delegated tasks: inline, or handed to the {@link Offload}.
     *
     * @return whether the pump goes on (not while offloaded tasks run)
     */
    private boolean runTasks() {
        if (tasksRunning) {
            return false;
        }
        if (offload != null) {
            Runnable first = engine.getDelegatedTask();
            if (first == null) {
                return true;
            }
            tasksRunning = true;
            if (offload.run(new TaskBatch(engine, first))) {
                return false;
            }
            tasksRunning = false;
            first.run();
        }
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
        return true;
    }

    /** The engine's delegated tasks, from {@code first} on, run on a task thread. */
    private record TaskBatch(SSLEngine engine, Runnable first) implements Runnable {
        @Override
        public void run() {
            first.run();
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run();
            }
        }
    }

    /** Records a failure, writes the alert the engine produced (best effort) and returns the exception to throw. */
    private SSLException failure(SSLException e) {
        if (failed) {
            return e;
        }
        failed = true;
        String alert = TlsHandshakes.receivedAlert(e);
        peerAlerted = alert != null;
        try {
            String written = writeClosingFlight();
            if (alert == null) {
                alert = written;
            }
        } catch (IOException | RuntimeException ignored) {
            // the alert is best effort; the failure is what counts
        }
        if (handshaking) {
            listener.accept(TlsHandshakes.failed(engine, serverName, e, alert));
        }
        return e;
    }

    private boolean flushNet() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private int drain(ByteBuffer dst) {
        if (appIn.position() == 0 || !dst.hasRemaining()) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return n;
    }

    private static ByteBuffer grow(ByteBuffer buffer, int capacity) {
        ByteBuffer bigger = TlsBuffers.here().take(capacity);
        buffer.flip();
        bigger.put(buffer);
        TlsBuffers.here().give(buffer);
        return bigger;
    }

    /** An empty {@code netOut} to wrap into (its last record was written: see {@link #flushNet()}). */
    private void takeNetOut() {
        if (netOut == NONE) {
            netOut = TlsBuffers.here().take(packetSize);
        }
        netOut.clear();
    }

    /** Gives back the buffers that hold no bytes (see "Buffers"); the end of every public I/O call. */
    private void releaseEmpty() {
        TlsBuffers buffers = null;
        if (netIn != NONE && netIn.position() == 0) {
            buffers = TlsBuffers.here();
            buffers.give(netIn);
            netIn = NONE;
        }
        if (appIn != NONE && appIn.position() == 0) {
            buffers = buffers != null ? buffers : TlsBuffers.here();
            buffers.give(appIn);
            appIn = NONE;
        }
        if (netOut != NONE && !netOut.hasRemaining()) {
            buffers = buffers != null ? buffers : TlsBuffers.here();
            buffers.give(netOut);
            netOut = NONE;
        }
    }

    /**
     * After a failed handshake: FIN after the alert, then linger (see the class comment).
     *
     * @return whether the channel lingers; {@code false} for any other failure (the caller throws it)
     */
    private boolean failedHandshake(SSLException e) {
        if (!failed || completed != null || inputEnded || peerAlerted || netOut.hasRemaining() || engine.getUseClientMode()) {
            return false; // not a handshake failure, the peer is gone or told us, the alert is not out, or a client
        }
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            return false;
        }
        lingering = e;
        return true;
    }

    /** Whether a failed handshake lingers: reads drop what the peer sends until it closes. */
    boolean isLingering() {
        return lingering != null;
    }

    /** Ends the lingering: the next {@link #read} throws the handshake's failure. */
    void endLingering() {
        if (lingering != null) {
            setupFailure = lingering;
            lingering = null;
        }
    }

    /** A connection failed (a handshake or record); no more I/O happens on it. */
    public boolean hasFailed() {
        return failed;
    }
}
