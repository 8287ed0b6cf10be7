package dev.echofixture.internal.conditions;

/**
 * The bandwidth limit of one connection or UDP peer: a token bucket of bytes, refilled
 * continuously at the rate, holding at most {@link #burst} (a tenth of a second's worth, at
 * least 1 byte), full at the start and again whenever the rate changes.
 *
 * <p>It is kept as the time it will be full again ({@code fullAt}, {@link System#nanoTime()}
 * scale), so it needs no refill step and may go into debt: a stream write takes at most what
 * the bucket holds ({@link #available}), but a UDP datagram is never split, so it may take more,
 * and whatever follows waits the debt out. The long-term rate holds either way.
 *
 * <p>Owned by the loop thread of its connection or peer.
 */
final class TokenBucket {

    private long rate; // bytes per second; 0 until first used
    private long fullAt;

    /** A tenth of a second's worth of bytes at {@code bytesPerSecond}, at least 1. */
    static long burst(long bytesPerSecond) {
        return Math.max(1, bytesPerSecond / 10);
    }

    /** The whole bytes the bucket holds at {@code now}: at most {@link #burst}, 0 while in debt. */
    long available(long bytesPerSecond, long now) {
        use(bytesPerSecond, now);
        long burst = burst(bytesPerSecond);
        long refilling = fullAt - now;
        if (refilling <= 0) {
            return burst;
        }
        double missing = refilling * (double) bytesPerSecond / 1_000_000_000.0;
        return Math.max(0, burst - (long) Math.ceil(missing));
    }

    /**
     * When the bucket will hold {@code wanted} bytes (at least 1, at most a full bucket):
     * {@code now} if it does already.
     */
    long availableAt(long bytesPerSecond, long wanted, long now) {
        use(bytesPerSecond, now);
        long burst = burst(bytesPerSecond);
        long at = fullAt - nanos(burst - Math.min(Math.max(wanted, 1), burst), bytesPerSecond);
        return at - now > 0 ? at : now;
    }

    /** Takes {@code bytes} out at {@code now}; more than the bucket holds leaves it in debt. */
    void take(long bytesPerSecond, long bytes, long now) {
        use(bytesPerSecond, now);
        fullAt = (fullAt - now > 0 ? fullAt : now) + nanos(bytes, bytesPerSecond);
    }

    private void use(long bytesPerSecond, long now) {
        if (bytesPerSecond != rate) { // a new rate starts with a full bucket
            rate = bytesPerSecond;
            fullAt = now;
        }
    }

    private static long nanos(long bytes, long bytesPerSecond) {
        return bytes <= Long.MAX_VALUE / 1_000_000_000L
                ? bytes * 1_000_000_000L / bytesPerSecond
                : (long) (bytes * 1_000_000_000.0 / bytesPerSecond);
    }
}
