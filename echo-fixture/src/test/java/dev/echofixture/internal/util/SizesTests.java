package dev.echofixture.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SizesTests {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "512, 512",
            "512b, 512",
            "64k, 65536",
            "64K, 65536",
            "64kb, 65536",
            "1m, 1048576",
            "1MiB, 1048576",
            "2g, 2147483648"})
    void parsesBytesWithBinarySuffixes(String text, long expected) {
        assertEquals(expected, Sizes.parse(text, "--bandwidth"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "-1", "+1", " 7", "7 ", "1.5k", "64x", "1t", "٣", "６４k", "64K"})
    void rejectsWhatIsNotASizeNamingOptionAndValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text, "--bandwidth"));
        assertEquals("--bandwidth: " + text + " (expected: a size in bytes such as 512, 64k or 1m)", e.getMessage());
    }

    @Test
    void beyondTheMaximumNamesTheMaximum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sizes.parse("3g", "--chunk-size", Integer.MAX_VALUE));
        assertEquals("--chunk-size: 3g (expected: at most 2147483647 bytes)", e.getMessage());
        assertEquals(Integer.MAX_VALUE, Sizes.parse("2147483647", "--chunk-size", Integer.MAX_VALUE));
        e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999999g", "--bandwidth"));
        assertEquals("--bandwidth: 99999999999999g (expected: at most 9223372036854775807 bytes)", e.getMessage());
    }

    /** Regression (issue 19, item 8): a size with many digits is too large, not malformed. */
    @ParameterizedTest
    @ValueSource(strings = {"9999999999999999", "99999999999999999999", "99999999999999999999999999k"})
    void manyDigitsNameTheMaximum(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text, "--bandwidth", 1L << 40));
        assertEquals("--bandwidth: " + text + " (expected: at most 1099511627776 bytes)", e.getMessage());
        assertEquals(1_000_000_000_000_000_000L, Sizes.parse("1000000000000000000", "--bandwidth"));
        assertEquals(5, Sizes.parse("0000000000000000000000005", "--bandwidth"));
    }

    @Test
    void largestMultipleOfAGigabyteThatFitsIsAccepted() {
        assertEquals(Long.MAX_VALUE / (1L << 30) * (1L << 30), Sizes.parse((Long.MAX_VALUE / (1L << 30)) + "g", "x"));
    }
}
