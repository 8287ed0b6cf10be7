package dev.echofixture.internal.loop;

import dev.echofixture.EchoClient;
import dev.echofixture.internal.util.LazyLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One selector thread: the sole owner of its {@link Selector}, of every {@link SelectionKey}
 * on it and of the state of every channel registered with it, from {@link #start()} until the
 * loop has shut down.
 *
 * <h2>Threads</h2>
 * The thread and the selector come from a {@link LoopCarrier}: a server's loop
 * ({@link #pooled}) runs on a pooled carrier, whose thread goes back to the pool (renamed
 * {@code echo-fixture-idle-<n>}, holding no channel) once the loop has shut down; a loop made
 * with the constructor (an {@link EchoClient}'s) has a thread of its own, which ends with it.
 * Either way, for one loop there is one thread, and nothing of the loop runs after
 * {@link #close()} has returned.
 * <ul>
 *   <li>The loop thread ({@code echo-fixture-loop-<port>}, {@code echo-fixture-loop-unix-<n>},
 *       or whatever name the owner gives it; always a daemon) runs
 *       {@link #register}, the {@link Handler}s, every task passed to {@link #execute} and every
 *       deadline from {@link #schedule}. Only it touches keys, interest ops and connection state.
 *       A server's loop also serves the clients made by its {@code newClient()}: their
 *       {@code ClientSession}s register on it like the server's own connections.</li>
 *   <li>Any other thread (the test's, a JUnit worker, a client's) may only call
 *       {@link #execute}, {@link #schedule}, {@link Deadlines.Deadline#cancel()},
 *       {@link #inLoop()} and {@link #close()}. {@code execute} queues the task and wakes the
 *       selector; the loop runs it on its next turn.</li>
 *   <li>A rejection callback of {@link #execute(Runnable, Runnable)} runs on the thread that
 *       called {@code execute} if the loop was already closing, else on the loop thread as it
 *       shuts down, after every {@link Handler#loopClosing()} (on the thread that closes a loop
 *       that never started, or that its carrier had not taken yet). So it touches only what is safe
 *       from any thread, or what no handler of the loop owns.</li>
 * </ul>
 *
 * <h2>One turn of the loop</h2>
 * {@code runTasks(); select(timeout); processReadyKeys(); fireDueDeadlines();} where the
 * time-out is 0 if tasks are waiting, else the time to the earliest deadline, else unbounded.
 *
 * <h2>Shutdown</h2>
 * {@link #close()} asks the loop to stop and waits (bounded) until it has. On its way out the
 * loop calls {@link Handler#loopClosing()} on every registered handler, closes every
 * registered channel, hands every task still queued to its rejection callback, forgets the
 * deadlines, and deregisters the closed channels from the selector (a pooled carrier keeps the
 * empty selector; a dedicated one closes it). So once {@code close()} has returned, every port
 * the loop held is free. If the carrier has not taken the loop yet when {@code close()} is
 * called (a loop closed right after it started, on a busy machine), the closing thread takes
 * it back and shuts it down itself, exactly as the loop thread would have.
 *
 * <p>The promise of {@link #execute(Runnable, Runnable)}: exactly one of the task and its
 * rejection callback runs, once, however the call races the shutdown. The caller adds the task,
 * then reads {@code closing}; the loop sets {@code closing}, then drains the queue. Both are
 * sequentially consistent (a volatile field and a {@link ConcurrentLinkedQueue}), so at least
 * one side sees the other: the loop's last drain finds the task and rejects it, or the caller
 * sees {@code closing} and takes the task back ({@code remove}: only one of the two wins) to
 * reject it itself.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * EventLoop loop = EventLoop.pooled("echo-fixture-loop-" + port);   // or new EventLoop(name): a thread of its own
 * loop.register(serverChannel, SelectionKey.OP_ACCEPT, acceptor);   // before start() or on the loop
 * loop.start();
 * loop.execute(() -> ..., () -> ...);                                // from any thread: runs, or is rejected
 * Deadlines.Deadline d = loop.schedule(System.nanoTime() + delay, task);
 * loop.close();                                                      // bounded; idempotent
 * }</pre>
 *
 * <p>How this part fits with the others, and a byte's path through them: {@code docs/DESIGN.md}.
 */
public final class EventLoop implements AutoCloseable {

    /** Reacts to readiness of one registered channel. Called on the loop thread only. */
    public interface Handler {
        /**
         * The channel is ready for {@code key.readyOps()}. Exceptions are logged and the
         * channel is closed.
         */
        void ready(SelectionKey key) throws IOException;

        /** The loop is shutting down; release what you hold. The loop closes the channel afterwards. */
        default void loopClosing() {
        }
    }

    /** A queued task and what runs instead if the loop shuts down first; equal only to itself. */
    private static final class Task {
        final Runnable task;
        final Runnable rejected;

        Task(Runnable task, Runnable rejected) {
            this.task = task;
            this.rejected = rejected;
        }
    }

    private static final Runnable NOTHING = new Runnable() { // not a lambda: the first start in a fresh JVM spins none
        @Override
        public void run() {
        }
    };

    /** Size of the read buffer shared by every handler of the loop. */
    public static final int READ_BUFFER_SIZE = 64 * 1024;
    private static final long CLOSE_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long CLOSE_WAIT_MILLIS = 800; // plus the fallback close: within a second in all
    private static final LazyLogger LOG = new LazyLogger(EventLoop.class);

    private final LoopCarrier carrier;
    private final Selector selector;
    private final String name;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Thread runner; // the thread that runs the loop now: the carrier's, or the closer's after a revoke
    private volatile boolean started;
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final Deadlines deadlines = new Deadlines();
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final Consumer<SelectionKey> onReady = new Consumer<>() { // one instance, not one per select; no lambda class
        @Override
        public void accept(SelectionKey key) {
            processReadyKey(key);
        }
    };
    private volatile boolean closing;

    /**
     * A loop with a thread of its own (a dedicated carrier), which ends with the loop: opens
     * the selector and creates (but does not start) the named daemon thread.
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    public EventLoop(String threadName) {
        this(threadName, LoopCarrier.dedicated());
    }

    private EventLoop(String threadName, LoopCarrier carrier) {
        this.name = threadName;
        this.carrier = carrier;
        this.selector = carrier.selector();
    }

    /**
     * A loop on a pooled carrier: an idle thread and selector, or new ones if none is idle.
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    public static EventLoop pooled(String threadName) {
        return new EventLoop(threadName, LoopCarrier.pooled());
    }

    /** Hands the loop to its carrier's thread, which takes the name given at construction. */
    public void start() {
        started = true;
        carrier.assign(this, name);
    }

    /** The loop thread's name. */
    public String name() {
        return name;
    }

    /** Whether the calling thread is this loop's thread. */
    boolean inLoop() {
        return Thread.currentThread() == runner;
    }

    /**
     * Registers a channel, switching it to non-blocking mode. Call it on the loop thread, or
     * before {@link #start()}; from other threads wrap it in {@link #execute}.
     */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        checkOwner();
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot switch " + channel + " to non-blocking mode", e);
        }
        return channel.register(selector, ops, handler);
    }

    /**
     * Runs the task on the loop thread, or, if the loop shuts down first, its rejection callback
     * instead: never both, never neither (see "Shutdown" above). From the loop thread it runs
     * the task at once; from another it queues the task for the loop's next turn.
     *
     * @param rejected runs instead of the task when the loop shuts down first: on the calling
     *                 thread if the loop is closing already, else on the loop thread on its way
     *                 out (after every {@link Handler#loopClosing()})
     */
    public void execute(Runnable task, Runnable rejected) {
        execute(task, rejected, true);
    }

    /**
     * {@link #execute(Runnable, Runnable)} without waking the loop: the task runs at the loop's
     * next turn, whenever something else wakes it (readiness of one of its channels, a deadline,
     * another task). For work that can wait that long and saves a wake-up (a system call, and a
     * thread switch when the loop sleeps) where the caller knows one is coming anyway, such as a
     * client's registration right after its connect made the server's socket ready to accept.
     * The same promise: the task runs, or its rejection callback does.
     */
    public void executeWithoutWakeup(Runnable task, Runnable rejected) {
        execute(task, rejected, false);
    }

    /** Wakes the loop if it sleeps (or is about to), so that it runs a task queued without waking it. Any thread. */
    public void wakeup() {
        if (awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    private void execute(Runnable task, Runnable rejected, boolean wakeup) {
        if (inLoop()) {
            task.run();
            return;
        }
        Task queued = new Task(task, rejected);
        if (!closing) {
            tasks.add(queued);
            if (!closing || !tasks.remove(queued)) { // closing meanwhile: the loop's last drain rejects it, or we do
                if (wakeup) {
                    wakeup();
                }
                return;
            }
        }
        reject(queued);
    }

    /** {@link #execute(Runnable, Runnable)} for a task that may simply not run when the loop shuts down first. */
    public void execute(Runnable task) {
        execute(task, NOTHING);
    }

    /**
     * Runs the task on the loop thread at {@code deadlineNanos} ({@link System#nanoTime()}
     * scale), or as soon as possible after it. Any thread; from another thread the deadline is
     * added through {@link #execute}.
     *
     * @return a handle whose {@link Deadlines.Deadline#cancel()} may be called from any thread
     */
    public Deadlines.Deadline schedule(long deadlineNanos, Runnable task) {
        if (inLoop() || !started) {
            return deadlines.add(deadlineNanos, task);
        }
        Deadlines.Deadline deadline = new Deadlines.Deadline(deadlineNanos, task);
        execute(() -> deadlines.add(deadline));
        return deadline;
    }

    /**
     * Whether the loop is shutting down or has shut down: asked to close, or stopped by an
     * unexpected error. Any thread.
     */
    public boolean isShutDown() {
        return closing;
    }

    /**
     * The read buffer shared by every handler of this loop: loop thread only, cleared before each
     * use. It belongs to the carrier, so the loops that a pooled carrier runs one after the other
     * share one.
     */
    public ByteBuffer readBuffer() {
        return carrier.readBuffer();
    }

    /**
     * Stops the loop: closes every registered channel and waits (up to about a second) until the
     * loop has let go of them, so their ports are free; a dedicated carrier's thread has ended
     * then too. Idempotent. Called on the loop thread itself it only asks the loop to stop after
     * the current turn.
     */
    @Override
    public void close() {
        boolean first = closeRequested.compareAndSet(false, true);
        if (first) {
            closing = true;
            selector.wakeup();
        }
        if (!started || (first && carrier.revoke(this))) {
            if (first) {
                shutdownHere(); // never started, or not taken by the carrier yet: release the channels here
            }
            return;
        }
        if (inLoop()) {
            return; // the loop shuts down after the current turn
        }
        if (!awaitEnd()) {
            LOG.get().warn("{} did not stop within {} ms; closing its channels from {}",
                    name, CLOSE_WAIT_MILLIS, Thread.currentThread().getName());
            closeChannels();
            carrier.abandon();
        }
    }

    /** Waits (bounded) until the loop has shut down; a dedicated carrier's thread has ended too. */
    private boolean awaitEnd() {
        try {
            if (!carrier.isPooled()) {
                carrier.thread().join(CLOSE_WAIT_MILLIS);
                return !carrier.thread().isAlive();
            }
            // the loop usually ends soon after its wake-up: yield for that long before parking,
            // so that a close does not also pay for waking the closer (docs/DESIGN.md, "First
            // start"); yielding, not spinning, leaves the CPU to the loop's thread when both
            // share one
            long yieldUntil = System.nanoTime() + CLOSE_YIELD_NANOS;
            while (ended.getCount() != 0 && System.nanoTime() - yieldUntil < 0) {
                Thread.yield();
            }
            return ended.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.getCount() == 0;
        }
    }

    /** The carrier's thread runs the loop until it shuts down; then the carrier is free again. */
    void runOnCarrier() {
        runner = Thread.currentThread();
        try {
            run();
        } finally {
            finishShutdown();
        }
    }

    private void shutdownHere() {
        runner = Thread.currentThread();
        try {
            shutdown();
        } finally {
            finishShutdown();
        }
    }

    private void finishShutdown() {
        runner = null;
        carrier.loopEnded(); // deregisters the closed channels (the ports are free), then frees the carrier
        ended.countDown();
    }

    private void run() {
        try {
            while (!closing) {
                runTasks();
                select();
                if (closing) {
                    break;
                }
                fireDueDeadlines();
            }
        } catch (Throwable e) {
            LOG.get().error("{} stopped by an unexpected error; closing its channels", name, e);
        } finally {
            shutdown();
        }
    }

    private void runTasks() {
        Task next;
        int budget = 1024;
        while (budget-- > 0 && (next = tasks.poll()) != null) {
            try {
                next.task.run();
            } catch (RuntimeException e) {
                LOG.get().warn("{}: task {} failed", name, next.task, e);
            }
        }
    }

    private void reject(Task queued) {
        try {
            queued.rejected.run();
        } catch (RuntimeException e) {
            LOG.get().warn("{}: rejection of task {} failed", name, queued.task, e);
        }
    }

    private void select() throws IOException {
        awake.set(false);
        if (!tasks.isEmpty()) {
            selector.selectNow(onReady);
        } else {
            long nanos = deadlines.nanosUntilNext(System.nanoTime());
            if (nanos == 0) {
                selector.selectNow(onReady);
            } else if (nanos < 0) {
                selector.select(onReady);
            } else {
                selector.select(onReady, Math.max(1, (nanos + 999_999) / 1_000_000));
            }
        }
        awake.set(true);
    }

    private void processReadyKey(SelectionKey key) {
        if (closing) {
            return;
        }
        Handler handler = (Handler) key.attachment();
        try {
            handler.ready(key);
        } catch (IOException | RuntimeException e) {
            LOG.get().warn("{}: closing {} after an error its handler did not handle", name, key.channel(), e);
            key.cancel();
            closeQuietly(key.channel());
        }
    }

    private void fireDueDeadlines() {
        deadlines.fireDue(System.nanoTime(),
                (task, e) -> LOG.get().warn("{}: deadline task {} failed", name, task, e));
    }

    private void shutdown() {
        closing = true;
        List<SelectionKey> keys;
        try {
            keys = new ArrayList<>(selector.keys());
        } catch (RuntimeException e) { // ClosedSelectorException
            keys = List.of();
        }
        for (SelectionKey key : keys) {
            try {
                ((Handler) key.attachment()).loopClosing();
            } catch (RuntimeException e) {
                LOG.get().warn("{}: handler {} failed to close", name, key.attachment(), e);
            }
        }
        closeChannels();
        for (Task queued; (queued = tasks.poll()) != null; ) {
            reject(queued);
        }
        deadlines.clear();
    }

    /** Closes every registered channel; the carrier deregisters them afterwards, which frees their ports. */
    private void closeChannels() {
        try {
            for (SelectionKey key : new ArrayList<>(selector.keys())) {
                closeQuietly(key.channel());
            }
        } catch (RuntimeException e) {
            // the selector is already closed: so are its channels' registrations
        }
    }

    private void checkOwner() {
        if (!inLoop() && started) {
            throw new IllegalStateException("register() must run on " + name + " (use execute())");
        }
    }

    public static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.get().debug("closing {} failed", closeable, e);
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + (closing ? ", closed" : "") + "]";
    }
}
