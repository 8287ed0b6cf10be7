package dev.echofixture.internal.faults;

/**
 * The random numbers of faults: a pure function of the seed, the connection's index, what is
 * decided (a salt per kind of fault) and the position (a byte offset or a datagram index). So a
 * fault replays from the seed whatever the reads' sizes and timing were, and it draws nothing
 * from jitter's stream, which stays as it was.
 */
public final class FaultDice {

    /** What is decided; each kind has a stream of its own. */
    public static final long LOSS = 0x4C4F5353L;
    public static final long DUPLICATION = 0x44555055L;
    public static final long REORDERING = 0x52454F52L;
    public static final long CORRUPTION = 0x434F5252L;
    public static final long RANDOM_DATA = 0x52414E44L;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private FaultDice() {
    }

    /** 64 random bits for this position. */
    public static long bits(long seed, int connection, long kind, long position) {
        long z = seed;
        z = mix(z + GOLDEN_GAMMA * (connection + 1L));
        z = mix(z ^ kind);
        return mix(z + GOLDEN_GAMMA * (position + 1));
    }

    /** Whether the event of probability {@code rate} happens at this position. */
    public static boolean happens(double rate, long seed, int connection, long kind, long position) {
        if (rate <= 0) {
            return false;
        }
        if (rate >= 1) {
            return true;
        }
        return (bits(seed, connection, kind, position) >>> 11) * 0x1.0p-53 < rate;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
