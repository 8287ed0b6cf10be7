package dev.echofixture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Picks the messages a {@link Script} rule answers, by their content (see
 * {@link Framing#content(java.nio.ByteBuffer)}: a line without its terminator). Text forms
 * compare the content decoded as UTF-8. Immutable; any thread.
 *
 * @since 0.1.0
 */
public final class Match {

    private enum Kind { BYTES, PREFIX, REGEX }

    private final Kind kind;
    private final byte[] bytes;
    private final Pattern pattern;
    private final String description;

    private Match(Kind kind, byte[] bytes, Pattern pattern, String description) {
        this.kind = kind;
        this.bytes = bytes;
        this.pattern = pattern;
        this.description = description;
    }

    /**
     * Messages whose content is exactly this text.
     *
     * @param text the text
     * @return the match
     */
    public static Match text(String text) {
        return new Match(Kind.BYTES, utf8(text, "text"), null, "text(\"" + Printable.text(text) + "\")");
    }

    /**
     * Messages whose content is exactly these bytes.
     *
     * @param bytes the bytes
     * @return the match
     */
    public static Match bytes(byte[] bytes) {
        if (bytes == null) {
            throw new SettingException("bytes", "null (expected: the bytes to match)");
        }
        return new Match(Kind.BYTES, bytes.clone(), null, "bytes(" + Printable.hex(bytes, 0, bytes.length) + ")");
    }

    /**
     * Messages whose content starts with this text.
     *
     * @param prefix the text
     * @return the match
     */
    public static Match prefix(String prefix) {
        return new Match(Kind.PREFIX, utf8(prefix, "prefix"), null, "prefix(\"" + Printable.text(prefix) + "\")");
    }

    /**
     * Messages whose content, as text, matches this regular expression in full
     * ({@link java.util.regex.Matcher#matches()}).
     *
     * @param regex a {@link Pattern} expression
     * @return the match
     * @throws SettingException naming {@code regex} if it does not compile
     */
    public static Match regex(String regex) {
        if (regex == null) {
            throw new SettingException("regex", "null (expected: a regular expression)");
        }
        try {
            return new Match(Kind.REGEX, null, Pattern.compile(regex, Pattern.DOTALL), "regex(\"" + Printable.text(regex) + "\")");
        } catch (PatternSyntaxException e) {
            throw new SettingException("regex", regex + " (expected: a regular expression that compiles: "
                    + e.getDescription() + " at index " + e.getIndex() + ")", e);
        }
    }

    /**
     * Whether this match picks a message.
     *
     * @param content the message's content
     * @return whether it matches
     */
    public boolean matches(byte[] content) {
        return switch (kind) {
            case BYTES -> Arrays.equals(content, bytes);
            case PREFIX -> content.length >= bytes.length && Arrays.equals(content, 0, bytes.length, bytes, 0, bytes.length);
            case REGEX -> pattern.matcher(new String(content, StandardCharsets.UTF_8)).matches();
        };
    }

    private static byte[] utf8(String text, String setting) {
        if (text == null) {
            throw new SettingException(setting, "null (expected: a text)");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** For example {@code prefix("GET ")}. */
    @Override
    public String toString() {
        return description;
    }
}
