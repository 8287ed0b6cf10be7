package dev.echofixture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One read of a proxied connection, in the order the proxy read them: which way the bytes went,
 * when the proxy read them (since the connection opened; before any latency it adds), and the
 * bytes. {@link EchoConnection#dialogue()} lists them; each direction keeps at most the server's
 * {@code recordLimit} bytes.
 *
 * @param direction which way the bytes went
 * @param at        when the proxy read them, since the client's connection was accepted
 * @param bytes     the bytes (a copy is handed out by {@link #bytes()})
 * @since 0.1.0
 */
public record DialogueEntry(Direction direction, Duration at, byte[] bytes) {

    /**
     * Which way bytes went through the proxy.
     *
     * @since 0.1.0
     */
    public enum Direction {
        /** From the client to the upstream (a request). */
        TO_UPSTREAM,
        /** From the upstream to the client (an answer). */
        TO_CLIENT
    }

    /**
     * Copies the bytes.
     *
     * @param direction which way the bytes went
     * @param at        when the proxy read them
     * @param bytes     the bytes
     */
    public DialogueEntry {
        bytes = bytes.clone();
    }

    /**
     * The bytes.
     *
     * @return a copy
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The bytes as UTF-8 text.
     *
     * @return the text
     */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Equal when the direction, the time and the bytes are.
     *
     * @param o another object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof DialogueEntry other && direction == other.direction && at.equals(other.at)
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * direction.hashCode() + at.hashCode()) + Arrays.hashCode(bytes);
    }

    /**
     * For example {@code +12.3ms TO_UPSTREAM 5 B "hello"}.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "+" + at.toNanos() / 1000 / 1000.0 + "ms " + direction + " " + bytes.length + " B";
    }
}
