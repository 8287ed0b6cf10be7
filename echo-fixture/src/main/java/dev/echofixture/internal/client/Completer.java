package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.LazyLogger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;


/**
 * Completes an {@link EchoClient}'s send futures off its loop thread, one at a time and in the
 * order they were handed in.
 *
 * <p>Why: a future's non-async dependents ({@code thenApply}, {@code thenAccept}, ...) run on
 * the thread that completes it. Completing on the loop thread would let a user callback block
 * the client's I/O (or deadlock it with a {@code join()} on another send). So the loop thread
 * only queues the completion here; the completions run on the common {@link ForkJoinPool},
 * serially, so futures still complete in send order. The common pool is shared by every client
 * (and the rest of the JVM); where it has a single worker (two cores or fewer) a callback that
 * blocks delays other clients' completions too, which the javadoc of {@link EchoClient} tells
 * users (use the {@code *Async} variants with an executor of their own for blocking work).
 *
 * <p>Threads: {@link #complete}, {@link #fail} and {@link #awaitIdle} may be called from any
 * thread; the queue is guarded by {@code lock}.
 */
final class Completer {

    private static final LazyLogger LOG = new LazyLogger(Completer.class);
    private static final int BATCH = 64;

    private final Executor executor;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean scheduled; // guarded by lock
    private Thread runner; // guarded by lock

    Completer() {
        this(ForkJoinPool.commonPool());
    }

    Completer(Executor executor) {
        this.executor = executor;
    }

    <T> void complete(CompletableFuture<T> future, T value) {
        submit(() -> future.complete(value));
    }

    void fail(CompletableFuture<?> future, Throwable error) {
        submit(() -> future.completeExceptionally(error));
    }

    private void submit(Runnable completion) {
        synchronized (lock) {
            queue.add(completion);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        synchronized (lock) {
            runner = Thread.currentThread();
        }
        for (int i = 0; ; i++) {
            Runnable next;
            synchronized (lock) {
                next = i < BATCH ? queue.poll() : null;
                if (next == null) {
                    runner = null;
                    if (queue.isEmpty()) {
                        scheduled = false;
                        lock.notifyAll();
                        return;
                    }
                    break; // batch done: give the pool's thread back, continue in a new task
                }
            }
            try {
                next.run();
            } catch (Throwable e) { // a dependent stage of a user's future threw: not ours to handle
                LOG.get().debug("a completion callback threw", e);
            }
        }
        executor.execute(this::drain);
    }

    /**
     * Waits until every completion queued so far has run, at most {@code bound}. Returns at
     * once when called from a completion itself (waiting for ourselves would never end).
     *
     * @return whether the queue is idle
     */
    boolean awaitIdle(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + Durations.saturatedNanos(bound);
        synchronized (lock) {
            if (runner == Thread.currentThread()) {
                return false;
            }
            while (scheduled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
