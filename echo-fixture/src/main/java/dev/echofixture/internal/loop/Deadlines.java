package dev.echofixture.internal.loop;

import java.util.PriorityQueue;

/**
 * The single monotonic deadline queue of one {@link EventLoop}: latency release times,
 * bandwidth refills, idle time-outs and any other timer of the loop's channels. Its earliest
 * deadline sets the loop's {@code select} time-out.
 *
 * <p>Owned by the loop thread: only that thread adds, polls and fires deadlines. A
 * {@link Deadline} may be {@linkplain Deadline#cancel() cancelled} from any thread; a
 * cancelled deadline drops its task at once (so it keeps nothing alive) but stays in the queue
 * until it comes due and is then skipped. Deadlines
 * with the same time fire in the order they were scheduled, which keeps delayed echoes in order.
 */
public final class Deadlines {

    private final PriorityQueue<Deadline> queue = new PriorityQueue<>();
    private long sequence;

    /** Adds a task that runs at {@code deadlineNanos} ({@link System#nanoTime()} scale). Loop thread only. */
    Deadline add(long deadlineNanos, Runnable task) {
        return add(new Deadline(deadlineNanos, task));
    }

    /** Queues a deadline created on any thread. Loop thread only. */
    Deadline add(Deadline deadline) {
        if (!deadline.cancelled) {
            deadline.sequence = sequence++;
            queue.add(deadline);
        }
        return deadline;
    }

    /**
     * Nanoseconds until the earliest live deadline, 0 if one is due, or {@code -1} if there is none.
     */
    long nanosUntilNext(long now) {
        Deadline head;
        while ((head = queue.peek()) != null && head.cancelled) {
            queue.poll();
        }
        if (head == null) {
            return -1;
        }
        return Math.max(0, head.deadlineNanos - now);
    }

    /**
     * Runs every deadline that is due at {@code now}, earliest first; a task that throws is
     * reported to {@code onError} and does not stop the others. Deadlines added by the tasks
     * themselves run in a later turn unless already due.
     */
    void fireDue(long now, java.util.function.BiConsumer<Runnable, RuntimeException> onError) {
        int budget = queue.size();
        Deadline head;
        while (budget-- > 0 && (head = queue.peek()) != null && head.deadlineNanos - now <= 0) {
            queue.poll();
            if (head.cancelled) {
                continue;
            }
            Runnable task = head.task;
            head.cancelled = true; // fired: a later cancel() is a no-op
            head.task = null;
            if (task == null) {
                continue; // cancelled meanwhile from another thread
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                onError.accept(task, e);
            }
        }
    }

    /** Forgets every deadline (the loop is shutting down). */
    void clear() {
        for (Deadline deadline; (deadline = queue.poll()) != null; ) { // no lambda: runs on every server's close
            deadline.cancel();
        }
    }

    int size() {
        return queue.size();
    }

    /** One scheduled task; {@link #cancel()} is thread-safe and idempotent. */
    public static final class Deadline implements Comparable<Deadline> {
        public final long deadlineNanos;
        private volatile Runnable task; // dropped on cancel: a cancelled deadline holds on to nothing
        private long sequence;
        private volatile boolean cancelled;

        /** A deadline not queued yet; see {@link Deadlines#add(Deadline)}. */
        Deadline(long deadlineNanos, Runnable task) {
            this.deadlineNanos = deadlineNanos;
            this.task = task;
        }

        /** Makes sure the task will not run (if it has not run yet). Any thread. */
        public void cancel() {
            cancelled = true;
            task = null;
        }

        /** Whether the task was cancelled or has already run. */
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public int compareTo(Deadline other) {
            int byTime = Long.compare(deadlineNanos - other.deadlineNanos, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
