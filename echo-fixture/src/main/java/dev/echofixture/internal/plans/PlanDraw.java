package dev.echofixture.internal.plans;

/**
 * The fault plans' random numbers: a pure function of the seed, the connection index and the
 * byte offset, so that the same seed and the same client traffic give the same decisions. A
 * stream of its own (a salt of its own), apart from the jitter's.
 */
public final class PlanDraw {

    private static final long SALT = 0x5DEECE66DL * 0x9E3779B97F4A7C15L;

    private PlanDraw() {
    }

    /** A number in [0, 1) for this seed, connection index (0 for the first) and byte offset. */
    public static double uniform(long seed, int index, long offset) {
        long z = mix(seed ^ SALT);
        z = mix(z + 0x9E3779B97F4A7C15L * (index + 1L));
        z = mix(z + 0xBF58476D1CE4E5B9L * (offset + 1L));
        return (z >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
