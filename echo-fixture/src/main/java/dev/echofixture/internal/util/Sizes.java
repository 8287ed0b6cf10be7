package dev.echofixture.internal.util;

import java.util.Locale;

/**
 * Parses the byte-size form used on the command line: a bare number of bytes ({@code 512}), or
 * a number with a binary suffix: {@code 64k} (64 KiB), {@code 1m} (1 MiB), {@code 2g} (2 GiB);
 * {@code kb}, {@code mb}, {@code gb} and {@code b} are accepted too. Stateless; any thread.
 */
public final class Sizes {

    private Sizes() {
    }

    /**
     * Parses a size such as {@code 512}, {@code 64k} or {@code 1m}.
     *
     * @param text the text to parse
     * @param name the option or setting it belongs to, used in the error message
     * @return the size in bytes, at least 0
     * @throws IllegalArgumentException naming {@code name} and the text if it is not a size
     */
    public static long parse(String text, String name) {
        return parse(text, name, Long.MAX_VALUE);
    }

    /**
     * Parses a size such as {@code 512}, {@code 64k} or {@code 1m}, at most {@code max} bytes:
     * ASCII digits, then the suffix; no sign, no spaces. A size beyond {@code max}, however many
     * digits it has, is rejected naming the maximum.
     *
     * @param text the text to parse
     * @param name the option or setting it belongs to, used in the error message
     * @param max  the largest size accepted
     * @return the size in bytes, 0 to {@code max}
     * @throws IllegalArgumentException naming {@code name} and the text if it is not a size, or
     *         naming the maximum if it is larger
     */
    public static long parse(String text, String name, long max) {
        int i = Durations.asciiDigits(text);
        if (i == 0) {
            throw bad(text, name);
        }
        long unit;
        switch (text.substring(i).toLowerCase(Locale.ROOT)) {
            case "", "b":
                unit = 1L;
                break;
            case "k", "kb", "kib":
                unit = 1L << 10;
                break;
            case "m", "mb", "mib":
                unit = 1L << 20;
                break;
            case "g", "gb", "gib":
                unit = 1L << 30;
                break;
            default:
                throw bad(text, name);
        }
        long amount = Durations.digitsValue(text.substring(0, i));
        if (amount < 0 || amount > max / unit) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: at most " + max + " bytes)");
        }
        return amount * unit;
    }

    private static IllegalArgumentException bad(String text, String name) {
        return new IllegalArgumentException(
                name + ": " + text + " (expected: a size in bytes such as 512, 64k or 1m)");
    }
}
