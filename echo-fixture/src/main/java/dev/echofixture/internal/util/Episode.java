package dev.echofixture.internal.util;

/**
 * Counts a repeated failure (or rejection) from its first occurrence until things work again,
 * so that it is logged once per episode, with a count, instead of once per occurrence: a
 * server out of file descriptors retries its accept every 100 ms, and a full UDP server
 * may drop thousands of datagrams a second. Owned by one thread (the loop's).
 *
 * <p>An episode ends either at once ({@link #end()}), or, for a failure that flaps (an endpoint
 * at its descriptor limit fails, accepts one, fails again), once things have worked for a
 * while without a failure: {@link #succeeded(long)} starts that quiet period, an occurrence
 * cancels it, and {@link #endIfSettled(long)} ends the episode when it has lasted
 * {@code settleNanos}.
 */
public final class Episode {

    private final long settleNanos;
    private long count;
    private long startedAt;
    private boolean settling;
    private long settlingSince;
    private long endedCount;
    private long endedMillis;

    /** An episode that ends only by {@link #end()}. */
    public Episode() {
        this(0);
    }

    /**
     * @param settleNanos how long things must have worked, without a failure, before
     *                    {@link #endIfSettled(long)} ends the episode
     */
    public Episode(long settleNanos) {
        this.settleNanos = settleNanos;
    }

    /**
     * Counts one occurrence; during a quiet period it cancels it (the episode goes on).
     *
     * @param now {@link System#nanoTime()}
     * @return {@code true} if it starts an episode: the caller logs it
     */
    public boolean occurred(long now) {
        settling = false;
        if (count++ == 0) {
            startedAt = now;
            return true;
        }
        return false;
    }

    /**
     * Notes that things work again: a success, or a retry that resumed without failing. During
     * an episode, the first one after a failure starts a quiet period that
     * {@link #endIfSettled(long)} ends the episode after.
     *
     * @param now {@link System#nanoTime()}
     * @return {@code true} if it started a quiet period: the caller checks back at {@link #settlesAt()}
     */
    public boolean succeeded(long now) {
        if (count == 0 || settling) {
            return false;
        }
        settling = true;
        settlingSince = now;
        return true;
    }

    /** Whether a quiet period is going on: it worked after the last failure. */
    public boolean isSettling() {
        return settling;
    }

    /** When the quiet period going on ends the episode ({@link System#nanoTime()} time). */
    public long settlesAt() {
        return settlingSince + settleNanos;
    }

    /**
     * Ends the episode if things have worked for {@code settleNanos} since the last failure.
     *
     * @param now {@link System#nanoTime()}
     * @return {@code true} if it ended now: the caller logs the end, with {@link #endedCount()}
     *         and {@link #endedMillis()}
     */
    public boolean endIfSettled(long now) {
        if (count == 0 || !settling || now - settlingSince < settleNanos) {
            return false;
        }
        endedCount = count;
        endedMillis = (settlingSince - startedAt) / 1_000_000L;
        end();
        return true;
    }

    /** How many occurred in the episode that {@link #endIfSettled(long)} ended last. */
    public long endedCount() {
        return endedCount;
    }

    /**
     * How long the episode that {@link #endIfSettled(long)} ended last lasted, in milliseconds:
     * from its first failure to the success that began its quiet period.
     */
    public long endedMillis() {
        return endedMillis;
    }

    /** Whether an episode is going on. */
    public boolean isOngoing() {
        return count > 0;
    }

    /** How many occurred in the episode going on, 0 if none. */
    public long count() {
        return count;
    }

    /** How long the episode going on has lasted, in milliseconds. */
    public long millisSinceStart(long now) {
        return (now - startedAt) / 1_000_000L;
    }

    /** Ends the episode; the next occurrence starts a new one. */
    public void end() {
        count = 0;
        settling = false;
    }
}
