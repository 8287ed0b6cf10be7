package dev.echofixture.internal.replies;

import java.nio.ByteBuffer;

/** Finds where one RESP value ends (Redis serialization protocol). Stateless. */
final class Resp {

    private static final int MAX_DEPTH = 32;

    private Resp() {
    }

    /**
     * The index just past the value starting at {@code at}, or -1 if it is not complete yet.
     *
     * @throws IllegalStateException for a length that is not a number, or nesting too deep
     */
    static int valueEnd(ByteBuffer buffer, int at, int depth) {
        if (at >= buffer.limit()) {
            return -1;
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("RESP: arrays nested deeper than " + MAX_DEPTH);
        }
        int lineEnd = Framers.indexOf(buffer, (byte) '\n', at);
        if (lineEnd < 0) {
            return -1;
        }
        byte type = buffer.get(at);
        if (type == '$') {
            long length = number(buffer, at + 1, lineEnd);
            if (length < 0) {
                return lineEnd + 1;
            }
            long end = lineEnd + 1 + length + 2;
            return end <= buffer.limit() ? (int) end : -1;
        }
        if (type == '*') {
            long count = number(buffer, at + 1, lineEnd);
            int next = lineEnd + 1;
            for (long i = 0; i < count; i++) {
                next = valueEnd(buffer, next, depth + 1);
                if (next < 0) {
                    return -1;
                }
            }
            return next;
        }
        return lineEnd + 1; // a simple string, error, integer, or an inline command
    }

    private static long number(ByteBuffer buffer, int from, int lineEnd) {
        int end = lineEnd > from && buffer.get(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        long value = 0;
        boolean negative = false;
        for (int i = from; i < end; i++) {
            byte b = buffer.get(i);
            if (i == from && b == '-') {
                negative = true;
            } else if (b >= '0' && b <= '9' && value < Integer.MAX_VALUE) {
                value = value * 10 + (b - '0');
            } else {
                throw new IllegalStateException("RESP: a length that is not a number at byte " + i);
            }
        }
        return negative ? -value : value;
    }
}
