package dev.echofixture.internal.conditions;

import dev.echofixture.EchoBehavior;
import java.util.SplittableRandom;

/**
 * The timing of one connection's (or UDP peer's) echo under its behaviour: when each chunk or
 * datagram read may go out (latency plus jitter, never before the one ahead of it), how many
 * bytes may be written now (chunk size and bandwidth), and when to try again when nothing may.
 *
 * <h2>Jitter and the seed</h2>
 * Connection number {@code i} of a server (0 for the first accepted) draws its jitter from its
 * own {@code new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L))}, one draw of
 * {@code 0..jitter} nanoseconds per chunk read while jitter is set. So the same seed and the
 * same traffic (the same chunks read on each connection) give the same delays, whatever the
 * other connections do.
 *
 * <h2>Chunk size</h2>
 * Each write is at most {@code chunkSize} bytes, and the next write follows at least
 * {@link #CHUNK_GAP_NANOS} (1 ms) later, so that even a fast reader sees short reads. This also
 * caps the rate at {@code chunkSize} bytes per millisecond.
 *
 * <h2>Bandwidth</h2>
 * One {@link TokenBucket} per connection or peer, refilled continuously at the rate; it holds at
 * most a tenth of a second's worth of bytes (at least 1) and starts full. A stream write takes at
 * most what it holds; when it is empty the connection schedules a deadline at the time enough
 * tokens will be there. A datagram goes whole once the bucket holds it (or is full, for one
 * larger than that), which may leave the bucket in debt for the next one.
 *
 * <p>Owned by the connection's loop thread.
 *
 * <p>How this part fits with the others, and a byte's path through them: {@code docs/DESIGN.md}.
 */
public final class Pacer {

    /** The pause between two writes under a {@code chunkSize}. */
    static final long CHUNK_GAP_NANOS = 1_000_000L;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final SplittableRandom random;
    private final TokenBucket bucket = new TokenBucket();
    private long lastReleaseAt;
    private boolean released;
    private long nextChunkAt;
    private boolean chunkWritten;
    private long retryAt;

    public Pacer(long seed, int connectionIndex) {
        this.random = new SplittableRandom(seed ^ (connectionIndex * GOLDEN_GAMMA));
    }

    /** The random extra delay of the next chunk, 0..jitter nanoseconds. */
    public long drawJitter(long jitterNanos) {
        return jitterNanos <= 0 ? 0 : random.nextLong(jitterNanos + 1);
    }

    /**
     * When a chunk that arrived at {@code arrivedAt} may go out: after its latency and jitter,
     * and never before the chunk ahead of it.
     */
    public long releaseAt(EchoBehavior behavior, long arrivedAt) {
        long at = arrivedAt + behavior.latency().toNanos() + drawJitter(behavior.jitter().toNanos());
        if (released && at - lastReleaseAt < 0) {
            at = lastReleaseAt;
        }
        lastReleaseAt = at;
        released = true;
        return at;
    }

    /**
     * How many bytes a behaviour echoes before it ends the connection: the smaller of
     * {@code closeAfter} and {@code resetAfter} that is set (on a tie the reset wins, as the
     * caller decides by comparing with {@code resetAfter}), or -1 for never.
     *
     * @param behavior the behaviour
     * @return the byte count, or -1
     */
    public static long limitOf(EchoBehavior behavior) {
        long close = behavior.closeAfter();
        long reset = behavior.resetAfter();
        if (close < 0) {
            return reset;
        }
        return reset < 0 ? close : Math.min(close, reset);
    }

    /**
     * How many bytes of the head chunk may be written at {@code now}; 0 if none may, and then
     * {@link #retryAt()} says when to try again.
     */
    public int writable(OutboundBuffer.Chunk head, long now) {
        if (head.releaseAt != OutboundBuffer.NOW && head.releaseAt - now > 0) {
            retryAt = head.releaseAt;
            return 0;
        }
        EchoBehavior behavior = head.behavior;
        int allowed = head.data.remaining();
        if (behavior.chunkSize() > 0) {
            if (chunkWritten && nextChunkAt - now > 0) {
                retryAt = nextChunkAt;
                return 0;
            }
            allowed = Math.min(allowed, behavior.chunkSize());
        }
        long bandwidth = behavior.bandwidth();
        if (bandwidth > 0) {
            long tokens = bucket.available(bandwidth, now);
            if (tokens < 1) {
                retryAt = Math.max(now + 1, bucket.availableAt(bandwidth, allowed, now));
                return 0;
            }
            allowed = (int) Math.min(allowed, tokens);
        }
        return allowed;
    }

    /** Accounts a write of {@code bytes} from the head chunk at {@code now}. */
    public void wrote(OutboundBuffer.Chunk head, int bytes, long now) {
        if (head.behavior.bandwidth() > 0) {
            bucket.take(head.behavior.bandwidth(), bytes, now);
        }
        if (head.behavior.chunkSize() > 0) {
            chunkWritten = true;
            nextChunkAt = now + CHUNK_GAP_NANOS;
        }
    }

    /** When to try again after {@link #writable} returned 0. */
    public long retryAt() {
        return retryAt;
    }

    /**
     * When a whole datagram of {@code length} bytes, released at {@code releaseAt}, may go out
     * under {@code bandwidth} (0: unlimited): at its release time, or once the bucket holds it.
     */
    public long datagramSendTime(long releaseAt, int length, long bandwidth, long now) {
        long at = releaseAt - now > 0 ? releaseAt : now;
        if (bandwidth <= 0) {
            return at;
        }
        long free = bucket.availableAt(bandwidth, length, now);
        return free - at > 0 ? free : at;
    }

    /** Accounts a datagram of {@code length} bytes sent at {@code now}. */
    public void datagramSent(int length, long bandwidth, long now) {
        if (bandwidth > 0) {
            bucket.take(bandwidth, length, now);
        }
    }
}
