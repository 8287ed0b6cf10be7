package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The faults of {@link EchoBehavior} as values: checked, compared and printed like the conditions. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FaultBehaviorTests {

    @Test
    void faultsAreValuesThatKeepTheConditions() {
        EchoBehavior a = EchoBehavior.echo().latency(Duration.ofMillis(5)).udpLoss(0.1).udpDuplication(0.2)
                .udpReordering(0.3).jitter(Duration.ofMillis(1));
        EchoBehavior b = EchoBehavior.echo().udpReordering(0.3).udpDuplication(0.2).udpLoss(0.1)
                .jitter(Duration.ofMillis(1)).latency(Duration.ofMillis(5));

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("EchoBehavior.echo().latency(5ms).jitter(1ms).udpLoss(0.1).udpDuplication(0.2).udpReordering(0.3)",
                a.toString());
        assertTrue(a.hasFaults());
        assertFalse(a.isPlainEcho());
        assertEquals(0.1, a.udpLoss());
        assertEquals(Duration.ofMillis(5), a.latency(), "a fault keeps the conditions set before");
    }

    @Test
    void streamFaultsPrintLikeTheCodeThatBuiltThem() {
        EchoBehavior behavior = EchoBehavior.echo().corruptAt(9, 2, 2).corruptRate(0.01).randomDataThenClose(8)
                .slowClose(Duration.ofMillis(200)).silent();

        assertEquals("EchoBehavior.echo().silent().corruptRate(0.01).corruptAt(2, 9).randomDataThenClose(8).slowClose(200ms)",
                behavior.toString());
        assertArrayEquals(new long[] {2, 9}, behavior.corruptOffsets());
        assertEquals(8, behavior.randomDataThenClose());
        assertEquals(Duration.ofMillis(200), behavior.slowClose());
        assertNotEquals(behavior, behavior.corruptAt(2));
        assertEquals(behavior, behavior.corruptAt(2, 9));
    }

    @Test
    void noFaultIsPlainEcho() {
        EchoBehavior none = EchoBehavior.echo().udpLoss(0).corruptRate(-0.0).corruptAt().slowClose(Duration.ZERO);

        assertEquals(EchoBehavior.echo(), none);
        assertTrue(none.isPlainEcho());
        assertFalse(none.hasFaults());
        assertEquals(-1, none.randomDataThenClose());
    }

    @Test
    void badFaultSettingsNameTheSetting() {
        assertSetting("udpLoss", () -> EchoBehavior.echo().udpLoss(1.5), "1.5 (expected: a rate from 0.0 to 1.0");
        assertSetting("udpDuplication", () -> EchoBehavior.echo().udpDuplication(-0.1), "-0.1 (expected");
        assertSetting("udpReordering", () -> EchoBehavior.echo().udpReordering(Double.NaN), "NaN (expected");
        assertSetting("corruptRate", () -> EchoBehavior.echo().corruptRate(2), "2.0 (expected");
        assertSetting("corruptAt", () -> EchoBehavior.echo().corruptAt(3, -1), "[3, -1] (expected: byte offsets >= 0");
        assertSetting("corruptAt", () -> EchoBehavior.echo().corruptAt((long[]) null), "null (expected");
        assertSetting("randomDataThenClose", () -> EchoBehavior.echo().randomDataThenClose(0), "0 (expected: >= 1)");
        assertSetting("slowClose", () -> EchoBehavior.echo().slowClose(Duration.ofMillis(-1)), "(expected: 0 to PT1H");
        assertSetting("slowClose", () -> EchoBehavior.echo().slowClose(null), "null (expected");
    }

    private static void assertSetting(String setting, Runnable bad, String detail) {
        SettingException e = assertThrows(SettingException.class, bad::run);
        assertEquals(setting, e.setting());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }
}
