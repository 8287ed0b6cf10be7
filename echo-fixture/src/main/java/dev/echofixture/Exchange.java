package dev.echofixture;

import java.nio.charset.StandardCharsets;

/**
 * One message a scripted connection received, as framed, and what the {@link Script} answered
 * to it; a greeting is an exchange with an empty message. Listed by
 * {@link EchoConnection#exchanges()}. Immutable; any thread.
 *
 * @since 0.1.0
 */
public final class Exchange {

    private final byte[] message;
    private final byte[] reply;
    private final Reply.Ending ending;
    private final String failure;

    /**
     * An exchange.
     *
     * @param message the message's content (empty for a greeting)
     * @param reply   the bytes answered
     * @param ending  what followed them
     * @param failure why the script failed on this message (a responder threw), or {@code null}
     */
    public Exchange(byte[] message, byte[] reply, Reply.Ending ending, String failure) {
        this.message = message.clone();
        this.reply = reply.clone();
        this.ending = ending;
        this.failure = failure;
    }

    /**
     * The message's content, as the framing cut it (a line without its terminator).
     *
     * @return a copy; empty for a greeting
     */
    public byte[] message() {
        return message.clone();
    }

    /**
     * The message's content as UTF-8 text.
     *
     * @return the text
     */
    public String messageText() {
        return new String(message, StandardCharsets.UTF_8);
    }

    /**
     * The bytes answered (queued for sending; the conditions may hold them back or cut them).
     *
     * @return a copy; empty if nothing was answered
     */
    public byte[] reply() {
        return reply.clone();
    }

    /**
     * The reply as UTF-8 text.
     *
     * @return the text
     */
    public String replyText() {
        return new String(reply, StandardCharsets.UTF_8);
    }

    /**
     * What followed the reply.
     *
     * @return none, close or reset
     */
    public Reply.Ending ending() {
        return ending;
    }

    /**
     * Why the script failed on this message (the responder threw: the connection was reset).
     *
     * @return the failure, or {@code null}
     */
    public String failure() {
        return failure;
    }

    /** For example {@code "HELO me" -> "250 OK\r\n"}; a greeting starts with {@code (connect)}. */
    @Override
    public String toString() {
        String in = message.length == 0 ? "(connect)" : "\"" + Printable.text(message, 0, message.length) + "\"";
        String out = failure != null ? "failed: " + failure : "\"" + Printable.text(reply, 0, reply.length) + "\"";
        return in + " -> " + out + (ending == Reply.Ending.NONE ? "" : ", then " + ending.name().toLowerCase(java.util.Locale.ROOT));
    }
}
