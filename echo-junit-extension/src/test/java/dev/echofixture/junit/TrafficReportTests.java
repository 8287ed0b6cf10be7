package dev.echofixture.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the failure report renders bytes. */
@Timeout(10)
class TrafficReportTests {

    @Test
    void rendersControlCharactersEscapedAndQuotesEscaped() {
        byte[] bytes = "a\"b\\\r\n\t\0é".getBytes(StandardCharsets.UTF_8);
        assertEquals("a\\\"b\\\\\\r\\n\\t\\u0000é", TrafficReport.printable(bytes, bytes.length));
    }

    @Test
    void rendersHexLowerCaseSpaceSeparated() {
        byte[] bytes = {0x00, 0x0f, (byte) 0xab, 0x7f, (byte) 0xff};
        assertEquals("00 0f ab 7f ff", TrafficReport.hex(bytes, bytes.length));
        assertEquals("00 0f", TrafficReport.hex(bytes, 2));
    }
}
