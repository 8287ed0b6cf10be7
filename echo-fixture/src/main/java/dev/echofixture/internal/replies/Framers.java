package dev.echofixture.internal.replies;

import dev.echofixture.Framing;
import dev.echofixture.Printable;
import dev.echofixture.SettingException;
import java.nio.ByteBuffer;

/** The built-in {@link Framing}s. Stateless; any thread. */
public final class Framers {

    public static final Framing WHOLE_READS = new Framing() {
        @Override
        public int frameLength(ByteBuffer buffered) {
            return buffered.hasRemaining() ? buffered.remaining() : -1;
        }

        @Override
        public String toString() {
            return "wholeReads";
        }
    };

    public static final Framing LINES = new Framing() {
        @Override
        public int frameLength(ByteBuffer buffered) {
            int end = indexOf(buffered, (byte) '\n', buffered.position());
            return end < 0 ? -1 : end - buffered.position() + 1;
        }

        @Override
        public ByteBuffer content(ByteBuffer frame) {
            int length = frame.remaining() - 1;
            if (length > 0 && frame.get(frame.position() + length - 1) == '\r') {
                length--;
            }
            return frame.slice(frame.position(), length);
        }

        @Override
        public String toString() {
            return "lines";
        }
    };

    public static final Framing RESP = new Framing() {
        @Override
        public int frameLength(ByteBuffer buffered) {
            int end = Resp.valueEnd(buffered, buffered.position(), 0);
            return end < 0 ? -1 : end - buffered.position();
        }

        @Override
        public String toString() {
            return "resp";
        }
    };

    private Framers() {
    }

    public static Framing fixedLength(int length) {
        if (length < 1) {
            throw new SettingException("fixedLength", length + " (expected: at least 1 byte per message)");
        }
        return new Framing() {
            @Override
            public int frameLength(ByteBuffer buffered) {
                return buffered.remaining() >= length ? length : -1;
            }

            @Override
            public String toString() {
                return "fixedLength(" + length + ")";
            }
        };
    }

    public static Framing lengthPrefixed(int prefixBytes) {
        if (prefixBytes != 1 && prefixBytes != 2 && prefixBytes != 4) {
            throw new SettingException("lengthPrefixed", prefixBytes
                    + " (expected: a prefix of 1, 2 or 4 bytes, big-endian)");
        }
        return new Framing() {
            @Override
            public int frameLength(ByteBuffer buffered) {
                if (buffered.remaining() < prefixBytes) {
                    return -1;
                }
                long length = 0;
                for (int i = 0; i < prefixBytes; i++) {
                    length = (length << 8) | (buffered.get(buffered.position() + i) & 0xff);
                }
                long total = prefixBytes + length;
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("a length prefix of " + length + " bytes is more than a message can hold");
                }
                return buffered.remaining() >= total ? (int) total : -1;
            }

            @Override
            public ByteBuffer content(ByteBuffer frame) {
                return frame.slice(frame.position() + prefixBytes, frame.remaining() - prefixBytes);
            }

            @Override
            public String toString() {
                return "lengthPrefixed(" + prefixBytes + ")";
            }
        };
    }

    public static Framing delimiter(byte[] delimiter) {
        if (delimiter == null || delimiter.length == 0) {
            throw new SettingException("delimiter", "empty (expected: at least one byte)");
        }
        byte[] copy = delimiter.clone();
        return new Framing() {
            @Override
            public int frameLength(ByteBuffer buffered) {
                int from = buffered.position();
                for (int at = indexOf(buffered, copy[0], from); at >= 0; at = indexOf(buffered, copy[0], at + 1)) {
                    if (at + copy.length > buffered.limit()) {
                        return -1;
                    }
                    if (startsWith(buffered, at, copy)) {
                        return at + copy.length - from;
                    }
                }
                return -1;
            }

            @Override
            public ByteBuffer content(ByteBuffer frame) {
                return frame.slice(frame.position(), frame.remaining() - copy.length);
            }

            @Override
            public String toString() {
                return "delimiter(\"" + Printable.text(copy, 0, copy.length) + "\")";
            }
        };
    }

    static int indexOf(ByteBuffer buffer, byte b, int from) {
        for (int i = from; i < buffer.limit(); i++) {
            if (buffer.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer buffer, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
