package dev.echofixture.internal.loop;

import dev.echofixture.EchoClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread and the selector that run one {@link EventLoop} at a time.
 *
 * <p>Servers do not start a thread each (docs/DESIGN.md, "First start"): {@link #pooled()} hands out an idle carrier (the one idle the shortest
 * time) or makes a new one. When its loop has shut down, and every channel of it is closed and
 * deregistered (so its ports are free), a pooled carrier renames its thread
 * {@code echo-fixture-idle-<n>} and goes back to the pool, keeping its thread and its empty
 * selector for the next loop; after {@value #IDLE_SECONDS} s without one, the thread ends and
 * the selector is closed. A {@link #dedicated()} carrier (an {@link EchoClient}'s own loop)
 * runs one loop and then ends its thread, as a plain thread would.
 *
 * <h2>Handing over a loop</h2>
 * The owner of an {@link EventLoop} registers its channels on {@link #selector()} while the
 * carrier is idle, then {@link #assign}s the loop. The carrier thread takes it, and from then on
 * only that thread touches the selector until the loop has ended. Until the carrier has taken
 * it, the owner may {@link #revoke} the loop (a server closed right after it started, typically
 * on a busy machine) and shut it down on its own thread: exactly one of the two takes it.
 *
 * <p>Thread-safe: the pool is guarded by its lock, the hand-over by an atomic slot.
 */
final class LoopCarrier {

    /** How long an idle pooled carrier waits for a loop before its thread ends. */
    static final int IDLE_SECONDS = 2;
    static final String IDLE_NAME_PREFIX = "echo-fixture-idle-";
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
    private static final Object TAKEN = new Object();
    private static final Object RETIRED = new Object();
    private static final ArrayDeque<LoopCarrier> IDLE = new ArrayDeque<>(); // guarded by itself; last in, first out
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final Selector selector;
    private final Thread thread;
    private final boolean pooled;
    private final String idleName;
    /** null (nothing to do), an assigned {@link EventLoop}, {@link #TAKEN} or {@link #RETIRED}. */
    private final AtomicReference<Object> slot = new AtomicReference<>();
    private ByteBuffer readBuffer; // touched only by the thread that runs the current loop
    private boolean started; // touched only by the carrier's current owner; the pool's lock orders owners
    private long idleSince; // guarded by IDLE

    private LoopCarrier(boolean pooled) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
        }
        this.pooled = pooled;
        this.idleName = IDLE_NAME_PREFIX + NUMBERS.incrementAndGet();
        // an inner class, not this::work: no lambda on the start path (docs/DESIGN.md, "First start")
        this.thread = new Thread(new Runnable() {
            @Override
            public void run() {
                work();
            }
        }, idleName);
        thread.setDaemon(true);
    }

    /**
     * An idle pooled carrier, or a new one (its thread starts with its first loop).
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    static LoopCarrier pooled() {
        synchronized (IDLE) {
            LoopCarrier idle = IDLE.pollLast();
            if (idle != null) {
                return idle;
            }
        }
        return new LoopCarrier(true);
    }

    /** A carrier for one loop, whose thread ends with it. */
    static LoopCarrier dedicated() {
        return new LoopCarrier(false);
    }

    Selector selector() {
        return selector;
    }

    Thread thread() {
        return thread;
    }

    boolean isPooled() {
        return pooled;
    }

    /**
     * The read buffer of the loop this carrier runs (see {@link EventLoop#readBuffer()}),
     * allocated on first use: a server that never reads starts faster, and the loops a pooled
     * carrier runs one after the other share one.
     */
    ByteBuffer readBuffer() {
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(EventLoop.READ_BUFFER_SIZE);
        }
        return readBuffer;
    }

    /**
     * Names the thread for the loop and hands the loop over; the carrier's thread runs
     * {@link EventLoop#runOnCarrier()} as soon as it gets to it. Called once per loop, by the
     * owner of the carrier.
     */
    void assign(EventLoop loop, String threadName) {
        thread.setName(threadName);
        slot.set(loop);
        if (!started) {
            started = true;
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Takes back an assigned loop that the carrier has not taken yet.
     *
     * @return {@code true} if the caller now owns the loop and the selector again; {@code false}
     *         if the carrier's thread runs (or ran) the loop
     */
    boolean revoke(EventLoop loop) {
        return pooled && slot.compareAndSet(loop, null);
    }

    /**
     * After a loop has shut down and every channel of it is closed: deregisters the closed
     * channels (which frees their ports) and, for a pooled carrier with a healthy selector,
     * renames the thread and puts the carrier back in the pool. Called by whoever ran the
     * loop's shutdown: the carrier thread, or the owner after {@link #revoke}. A dedicated
     * carrier, or one whose selector failed, closes its selector instead (which also frees the
     * ports) and its thread ends.
     */
    void loopEnded() {
        boolean reusable = pooled && flush();
        if (!reusable) {
            closeSelector();
            slot.set(RETIRED);
            LockSupport.unpark(thread);
            return;
        }
        thread.setName(idleName);
        if (Thread.currentThread() == thread) {
            slot.set(null);
        }
        synchronized (IDLE) {
            idleSince = System.nanoTime();
            IDLE.addLast(this);
        }
    }

    /** Closes the selector after a loop failed to stop in time; the carrier is never used again. */
    void abandon() {
        closeSelector();
        slot.set(RETIRED);
        LockSupport.unpark(thread);
    }

    /** Processes the cancelled keys of closed channels, so they are really closed; true if the selector is clean. */
    private boolean flush() {
        try {
            selector.selectNow(); // deregisters cancelled keys and closes their channels' sockets
            return selector.keys().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void closeSelector() {
        try {
            selector.close(); // deregisters everything left, which closes the channels' sockets
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private void work() {
        try {
            Object next;
            while ((next = awaitLoop()) != null) {
                ((EventLoop) next).runOnCarrier();
            }
        } finally {
            closeSelector();
        }
    }

    /** Waits for the next loop; {@code null} once this carrier has retired (idle too long, or not reusable). */
    private Object awaitLoop() {
        while (true) {
            Object next = slot.get();
            if (next == RETIRED) {
                return null;
            }
            if (next instanceof EventLoop && slot.compareAndSet(next, TAKEN)) {
                return next;
            }
            if (next == null && pooled && retireIfIdleTooLong()) {
                return null;
            }
            LockSupport.parkNanos(this, IDLE_NANOS / 4);
        }
    }

    private boolean retireIfIdleTooLong() {
        synchronized (IDLE) {
            if (System.nanoTime() - idleSince < IDLE_NANOS || !IDLE.contains(this)) {
                return false; // not idle long enough, or handed out and about to be assigned
            }
            IDLE.remove(this);
            slot.set(RETIRED);
            return true;
        }
    }

    @Override
    public String toString() {
        return "LoopCarrier[" + thread.getName() + (pooled ? ", pooled" : ", dedicated") + "]";
    }
}
