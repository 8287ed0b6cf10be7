package dev.echofixture.internal.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few DER (ITU-T X.690) encodings an X.509 certificate needs, as static functions from
 * values to encoded bytes: enough to build a certificate with the JDK's {@code Signature}
 * and parse it back with {@code CertificateFactory}, with no dependency beyond the JDK.
 *
 * <p>Stateless; any thread.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    private static final int BOOLEAN = 0x01;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    private static final int UTF8_STRING = 0x0c;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    /** A tag-length-value with the given tag around {@code content}. */
    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** The concatenation of already encoded elements. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return tlv(SET, concat(elements));
    }

    /** A context-specific, constructed tag ({@code [n] EXPLICIT}). */
    static byte[] explicit(int n, byte[] content) {
        return tlv(0xa0 | n, content);
    }

    /** A context-specific, primitive tag ({@code [n] IMPLICIT} of a primitive type). */
    static byte[] implicit(int n, byte[] content) {
        return tlv(0x80 | n, content);
    }

    static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
    }

    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray()); // two's complement, minimal: what DER wants
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] octetString(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING holding whole bytes (no unused bits), as for a signature. */
    static byte[] bitString(byte[] value) {
        return tlv(BIT_STRING, concat(new byte[] {0}, value));
    }

    /** A named-bit BIT STRING of one byte, such as a key usage; trailing zero bits are dropped. */
    static byte[] namedBits(int bits) {
        if (bits == 0) {
            return tlv(BIT_STRING, new byte[] {0});
        }
        int unused = Integer.numberOfTrailingZeros(bits);
        return tlv(BIT_STRING, new byte[] {(byte) unused, (byte) bits});
    }

    static byte[] utf8(String value) {
        return tlv(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime up to 2049, GeneralizedTime from 2050 on (RFC 5280, 4.1.2.5). */
    static byte[] time(ZonedDateTime time) {
        ZonedDateTime utc = time.withZoneSameInstant(ZoneOffset.UTC).withNano(0);
        if (utc.getYear() < 2050) {
            return tlv(UTC_TIME, utc.format(UTC_TIME_FORMAT).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(GENERALIZED_TIME, utc.format(GENERALIZED_TIME_FORMAT).getBytes(StandardCharsets.US_ASCII));
    }

    /** An OBJECT IDENTIFIER from its dotted form, for example {@code 2.5.4.3}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int b = (int) (value >>> (7 * i)) & 0x7f;
            out.write(i > 0 ? b | 0x80 : b);
        }
    }
}
