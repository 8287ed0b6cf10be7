package dev.echofixture.internal.util;

import dev.echofixture.SettingException;
import java.time.Duration;

/**
 * Argument checks shared by the public API. Every message has the form
 * {@code name: value (expected: ...)}, so that the user sees which setting is wrong, what it
 * was and what would be right; each throws a {@link SettingException} carrying the name.
 */
public final class Checks {

    /** The longest delay any setting accepts; longer ones are almost certainly a unit mix-up. */
    public static final Duration MAX_DELAY = Duration.ofHours(1);

    private Checks() {
    }

    /**
     * Rejects {@code null} with an {@link IllegalArgumentException}, like every other bad
     * setting (the contract promises IllegalArgumentException naming the value).
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new SettingException(name, "null (expected: a value)");
        }
        return value;
    }

    public static Duration delay(Duration value, String name) {
        notNull(value, name);
        if (value.isNegative() || value.compareTo(MAX_DELAY) > 0) {
            throw new SettingException(name, value + " (expected: 0 to " + MAX_DELAY + ", for example Duration.ofMillis(50))");
        }
        return value;
    }

    public static Duration positiveOrZero(Duration value, String name) {
        notNull(value, name);
        if (value.isNegative()) {
            throw new SettingException(name, value + " (expected: >= 0)");
        }
        return value;
    }

    public static long atLeast(long value, long min, String name) {
        if (value < min) {
            throw new SettingException(name, value + " (expected: >= " + min + ")");
        }
        return value;
    }

    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new SettingException(name, value + " (expected: >= " + min + ")");
        }
        return value;
    }

    public static int port(int value) {
        if (value < 0 || value > 65535) {
            throw new SettingException("port", value + " (expected: 0 to 65535, 0 for an ephemeral port)");
        }
        return value;
    }
}
