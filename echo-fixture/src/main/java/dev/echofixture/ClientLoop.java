package dev.echofixture;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selector thread of one {@link EchoClient}: a task queue, a selector, and the deadline its
 * {@link Handler} asks for.
 *
 * <p>Threads: the loop thread {@code echo-fixture-client-<n>} (a daemon) is the only one that
 * touches the selector's keys, the channel and the handler's state. Any other thread (the
 * caller of {@code send} or {@code close}) only calls {@link #execute(Runnable)}, which queues
 * the task and wakes the selector. {@link #run()} reads as the steps
 * {@code runTasks(); select(timeout); processReadyKeys(); fireDueTimers();} until the handler
 * calls {@link #stop()}; then the handler releases its channel, the selector is closed, and
 * tasks still queued run once more (so that sends racing with the stop fail rather than hang).
 * After that {@code execute} refuses new tasks.
 *
 * <p>This mirrors the server's event loop rules (STYLE point 7) for a single channel; the time-outs
 * are deadlines on this loop (System.nanoTime), never timer threads (point 9).
 */
final class ClientLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ClientLoop.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** No deadline: the loop selects until a key is ready or a task arrives. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    /** The channel logic the loop drives; every method runs on the loop thread. */
    interface Handler {
        /** Opens and registers the channel; called once, first. */
        void start(Selector selector) throws IOException;

        /** A registered key is ready. */
        void ready(SelectionKey key);

        /** Nanoseconds until the next deadline, {@code <= 0} if due, {@link #NO_DEADLINE} if none. */
        long nanosToDeadline(long now);

        /** The deadline passed. */
        void deadlinePassed(long now);

        /** The loop failed with an unexpected exception (a bug); fail everything. */
        void crashed(Throwable error);

        /** The loop ends: close the channel. Called once, last, before queued tasks are drained. */
        void loopEnding();
    }

    private final Handler handler;
    private final Selector selector;
    private final Thread thread;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private boolean refusing; // guarded by lock
    private boolean running = true; // loop thread only

    ClientLoop(Handler handler) throws IOException {
        this.handler = handler;
        this.selector = Selector.open();
        this.thread = new Thread(this, "echo-fixture-client-" + COUNTER.incrementAndGet());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String threadName() {
        return thread.getName();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Queues a task for the loop thread. Any thread.
     *
     * @return {@code false} if the loop has ended and the task will never run
     */
    boolean execute(Runnable task) {
        synchronized (lock) {
            if (refusing) {
                return false;
            }
            tasks.add(task);
        }
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
        return true;
    }

    /** Ends the loop after the current step. Loop thread only. */
    void stop() {
        running = false;
    }

    /**
     * Waits for the loop thread to end. Returns at once when called on the loop thread.
     *
     * @return whether the thread has ended
     */
    boolean join(Duration bound) throws InterruptedException {
        if (inLoop()) {
            return false;
        }
        thread.join(Math.max(1, bound.toMillis()));
        return !thread.isAlive();
    }

    @Override
    public void run() {
        try {
            handler.start(selector);
            while (running) {
                wakeupPending.set(false);
                runTasks();
                if (!running) {
                    break;
                }
                select();
                processReadyKeys();
                fireDueTimers();
            }
        } catch (Throwable e) {
            log.error("{}: unexpected failure, the client is closed", thread.getName(), e);
            handler.crashed(e);
        } finally {
            handler.loopEnding();
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("{}: closing the selector failed", thread.getName(), e);
            }
            drainAfterStop();
        }
    }

    private void runTasks() {
        for (;;) {
            Runnable task;
            synchronized (lock) {
                task = tasks.poll();
            }
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    private void select() throws IOException {
        long wait = handler.nanosToDeadline(System.nanoTime());
        if (wait <= 0) {
            selector.selectNow();
        } else if (wait == NO_DEADLINE) {
            selector.select();
        } else {
            selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
        }
    }

    private void processReadyKeys() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (key.isValid()) {
                handler.ready(key);
            }
        }
    }

    private void fireDueTimers() {
        long now = System.nanoTime();
        if (handler.nanosToDeadline(now) <= 0) {
            handler.deadlinePassed(now);
        }
    }

    private void drainAfterStop() {
        synchronized (lock) {
            refusing = true;
        }
        runTasks();
    }
}
