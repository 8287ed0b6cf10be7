package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EchoBehaviorTests {

    @Test
    void plainEchoHasNoConditions() {
        EchoBehavior echo = EchoBehavior.echo();
        assertAll(
                () -> assertEquals(Duration.ZERO, echo.latency()),
                () -> assertEquals(Duration.ZERO, echo.jitter()),
                () -> assertEquals(0, echo.bandwidth()),
                () -> assertEquals(0, echo.chunkSize()),
                () -> assertEquals(-1, echo.closeAfter()),
                () -> assertEquals(-1, echo.resetAfter()),
                () -> assertFalse(echo.isSilent()),
                () -> assertTrue(echo.isPlainEcho()),
                () -> assertSame(echo, EchoBehavior.echo()),
                () -> assertEquals("EchoBehavior.echo()", echo.toString()));
    }

    @Test
    void everyModifierReturnsANewValueAndLeavesTheOriginalAlone() {
        EchoBehavior echo = EchoBehavior.echo();
        EchoBehavior slow = echo.latency(Duration.ofMillis(50));
        assertEquals(Duration.ofMillis(50), slow.latency());
        assertEquals(Duration.ZERO, echo.latency());
        assertFalse(slow.isPlainEcho());
    }

    @Test
    void combinesEveryCondition() {
        EchoBehavior all = EchoBehavior.echo()
                .latency(Duration.ofMillis(50))
                .jitter(Duration.ofMillis(20))
                .bandwidth(64 * 1024)
                .chunkSize(1)
                .closeAfter(1024)
                .resetAfter(2048)
                .silent();
        assertAll(
                () -> assertEquals(Duration.ofMillis(50), all.latency()),
                () -> assertEquals(Duration.ofMillis(20), all.jitter()),
                () -> assertEquals(65536, all.bandwidth()),
                () -> assertEquals(1, all.chunkSize()),
                () -> assertEquals(1024, all.closeAfter()),
                () -> assertEquals(2048, all.resetAfter()),
                () -> assertTrue(all.isSilent()),
                () -> assertEquals("EchoBehavior.echo().latency(50ms).jitter(20ms).bandwidth(65536).chunkSize(1)"
                        + ".closeAfter(1024).resetAfter(2048).silent()", all.toString()));
    }

    @Test
    void equalsAndHashCodeAreValueBased() {
        EchoBehavior a = EchoBehavior.echo().latency(Duration.ofMillis(5)).chunkSize(3);
        EchoBehavior b = EchoBehavior.echo().chunkSize(3).latency(Duration.ofMillis(5));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.chunkSize(4));
        assertNotEquals(a, a.silent());
        assertNotEquals(a, null);
        assertEquals(EchoBehavior.echo(), EchoBehavior.echo().latency(Duration.ZERO));
    }

    @Test
    void zeroIsAValidCloseAndResetCount() {
        assertEquals(0, EchoBehavior.echo().closeAfter(0).closeAfter());
        assertEquals(0, EchoBehavior.echo().resetAfter(0).resetAfter());
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        EchoBehavior echo = EchoBehavior.echo();
        assertRejected("latency: PT-0.001S", () -> echo.latency(Duration.ofMillis(-1)));
        assertRejected("latency: PT2H", () -> echo.latency(Duration.ofHours(2)));
        assertRejected("jitter: PT-1S", () -> echo.jitter(Duration.ofSeconds(-1)));
        assertRejected("bandwidth: 0 (expected: >= 1)", () -> echo.bandwidth(0));
        assertRejected("chunkSize: 0 (expected: >= 1)", () -> echo.chunkSize(0));
        assertRejected("closeAfter: -1 (expected: >= 0)", () -> echo.closeAfter(-1));
        assertRejected("resetAfter: -5 (expected: >= 0)", () -> echo.resetAfter(-5));
        assertRejected("latency: null (expected: a value)", () -> echo.latency(null));
    }

    private static void assertRejected(String messageStart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(messageStart), () -> "message was: " + e.getMessage());
    }
}
