package dev.echofixture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a {@link Script} sends back for one message (or on connect): some bytes, possibly none,
 * then possibly a close or a reset (over UDP, which has no reset, a reset is a close); or the message itself ({@link #echo()}). Immutable; any
 * thread.
 *
 * <pre>{@code
 * Reply.lines("250 OK")                  // "250 OK\r\n"
 * Reply.text("+PONG\r\n")                // exactly these bytes
 * Reply.lines("221 Bye").thenClose()     // then a graceful close
 * Reply.none()                           // nothing
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Reply {

    /** What follows a reply's bytes. */
    public enum Ending {
        /** The connection stays open. */
        NONE,
        /** A graceful close once the reply is sent (the peer sees an end of stream). */
        CLOSE,
        /** A reset once the reply is sent. */
        RESET
    }

    private static final Reply NONE = new Reply(new byte[0][], Ending.NONE, false);
    private static final Reply ECHO = new Reply(new byte[0][], Ending.NONE, true);

    private final byte[][] messages; // over UDP one datagram each
    private final byte[] bytes; // the messages one after the other: what a stream sends
    private final Ending ending;
    private final boolean echo;

    private Reply(byte[][] messages, Ending ending, boolean echo) {
        this.messages = messages;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            out.writeBytes(message);
        }
        this.bytes = out.toByteArray();
        this.ending = ending;
        this.echo = echo;
    }

    /**
     * These texts, encoded in UTF-8, one after the other, exactly as given.
     *
     * @param texts the messages
     * @return the reply
     */
    public static Reply text(String... texts) {
        byte[][] messages = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            messages[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Reply(messages, Ending.NONE, false);
    }

    /**
     * These lines, each followed by {@code \r\n}, encoded in UTF-8.
     *
     * @param lines the lines, without terminators
     * @return the reply
     */
    public static Reply lines(String... lines) {
        byte[][] messages = new byte[lines.length][];
        for (int i = 0; i < lines.length; i++) {
            messages[i] = (lines[i] + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        return new Reply(messages, Ending.NONE, false);
    }

    /**
     * These bytes, one message after the other.
     *
     * @param messages the messages
     * @return the reply
     */
    public static Reply bytes(byte[]... messages) {
        byte[][] copies = new byte[messages.length][];
        for (int i = 0; i < messages.length; i++) {
            copies[i] = messages[i].clone();
        }
        return new Reply(copies, Ending.NONE, false);
    }

    /**
     * Nothing (the message is recorded, not answered).
     *
     * @return the reply
     */
    public static Reply none() {
        return NONE;
    }

    /**
     * The message itself, as received (framing included): what an echo server does.
     *
     * @return the reply
     */
    public static Reply echo() {
        return ECHO;
    }

    /**
     * Nothing, then a graceful close.
     *
     * @return the reply
     */
    public static Reply close() {
        return NONE.thenClose();
    }

    /**
     * Nothing, then a reset.
     *
     * @return the reply
     */
    public static Reply reset() {
        return NONE.thenReset();
    }

    /**
     * This reply, then a graceful close once it is sent.
     *
     * @return a new reply
     */
    public Reply thenClose() {
        return new Reply(messages, Ending.CLOSE, echo);
    }

    /**
     * This reply, then a reset once it is sent.
     *
     * @return a new reply
     */
    public Reply thenReset() {
        return new Reply(messages, Ending.RESET, echo);
    }

    /**
     * The bytes this reply sends (empty for {@link #echo()}, which sends the message).
     *
     * @return a copy
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The messages this reply sends, as given: over a stream they go one after the other (as
     * {@link #bytes()}), over UDP each is one datagram.
     *
     * @return copies, in order
     */
    public java.util.List<byte[]> messages() {
        java.util.List<byte[]> copies = new java.util.ArrayList<>(messages.length);
        for (byte[] message : messages) {
            copies.add(message.clone());
        }
        return java.util.Collections.unmodifiableList(copies);
    }

    /**
     * Whether this reply sends the message back.
     *
     * @return whether it echoes
     */
    public boolean isEcho() {
        return echo;
    }

    /**
     * What follows the bytes.
     *
     * @return none, close or reset
     */
    public Ending ending() {
        return ending;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reply other && echo == other.echo && ending == other.ending && Arrays.deepEquals(messages, other.messages);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(messages) * 31 + ending.hashCode() * 2 + (echo ? 1 : 0);
    }

    /** For example {@code Reply["250 OK\r\n"]} or {@code Reply[echo, then close]}. */
    @Override
    public String toString() {
        String what = echo ? "echo" : "\"" + Printable.text(bytes, 0, bytes.length) + "\"";
        return "Reply[" + what + (ending == Ending.NONE ? "" : ", then " + ending.name().toLowerCase(java.util.Locale.ROOT)) + "]";
    }
}
