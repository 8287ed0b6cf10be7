package dev.echofixture;

import dev.echofixture.internal.replies.Framers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How a {@link Script} cuts the bytes a connection receives into messages. The built-in ones
 * come from the static factories; a protocol of its own implements this interface (see
 * {@link #resp()} for Redis). Over UDP each datagram is one message, whatever the framing.
 *
 * <p>Implementations must be stateless (one instance serves every connection, on the server's
 * loop thread) and must not block.
 *
 * @since 0.1.0
 */
public interface Framing {

    /**
     * The length of the first complete message in {@code buffered}, from its position.
     *
     * @param buffered the bytes received and not yet framed; its position and limit must be
     *                 left as they are
     * @return the message's length in bytes, or -1 if more bytes are needed
     */
    int frameLength(ByteBuffer buffered);

    /**
     * The content of a message: what matchers and responders see and the recording keeps, without
     * the framing bytes (a line's terminator, a length prefix). By default the whole message.
     *
     * @param frame exactly one message, as {@link #frameLength(ByteBuffer)} cut it
     * @return a slice of {@code frame}
     */
    default ByteBuffer content(ByteBuffer frame) {
        return frame;
    }

    /**
     * Each read as it comes is one message (what echo does); the default.
     *
     * @return the framing
     */
    static Framing wholeReads() {
        return Framers.WHOLE_READS;
    }

    /**
     * Lines ending in {@code \n} or {@code \r\n}; the content is the line without its terminator.
     *
     * @return the framing
     */
    static Framing lines() {
        return Framers.LINES;
    }

    /**
     * Messages of exactly {@code length} bytes.
     *
     * @param length at least 1
     * @return the framing
     * @throws SettingException naming {@code fixedLength} if {@code length} is below 1
     */
    static Framing fixedLength(int length) {
        return Framers.fixedLength(length);
    }

    /**
     * Messages preceded by their length as an unsigned big-endian number of 1, 2 or 4 bytes; the
     * content is the message without its prefix.
     *
     * @param prefixBytes 1, 2 or 4
     * @return the framing
     * @throws SettingException naming {@code lengthPrefixed} for any other prefix size
     */
    static Framing lengthPrefixed(int prefixBytes) {
        return Framers.lengthPrefixed(prefixBytes);
    }

    /**
     * Messages ending in {@code delimiter}; the content is the message without it.
     *
     * @param delimiter at least one byte
     * @return the framing
     * @throws SettingException naming {@code delimiter} if it is empty
     */
    static Framing delimiter(byte[] delimiter) {
        return Framers.delimiter(delimiter);
    }

    /**
     * Messages ending in {@code delimiter}, encoded in UTF-8; see {@link #delimiter(byte[])}.
     *
     * @param delimiter at least one character
     * @return the framing
     */
    static Framing delimiter(String delimiter) {
        return Framers.delimiter(delimiter.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Redis's RESP: one message is one whole value (a command is an array of bulk strings, sent
     * as several lines); the content is the whole value. An inline command (a plain line) is one
     * message too.
     *
     * @return the framing
     */
    static Framing resp() {
        return Framers.RESP;
    }
}
