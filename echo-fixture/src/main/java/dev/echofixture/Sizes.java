package dev.echofixture;

import java.util.Locale;

/**
 * Parses the byte-size form used on the command line: a bare number of bytes ({@code 512}), or
 * a number with a binary suffix: {@code 64k} (64 KiB), {@code 1m} (1 MiB), {@code 2g} (2 GiB);
 * {@code kb}, {@code mb}, {@code gb} and {@code b} are accepted too. Stateless; any thread.
 */
final class Sizes {

    private static final int MAX_DIGITS = 15;

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
    static long parse(String text, String name) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > MAX_DIGITS) {
            throw bad(text, name);
        }
        long amount = Long.parseLong(t.substring(0, i));
        long unit;
        switch (t.substring(i)) {
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
        try {
            return Math.multiplyExact(amount, unit);
        } catch (ArithmeticException e) {
            throw bad(text, name);
        }
    }

    private static IllegalArgumentException bad(String text, String name) {
        return new IllegalArgumentException(
                name + ": " + text + " (expected: a size in bytes such as 512, 64k or 1m)");
    }
}
