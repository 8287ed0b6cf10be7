package dev.echofixture.internal.util;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses and formats the short duration form used in {@code toString()} and on the command
 * line: {@code 250us}, {@code 50ms}, {@code 2s}, {@code 1m}, {@code 1h}; a bare number means
 * milliseconds.
 * Also turns any {@link Duration}, up to {@code ChronoUnit.FOREVER.getDuration()}, into
 * nanoseconds without overflow ({@link #saturatedNanos}): the one place every wait and
 * time-out of the library turns a {@code Duration} into nanoseconds, so that a wait of any
 * length, {@code ChronoUnit.FOREVER.getDuration()} included, saturates to "forever" instead of
 * throwing {@link ArithmeticException}. Stateless; any thread.
 */
public final class Durations {

    /**
     * The most nanoseconds any time-out or deadline uses: about 73 years. Longer durations mean
     * "never" in practice; capping them keeps {@code System.nanoTime() + nanos} and the
     * differences between deadlines free of overflow.
     */
    public static final long MAX_NANOS = Long.MAX_VALUE / 4;

    /** What a duration too long to matter parses to: {@code ChronoUnit.FOREVER.getDuration()}. */
    static final Duration FOREVER = java.time.temporal.ChronoUnit.FOREVER.getDuration();

    /** The units {@link #parse} takes; the empty one is a bare number of milliseconds. */
    private static final java.util.Set<String> UNITS = java.util.Set.of("", "ns", "us", "ms", "s", "m", "h");

    /** How {@link #parse} describes the form, in its messages (the same words as {@code --help}). */
    public static final String FORM = "a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms";

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
     * Parses {@code 250us}, {@code 50ms}, {@code 2s}, {@code 1m}, {@code 1h}, {@code 100ns} or a
     * bare number of milliseconds: ASCII digits, then the unit; no sign, no spaces. A duration
     * too long to matter (more than a {@code long} of its unit, or than a {@code Duration} holds)
     * is {@link #FOREVER}: a time-out takes it as never, a delay is rejected by its own check.
     *
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    public static Duration parse(String text, String name) {
        int i = asciiDigits(text);
        if (i == 0) {
            throw bad(text, name);
        }
        String unit = text.substring(i).toLowerCase(Locale.ROOT);
        if (!UNITS.contains(unit)) {
            throw bad(text, name);
        }
        long amount = digitsValue(text.substring(0, i));
        if (amount < 0) {
            return FOREVER;
        }
        try {
            return switch (unit) {
                case "", "ms" -> Duration.ofMillis(amount);
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount); // "h"
            };
        } catch (ArithmeticException e) {
            return FOREVER;
        }
    }

    /**
     * The value of a string of ASCII digits (leading zeros allowed, any length), or -1 if it is
     * more than a {@code long} holds.
     */
    static long digitsValue(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) { // only ASCII digits here, so too many of them
            return -1;
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
        return new IllegalArgumentException(name + ": " + text + " (expected: " + FORM + ")");
    }
}
