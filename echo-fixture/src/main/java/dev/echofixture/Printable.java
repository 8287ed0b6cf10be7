package dev.echofixture;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Recorded bytes as text for messages and reports: UTF-8 with control characters escaped, and
 * space-separated hex. The one rendering the library's assertion messages and the JUnit
 * extension's failure report share, so that both show the same bytes the same way.
 *
 * @since 0.1.0
 */
public final class Printable {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private Printable() {
    }

    /**
     * The bytes decoded as UTF-8, with {@code \r}, {@code \n}, {@code \t}, {@code "} and
     * {@code \} escaped as in a Java string literal and other control characters as
     * {@code \u0000}; undecodable bytes show as U+FFFD.
     *
     * @param bytes the bytes
     * @param from  the first index, inclusive
     * @param to    the last index, exclusive
     * @return the text, without surrounding quotes
     * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
     */
    public static String text(byte[] bytes, int from, int to) {
        return text(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }

    /**
     * The text with control characters escaped, as {@link #text(byte[], int, int)} does.
     *
     * @param text the text
     * @return the escaped text
     */
    public static String text(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The bytes as lower-case hex pairs separated by spaces, for example {@code 68 65 0a}.
     *
     * @param bytes the bytes
     * @param from  the first index, inclusive
     * @param to    the last index, exclusive
     * @return the hex
     * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
     */
    public static String hex(byte[] bytes, int from, int to) {
        return HEX.formatHex(bytes, from, to);
    }
}
