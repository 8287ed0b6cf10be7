package dev.echofixture;

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
            "2g, 2147483648",
            "' 7 ', 7"})
    void parsesBytesWithBinarySuffixes(String text, long expected) {
        assertEquals(expected, Sizes.parse(text, "--bandwidth"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "-1", "1.5k", "64x", "1t", "9999999999999999", "99999999999999g"})
    void rejectsWhatIsNotASizeNamingOptionAndValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text, "--bandwidth"));
        assertEquals("--bandwidth: " + text + " (expected: a size in bytes such as 512, 64k or 1m)", e.getMessage());
    }

    @Test
    void largestMultipleOfAGigabyteThatFitsIsAccepted() {
        assertEquals(Long.MAX_VALUE / (1L << 30) * (1L << 30), Sizes.parse((Long.MAX_VALUE / (1L << 30)) + "g", "x"));
    }
}
