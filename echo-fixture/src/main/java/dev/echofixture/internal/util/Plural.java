package dev.echofixture.internal.util;

/**
 * Counts in messages: {@code 1 connection}, {@code 2 connections}, {@code 0 bytes}. Stateless;
 * any thread.
 */
public final class Plural {

    private Plural() {
    }

    /**
     * The count and the noun, in the plural unless the count is 1.
     *
     * @param count any count
     * @param noun  the singular, whose plural adds an {@code s} ({@code connection}, {@code byte}, {@code peer})
     * @return for example {@code "1 connection"} or {@code "3 connections"}
     */
    public static String of(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
