package dev.echofixture;

import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * The loop-side state of one UDP peer of a {@link DatagramHandler}: its public view, its
 * {@link Pacer} (latency and seeded jitter), its whole-datagram rate limit, its FIFO of
 * datagrams waiting to go out, and how many bytes were accepted for echo (for
 * {@code closeAfter}).
 *
 * <p>Loop thread only; users see the peer through its {@link ConnectionView}, whose
 * {@code close()} and {@code reset()} run {@link #closeGracefully()} and {@link #reset()} here,
 * on the loop.
 *
 * <h2>States</h2>
 * <ul>
 *   <li>{@code OPEN}: datagrams are echoed under the server's current behaviour.</li>
 *   <li>{@code CLOSING}: {@code closeAfter} was reached; what was accepted before still goes
 *       out, new datagrams are recorded but not echoed. The view is still open.</li>
 *   <li>{@code MUTED}: closed by {@code closeAfter}; the address stays mapped to this closed
 *       view, so its later datagrams are recorded there and never echoed.</li>
 *   <li>{@code FORGOTTEN}: closed by {@link EchoConnection#close()}, {@link EchoConnection#reset()},
 *       the idle time-out or the server's close; the address is unmapped, so its next datagram
 *       opens a new connection.</li>
 * </ul>
 */
final class DatagramPeer implements ConnectionView.Actions {

    enum State { OPEN, CLOSING, MUTED, FORGOTTEN }

    /** A copied datagram waiting until {@code releaseAt}, then paced at {@code bandwidth} (0: unlimited). */
    record Delayed(byte[] data, long releaseAt, long bandwidth) {
    }

    final SocketAddress address;
    final ArrayDeque<Delayed> queue = new ArrayDeque<>();
    private final DatagramHandler owner;
    ConnectionView view;
    Pacer pacer;
    State state = State.OPEN;
    /** Bytes accepted for echo so far, under any behaviour: what {@code closeAfter} compares with. */
    long echoAccepted;
    /** Datagrams of this peer still in {@link #queue} or waiting for room in the send buffer. */
    int unsent;
    /** Bytes of this peer's datagrams held by the server (delayed or blocked). */
    long pendingBytes;
    /** {@link System#nanoTime()} of the last datagram received from or sent to this peer. */
    long lastActivity;
    /** The scheduled release of the head of {@link #queue}, or {@code null}. */
    Deadlines.Deadline release;
    /** The scheduled idle check, or {@code null}. */
    Deadlines.Deadline idleCheck;

    /** When the rate limit's bucket is full again ({@link System#nanoTime()}); valid when {@link #paced}. */
    private long fullAt;
    private boolean paced;
    private long rate;

    DatagramPeer(DatagramHandler owner, SocketAddress address, long now) {
        this.owner = owner;
        this.address = address;
        this.lastActivity = now;
    }

    /** Whether new datagrams are echoed (rather than only recorded). */
    boolean echoes() {
        return state == State.OPEN;
    }

    /** Whether the view counts as an open connection. */
    boolean isOpen() {
        return state == State.OPEN || state == State.CLOSING;
    }

    /**
     * When a datagram of {@code length} bytes released at {@code releaseAt} may go out under
     * {@code bandwidth} (0: unlimited).
     *
     * <p>The rate limit is a token bucket of a tenth of a second's worth of bytes
     * ({@link Pacer#burst}), kept as the time it will be full again: a datagram waits until the
     * bucket holds it whole, or is full if the datagram is larger than that. A datagram is never
     * split, so it may take the bucket into debt, which the next one waits out; the long-term
     * rate holds. ({@link Pacer}'s bucket splits chunks, which a datagram cannot be.)
     */
    long sendTime(long releaseAt, int length, long bandwidth, long now) {
        long at = releaseAt - now > 0 ? releaseAt : now;
        if (bandwidth <= 0 || !paced || bandwidth != rate) {
            return at;
        }
        long burst = Pacer.burst(bandwidth);
        long wanted = Math.min(Math.max(length, 1), burst);
        long earliest = fullAt - nanos(burst - wanted, bandwidth);
        return earliest - at > 0 ? earliest : at;
    }

    /** Takes a datagram of {@code length} bytes sent at {@code now} out of the bucket. */
    void paced(int length, long bandwidth, long now) {
        if (bandwidth <= 0) {
            return;
        }
        if (bandwidth != rate) { // a new rate starts with a full bucket
            rate = bandwidth;
            paced = false;
        }
        long base = paced && fullAt - now > 0 ? fullAt : now;
        fullAt = base + nanos(length, bandwidth);
        paced = true;
    }

    private static long nanos(long bytes, long bytesPerSecond) {
        return bytes * 1_000_000_000L / bytesPerSecond;
    }

    /** Runs on the loop: UDP has no graceful close to send, so the peer is forgotten. */
    @Override
    public void closeGracefully() {
        owner.forget(this, "closed");
    }

    /** Runs on the loop: UDP has no reset to send, so the peer is forgotten. */
    @Override
    public void reset() {
        owner.forget(this, "reset");
    }

    @Override
    public String toString() {
        return "DatagramPeer[" + address + ", " + state + ", " + unsent + " unsent]";
    }
}
