package dev.echofixture.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DurationsTests {

    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofMillis(50), Durations.parse("50ms", "--latency"));
        assertEquals(Duration.ofMillis(50), Durations.parse("50", "--latency"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("2s", "--latency"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m", "--latency"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us", "--latency"));
        assertEquals(Duration.ofNanos(100), Durations.parse("100ns", "--latency"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h", "--latency"));
        assertEquals(Duration.ofMillis(50), Durations.parse("000000000000000000000000050ms", "--latency"));
    }

    /** Regression (issue 19, item 8): a duration too long to matter is forever, whatever its digits and unit. */
    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807m", "9223372036854775807h", "9223372036854775807us",
            "18446744073709551616ns", "99999999999999999999999999999999", "00099999999999999999999s"})
    void overLongIsForever(String text) {
        assertEquals(ChronoUnit.FOREVER.getDuration(), Durations.parse(text, "--idle-timeout"));
    }

    @Test
    void longestThatFitsIsExact() {
        assertEquals(Duration.ofMillis(Long.MAX_VALUE), Durations.parse("9223372036854775807ms", "x"));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), Durations.parse("9223372036854775807s", "x"));
        assertEquals(Duration.ofMinutes(9999999999999999L), Durations.parse("9999999999999999m", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5xs", "", "ms", "-5ms", "+5ms", " 5ms", "5ms ", "1.5s", "1d", "5 ms", "5H ", "٥ms", "５０ms", "50ｍｓ"})
    void rejectsMalformedTextNamingTheOption(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse(text, "--latency"));
        assertTrue(e.getMessage().startsWith("--latency: " + text), e.getMessage());
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("50ms", Durations.format(Duration.ofMillis(50)));
        assertEquals("250us", Durations.format(Duration.ofNanos(250_000)));
        assertEquals("7ns", Durations.format(Duration.ofNanos(7)));
        assertEquals("-5ms", Durations.format(Duration.ofMillis(-5)));
    }

    @Test
    void formatsDurationsTooLongForNanosecondsWithoutOverflow() {
        assertEquals("9460800000s", Durations.format(Duration.ofDays(365L * 300)));
        assertEquals(ChronoUnit.FOREVER.getDuration().toString(), Durations.format(ChronoUnit.FOREVER.getDuration()));
        assertEquals("-9460800000s", Durations.format(Duration.ofDays(-365L * 300)));
    }

    @Test
    void saturatesNanosecondsInsteadOfOverflowing() {
        assertEquals(Durations.MAX_NANOS, Durations.saturatedNanos(Duration.ofDays(365L * 300)));
        assertEquals(Durations.MAX_NANOS, Durations.saturatedNanos(ChronoUnit.FOREVER.getDuration()));
        assertEquals(-Durations.MAX_NANOS, Durations.saturatedNanos(Duration.ofDays(-365L * 300)));
        assertEquals(1_500_000_000L, Durations.saturatedNanos(Duration.ofMillis(1_500)));
        Duration justBelow = Duration.ofSeconds(Durations.MAX_NANOS / 1_000_000_000L - 1, 999_999_999);
        assertEquals(justBelow.toNanos(), Durations.saturatedNanos(justBelow));
    }
}
