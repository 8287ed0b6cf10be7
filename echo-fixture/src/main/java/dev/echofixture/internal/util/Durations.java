package dev.echofixture.internal.util;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses and formats the short duration form used in {@code toString()} and on the command
 * line: {@code 250us}, {@code 50ms}, {@code 2s}, {@code 1m}; a bare number means milliseconds.
 * Also turns any {@link Duration}, up to {@code ChronoUnit.FOREVER.getDuration()}, into
 * nanoseconds without overflow ({@link #saturatedNanos}). Stateless; any thread.
 */
public final class Durations {

    /**
     * The most nanoseconds any time-out or deadline uses: about 73 years. Longer durations mean
     * "never" in practice; capping them keeps {@code System.nanoTime() + nanos} and the
     * differences between deadlines free of overflow.
     */
    public static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private static final int MAX_DIGITS = 15;

    private Durations() {
    }

    /**
     * The duration in nanoseconds, at most {@link #MAX_NANOS} (and at least {@code -MAX_NANOS}):
     * never throws, whatever the duration.
     */
    public static long saturatedNanos(Duration d) {
        if (d.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
            return MAX_NANOS;
        }
        if (d.getSeconds() <= -MAX_NANOS / 1_000_000_000L) {
            return -MAX_NANOS;
        }
        return d.toNanos();
    }

    /**
     * Formats in the largest exact unit: {@code 2s}, {@code 50ms}, {@code 250us}, {@code 7ns};
     * durations beyond {@link #MAX_NANOS} as whole seconds ({@code 9467280000s}). Never throws.
     */
    public static String format(Duration d) {
        if (Math.abs(d.getSeconds()) >= MAX_NANOS / 1_000_000_000L) {
            return d.getNano() == 0 ? d.getSeconds() + "s" : d.toString();
        }
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
     * milliseconds: ASCII digits (at most 15), then the unit; no sign, no spaces.
     *
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    public static Duration parse(String text, String name) {
        int i = asciiDigits(text);
        if (i == 0 || i > MAX_DIGITS) {
            throw bad(text, name);
        }
        long amount = Long.parseLong(text.substring(0, i));
        switch (text.substring(i).toLowerCase(Locale.ROOT)) {
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

    /**
     * How many ASCII digits {@code 0}-{@code 9} the text starts with, or 0 if anything but
     * printable ASCII follows them (so no other script's digits, and no sign or space, ever pass).
     */
    public static int asciiDigits(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        for (int j = i; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c <= ' ' || c > '~') {
                return 0;
            }
        }
        return i;
    }

    private static IllegalArgumentException bad(String text, String name) {
        return new IllegalArgumentException(
                name + ": " + text + " (expected: a duration such as 50ms, 2s, 1m or 250us)");
    }
}
