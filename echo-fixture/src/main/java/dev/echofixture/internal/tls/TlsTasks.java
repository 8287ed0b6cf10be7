package dev.echofixture.internal.tls;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a TLS server's {@code SSLEngine} delegated tasks (a handshake's signature and key
 * agreement: most of its CPU) on threads of their own, so that handshakes do not stall the
 * loop's established connections. One thread per two processors (at least one: the other
 * half stays for the loops), named {@value #THREAD_NAME}, daemon, made on demand and ended
 * after a second without work.
 * {@link #close()} lets the running tasks finish and waits for the threads (at most 2 s): once
 * it returns, no thread of this server runs.
 *
 * <p>Thread-safe.
 */
public final class TlsTasks {

    static final String THREAD_NAME = "echo-fixture-tls-task";

    private final ThreadPoolExecutor pool;

    public TlsTasks() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new Daemons());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code tasks} on a task thread.
     *
     * @return {@code false} if the server is closing (nothing runs)
     */
    public boolean submit(Runnable tasks) {
        try {
            pool.execute(tasks);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Ends the threads once the running tasks finished (at most 2 s; queued ones are dropped). */
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads named {@value #THREAD_NAME}. */
    private static final class Daemons implements ThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        }
    }
}
