package dev.echofixture.internal.recording;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link EmbeddedEchoServer#connectionsLeftOpen(Duration)}: which connections their peers have
 * left open, decided without waiting wherever the server can know.
 *
 * <h2>How</h2>
 * A <em>catch-up</em> is a round trip through the server's loop that ends after one
 * {@code select} made after the call: a task queued on the loop schedules a deadline due at
 * once, and deadlines fire after the turn's ready keys are processed (see {@link EventLoop}'s
 * "One turn of the loop"). A peer's close that reached the server's socket before the call
 * (on loopback: before the peer's {@code close()} returned) has therefore been read by then,
 * wherever the server is reading. On the loop, the catch-up samples each connection's
 * {@link ConnectionView.PeerClose} and byte count:
 * <ul>
 *   <li>{@code SEEN}: closed by its peer (or closed): not left open, whatever the server still
 *       has to echo.</li>
 *   <li>{@code NOT_SEEN}: the server is reading and has seen no close. Left open once that has
 *       lasted {@link #SETTLE_NANOS} without a new byte (a close may be behind more bytes than
 *       one turn reads, or still on its way through the kernel).</li>
 *   <li>{@code UNKNOWN}: the server is not reading (backpressure, a pending reset), so a close
 *       may wait unread: sampled again every few milliseconds until the time-out, then counted
 *       as left open.</li>
 * </ul>
 * Stateless; runs on the caller's thread.
 */
public final class LeftOpenCheck {

    /** How long one catch-up may take when the server's thread is busy. */
    static final long CATCH_UP_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long a connection must be read without a close and without a new byte to count as left
     * open. On loopback a peer's close usually reaches the server's socket before the peer's
     * {@code close()} returns, but the kernel may finish delivering it a little later; this
     * covers that, with a wide margin for a loaded machine.
     */
    static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long a connection whose bytes keep arriving can hold the decision up. */
    private static final long ACTIVE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RESAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private LeftOpenCheck() {
    }

    /**
     * Decides which connections are left open (see the class comment), returning once every
     * connection is decided: at once when every peer has closed, after {@link #SETTLE_NANOS}
     * for a connection read without a close, up to {@code timeout} for one the server is not
     * reading. A connection whose bytes keep arriving is decided, as left open, after
     * {@code max(timeout, 1 s)} at most.
     *
     * @param loop     the server's loop
     * @param registry the server's connections
     * @param timeout  how long to wait for connections the server is not reading
     * @return the connections left open, oldest first
     */
    public static List<EchoConnection> run(EventLoop loop, ConnectionRegistry registry, Duration timeout) {
        long start = System.nanoTime();
        long timeoutNanos = Durations.saturatedNanos(timeout);
        long unreadDeadline = start + timeoutNanos;
        long limit = start + Math.max(timeoutNanos, ACTIVE_LIMIT_NANOS);
        Map<ConnectionView, Quiet> quiet = new HashMap<>();
        while (true) {
            Sample[] samples = catchUp(loop, registry);
            if (samples == null) { // the server closed, or its thread stayed busy: go by what is open
                return openNow(registry);
            }
            long now = System.nanoTime();
            List<EchoConnection> leftOpen = new ArrayList<>();
            boolean unsettled = false;
            boolean unread = false;
            Map<ConnectionView, Quiet> next = new HashMap<>();
            for (Sample sample : samples) {
                if (sample.peerClose == ConnectionView.PeerClose.SEEN) {
                    continue;
                }
                leftOpen.add(sample.view);
                if (sample.peerClose == ConnectionView.PeerClose.UNKNOWN) {
                    unread = true;
                    continue;
                }
                Quiet before = quiet.get(sample.view);
                Quiet since = before != null && before.received == sample.received ? before : new Quiet(sample.received, now);
                next.put(sample.view, since);
                if (now - since.sinceNanos < SETTLE_NANOS) {
                    unsettled = true; // a close may still be on its way, or bytes still arriving
                }
            }
            if ((!unsettled && (!unread || now - unreadDeadline >= 0)) || now - limit >= 0) {
                return leftOpen;
            }
            quiet = next;
            LockSupport.parkNanos(RESAMPLE_NANOS);
        }
    }

    /** One catch-up; {@code null} if the loop shut down first or took longer than the limit. */
    private static Sample[] catchUp(EventLoop loop, ConnectionRegistry registry) {
        Sampler sampler = new Sampler(registry);
        loop.execute(new Runnable() {
            @Override
            public void run() {
                loop.schedule(System.nanoTime(), sampler); // fires after this turn's select and ready keys
            }
        }, sampler::rejected);
        try {
            if (!sampler.done.await(CATCH_UP_LIMIT_NANOS, TimeUnit.NANOSECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return sampler.samples;
    }

    private static List<EchoConnection> openNow(ConnectionRegistry registry) {
        List<EchoConnection> open = new ArrayList<>();
        for (EchoConnection connection : registry.connections()) {
            if (connection.isOpen()) {
                open.add(connection);
            }
        }
        return open;
    }

    /** Since when a connection read without a close has had the same byte count. */
    private record Quiet(long received, long sinceNanos) {
    }

    /** One connection's state at a catch-up. */
    private record Sample(ConnectionView view, ConnectionView.PeerClose peerClose, long received) {
    }

    /** Runs on the loop at the end of a catch-up; publishes its samples through the latch. */
    private static final class Sampler implements Runnable {
        final CountDownLatch done = new CountDownLatch(1);
        private final ConnectionRegistry registry;
        Sample[] samples; // written before done.countDown(), read after await

        Sampler(ConnectionRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void run() {
            List<EchoConnection> connections = registry.connections();
            Sample[] taken = new Sample[connections.size()];
            for (int i = 0; i < taken.length; i++) {
                ConnectionView view = (ConnectionView) connections.get(i);
                taken[i] = new Sample(view, view.peerClose(), view.bytesReceived());
            }
            samples = taken;
            done.countDown();
        }

        void rejected() {
            done.countDown(); // samples stay null: the server has closed
        }
    }
}
