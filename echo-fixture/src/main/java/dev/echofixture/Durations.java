package dev.echofixture;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses and formats the short duration form used in {@code toString()} and on the command
 * line: {@code 250us}, {@code 50ms}, {@code 2s}, {@code 1m}; a bare number means milliseconds.
 */
final class Durations {

    private Durations() {
    }

    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /**
     * Parses {@code 50ms}, {@code 2s}, {@code 1m}, {@code 250us}, {@code 100ns} or a bare number of
     * milliseconds.
     *
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    static Duration parse(String text, String name) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 15) {
            throw bad(text, name);
        }
        long amount = Long.parseLong(t.substring(0, i));
        switch (t.substring(i)) {
            case "", "ms":
                return Duration.ofMillis(amount);
            case "ns":
                return Duration.ofNanos(amount);
            case "us":
                return Duration.ofNanos(amount * 1_000L);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            default:
                throw bad(text, name);
        }
    }

    private static IllegalArgumentException bad(String text, String name) {
        return new IllegalArgumentException(
                name + ": " + text + " (expected: a duration such as 50ms, 2s, 1m or 250us)");
    }
}
