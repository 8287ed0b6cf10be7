package dev.echofixture;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Every connection (UDP: every peer) a server accepted, oldest first, and the server's counters.
 * Transport-neutral: TCP, UNIX and UDP endpoints all register through {@link #open}.
 *
 * <p>Thread-safe. The loop thread adds connections and updates counts; user threads read
 * snapshots and {@linkplain #await wait} for arrivals. The byte totals of {@link #stats()} are
 * the sums over the connection views, so the hot path updates only one counter per read.
 */
final class ConnectionRegistry {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ConnectionView> views = new ArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    private final int recordLimit;
    private final Supplier<String> serverName;
    private boolean stopped;

    /**
     * @param recordLimit bytes recorded per connection
     * @param serverName  names the server in time-out messages, for example its URI
     */
    ConnectionRegistry(int recordLimit, Supplier<String> serverName) {
        this.recordLimit = recordLimit;
        this.serverName = serverName;
    }

    /**
     * Lists a new open connection and returns its view; the caller sets its
     * {@linkplain ConnectionView#actions actions} before handing it out. Loop thread only.
     */
    ConnectionView open(SocketAddress remoteAddress, EventLoop loop, ConnectionView.Actions actions) {
        lock.lock();
        try {
            ConnectionView view = new ConnectionView(this, views.size(), remoteAddress, recordLimit, loop)
                    .actions(actions);
            views.add(view);
            active.incrementAndGet();
            arrived.signalAll();
            return view;
        } finally {
            lock.unlock();
        }
    }

    /** Called once per view by {@link ConnectionView#markClosed()}. */
    void closed(ConnectionView view) {
        active.decrementAndGet();
    }

    /** The server stopped: no more connections will arrive; wakes every waiter. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Counts a connection turned away because {@code maxConnections} were open. */
    void rejected() {
        rejected.incrementAndGet();
    }

    /** How many connections are open now. */
    int active() {
        return active.get();
    }

    /** An immutable snapshot of every connection, oldest first. */
    List<EchoConnection> connections() {
        lock.lock();
        try {
            return List.copyOf(views);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code count} connections were accepted.
     *
     * @throws AssertionError naming how many of how many arrived in how long
     */
    List<EchoConnection> await(int count, Duration timeout) {
        Checks.atLeast(count, 1, "count");
        Checks.positiveOrZero(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (views.size() < count) {
                long left = deadline - System.nanoTime();
                if (stopped) {
                    throw new AssertionError(views.size() + " of " + count + " connections arrived before "
                            + serverName.get() + " was closed");
                }
                if (left <= 0) {
                    throw new AssertionError(views.size() + " of " + count + " connections arrived within "
                            + Durations.format(timeout) + " at " + serverName.get());
                }
                arrived.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
            return List.copyOf(views.subList(0, count));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + count + " connections at "
                    + serverName.get() + " (" + views.size() + " arrived)", e);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the counters. */
    EchoStats stats() {
        long received = 0;
        long sent = 0;
        int accepted;
        lock.lock();
        try {
            accepted = views.size();
            for (ConnectionView view : views) {
                received += view.bytesReceived();
                sent += view.bytesSent();
            }
        } finally {
            lock.unlock();
        }
        return new EchoStats(accepted, rejected.get(), active.get(), received, sent);
    }
}
