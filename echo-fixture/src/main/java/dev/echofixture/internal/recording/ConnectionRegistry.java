package dev.echofixture.internal.recording;

import dev.echofixture.EchoConnection;
import dev.echofixture.EchoStats;
import dev.echofixture.TlsHandshake;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.LazyLogger;
import dev.echofixture.internal.util.Plural;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Every connection (UDP: every peer) a server accepted, oldest first, and the server's counters.
 * Transport-neutral: the TCP, UNIX and UDP servers all register through {@link #open}.
 *
 * <p>Thread-safe. The loop thread adds connections and updates counts; user threads read
 * snapshots and {@linkplain #await wait} for arrivals. The byte totals of {@link #stats()} are
 * the sums over the connection views (plus those of views forgotten by {@link #retainClosed}),
 * so the hot path updates only its own view's counters.
 */
public final class ConnectionRegistry {

    /** Hears of each connection's open and close, on the loop thread (the standalone endpoint logs them). */
    public interface Listener {
        /** A connection was accepted (UDP: a new peer). */
        void opened(ConnectionView connection);

        /** A connection was closed (UDP: a peer forgotten or closed). */
        void closed(ConnectionView connection);
    }

    private static final LazyLogger LOG = new LazyLogger(ConnectionRegistry.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ConnectionView> views = new ArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    private final int recordLimit;
    private final Supplier<String> serverName;
    private boolean stopped;
    private int accepted; // listed and forgotten; starts again at the open ones on clearRecording()
    private int nextIndex; // the next connection's index: never reset, it seeds the connection's jitter
    private int nextToTake; // takeConnection hands out the first listed connection with an index >= this
    private int taken; // handed out by takeConnection since the start or the last clearRecording()
    private int closedListed;
    private volatile int retainClosed = Integer.MAX_VALUE;
    private volatile Listener listener;
    private volatile long arrivals; // written by the loop thread only
    private long forgottenReceived;
    private long forgottenSent;

    /**
     * @param recordLimit bytes recorded per connection
     * @param serverName  names the server in time-out messages, for example its URI
     */
    public ConnectionRegistry(int recordLimit, Supplier<String> serverName) {
        this.recordLimit = recordLimit;
        this.serverName = serverName;
    }

    /**
     * Lists a new open connection and returns its view; the caller sets its
     * {@linkplain ConnectionView#actions actions} before handing it out. Loop thread only.
     */
    public ConnectionView open(SocketAddress remoteAddress, EventLoop loop, ConnectionView.Actions actions) {
        return open(remoteAddress, loop, actions, null);
    }

    /**
     * {@link #open(SocketAddress, EventLoop, ConnectionView.Actions)} for a TLS connection: its view
     * shows {@code tls} (the handshake started) from the moment it is listed.
     */
    public ConnectionView open(SocketAddress remoteAddress, EventLoop loop, ConnectionView.Actions actions, TlsHandshake tls) {
        return open(remoteAddress, loop, actions, tls, null);
    }

    /**
     * {@link #open(SocketAddress, EventLoop, ConnectionView.Actions, TlsHandshake)} with a fault
     * plan: {@code firstFault} gets the new connection's index and returns the entry its
     * {@link ConnectionView#faults()} starts with (or {@code null}), noted before anyone can see
     * the view.
     */
    public ConnectionView open(SocketAddress remoteAddress, EventLoop loop, ConnectionView.Actions actions, TlsHandshake tls,
                               IntFunction<String> firstFault) {
        ConnectionView view;
        lock.lock();
        try {
            view = new ConnectionView(this, nextIndex++, remoteAddress, recordLimit, loop).actions(actions);
            accepted++;
            if (tls != null) {
                view.tls(tls); // before anyone can see the view: awaitTls() right after awaitConnections() works
            }
            String fault = firstFault == null ? null : firstFault.apply(view.index());
            if (fault != null) {
                view.fault(fault);
            }
            views.add(view);
            active.incrementAndGet();
            arrivals++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        notify(view, true);
        return view;
    }

    /** Bytes recorded per connection (each way, for a proxied one). */
    int recordLimit() {
        return recordLimit;
    }

    /** Sets the one listener (or none); it hears of connections opened and closed from now on. */
    public void listener(Listener newListener) {
        this.listener = newListener;
    }

    /** Tells the listener; its failure is logged and goes no further (it never closes anything). */
    private void notify(ConnectionView view, boolean opened) {
        Listener l = listener;
        if (l == null) {
            return;
        }
        try {
            if (opened) {
                l.opened(view);
            } else {
                l.closed(view);
            }
        } catch (RuntimeException e) {
            LOG.get().warn("connection listener {} failed on {}", l, view, e);
        }
    }

    /** Called once per view by {@link ConnectionView#markClosed()}. */
    void closed(ConnectionView view) {
        active.decrementAndGet();
        notify(view, false);
        if (retainClosed == Integer.MAX_VALUE) {
            return;
        }
        lock.lock();
        try {
            closedListed++;
            if (closedListed > 2L * retainClosed) {
                forgetOldestClosed();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps at most about {@code max} closed connections listed (between {@code max} and twice
     * that), forgetting the oldest closed ones; their bytes stay in {@link #stats()}. For a
     * long-running standalone server only: by default every connection stays listed, as the
     * public contract says.
     */
    public void retainClosed(int max) {
        lock.lock();
        try {
            retainClosed = Checks.atLeast(max, 0, "retainClosed");
            closedListed = (int) views.stream().filter(v -> !v.isOpen()).count();
            if (closedListed > retainClosed) {
                forgetOldestClosed();
            }
        } finally {
            lock.unlock();
        }
    }

    private void forgetOldestClosed() {
        int toForget = closedListed - retainClosed;
        List<ConnectionView> kept = new ArrayList<>(views.size() - toForget);
        for (ConnectionView view : views) {
            if (toForget > 0 && !view.isOpen()) {
                toForget--;
                closedListed--;
                forgottenReceived += view.bytesReceived();
                forgottenSent += view.bytesSent();
            } else {
                kept.add(view);
            }
        }
        views.clear();
        views.addAll(kept);
    }

    /** The server stopped: no more connections will arrive; wakes every waiter. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Counts a connection turned away because {@code maxConnections} were open. */
    public void rejected() {
        rejected.incrementAndGet();
        arrivals++; // single writer: the loop thread
    }

    /**
     * How many connections the server has taken off its listening socket so far, listed or
     * rejected. Any thread; it changes on the loop thread only, and before that thread runs its
     * next queued task. A new client tells from it whether its connect may already have been
     * accepted (see {@code ClientSession}).
     */
    public long arrivals() {
        return arrivals;
    }

    /** How many connections are open now. */
    public int active() {
        return active.get();
    }

    /** An immutable snapshot of every connection, oldest first. */
    public List<EchoConnection> connections() {
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
    public List<EchoConnection> await(int count, Duration timeout) {
        Checks.atLeast(count, 1, "count");
        Checks.positiveOrZero(timeout, "timeout");
        long deadline = System.nanoTime() + Durations.saturatedNanos(timeout);
        lock.lock();
        try {
            while (accepted < count) {
                long left = deadline - System.nanoTime();
                if (stopped) {
                    throw new AssertionError(accepted + " of " + Plural.of(count, "connection") + " arrived before "
                            + serverName.get() + " was closed");
                }
                if (left <= 0) {
                    throw new AssertionError(accepted + " of " + Plural.of(count, "connection") + " arrived within "
                            + Durations.format(timeout) + " at " + serverName.get());
                }
                arrived.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
            return List.copyOf(views.subList(0, Math.min(count, views.size())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + Plural.of(count, "connection") + " at "
                    + serverName.get() + " (" + accepted + " arrived)", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next connection in accept order not handed out yet; waits for one.
     *
     * @throws AssertionError when none arrives in time or the server closes first
     */
    public EchoConnection take(Duration timeout) {
        Checks.positiveOrZero(timeout, "timeout");
        long deadline = System.nanoTime() + Durations.saturatedNanos(timeout);
        lock.lock();
        try {
            while (true) {
                ConnectionView next = firstUntaken();
                if (next != null) {
                    nextToTake = next.index() + 1;
                    taken++;
                    return next;
                }
                String sofar = " (" + Plural.of(accepted, "connection") + " accepted, " + taken + " taken)";
                if (stopped) {
                    throw new AssertionError("no connection to take arrived before " + serverName.get() + " was closed" + sofar);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no connection to take arrived within " + Durations.format(timeout) + " at "
                            + serverName.get() + sofar);
                }
                arrived.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting to take a connection at " + serverName.get(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The first listed view whose index is at least {@code nextToTake} (the list is in index order). Under the lock. */
    private ConnectionView firstUntaken() {
        int low = 0;
        int high = views.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (views.get(middle).index() < nextToTake) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low < views.size() ? views.get(low) : null;
    }

    /**
     * Forgets the closed connections and every byte recorded so far: closed connections leave
     * the list, the open ones stay with empty recordings and zero byte counts, the counters
     * start again (accepted: the open ones), and the ones not taken yet stay in line. Runs on
     * the loop thread, the single writer of the views' counts (or once the loop has ended).
     */
    public void clearRecording() {
        lock.lock();
        try {
            views.removeIf(view -> !view.isOpen());
            for (ConnectionView view : views) {
                view.clearRecording();
            }
            accepted = views.size();
            taken = 0;
            closedListed = 0;
            forgottenReceived = 0;
            forgottenSent = 0;
            rejected.set(0);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the counters. */
    public EchoStats stats() {
        long received;
        long sent;
        int acceptedNow;
        lock.lock();
        try {
            acceptedNow = accepted;
            received = forgottenReceived;
            sent = forgottenSent;
            for (ConnectionView view : views) {
                received += view.bytesReceived();
                sent += view.bytesSent();
            }
        } finally {
            lock.unlock();
        }
        return new EchoStats(acceptedNow, rejected.get(), active.get(), received, sent);
    }
}
