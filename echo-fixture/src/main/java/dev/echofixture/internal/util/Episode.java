package dev.echofixture.internal.util;

/**
 * Counts a repeated failure (or rejection) from its first occurrence until things work again,
 * so that it is logged once per episode, with a count, instead of once per occurrence: a
 * server out of file descriptors retries its accept every 100 ms, and a full UDP server
 * may drop thousands of datagrams a second. Owned by one thread (the loop's).
 */
public final class Episode {

    private long count;
    private long startedAt;

    /**
     * Counts one occurrence.
     *
     * @param now {@link System#nanoTime()}
     * @return {@code true} if it starts an episode: the caller logs it
     */
    public boolean occurred(long now) {
        if (count++ == 0) {
            startedAt = now;
            return true;
        }
        return false;
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
    }
}
