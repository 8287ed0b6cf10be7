package dev.echofixture.internal.conditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoBehavior;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pacing arithmetic, on a virtual clock. */
@Timeout(10)
class PacerTests {

    private static final long MS = 1_000_000L;

    static OutboundBuffer.Chunk chunk(int size, long releaseAt, EchoBehavior behavior) {
        return new OutboundBuffer.Chunk(ByteBuffer.allocate(size), releaseAt, behavior);
    }

    @Test
    void releaseTimesFollowLatencyAndNeverGoBackwards() {
        Pacer pacer = new Pacer(1, 0);
        EchoBehavior slow = EchoBehavior.echo().latency(Duration.ofMillis(50));
        assertEquals(1000 + 50 * MS, pacer.releaseAt(slow, 1000));
        assertEquals(2000 + 50 * MS, pacer.releaseAt(slow, 2000), "not cumulative");
        assertEquals(2000 + 50 * MS, pacer.releaseAt(EchoBehavior.echo(), 3000), "never before the chunk ahead");
    }

    @Test
    void jitterDependsOnSeedAndConnectionOnly() {
        long jitter = 20 * MS;
        long[] a = draws(new Pacer(7, 3), jitter);
        long[] b = draws(new Pacer(7, 3), jitter);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(draws(new Pacer(7, 4), jitter)));
        for (long draw : a) {
            assertTrue(draw >= 0 && draw <= jitter);
        }
    }

    @Test
    void aChunkIsHeldUntilItsReleaseTime() {
        Pacer pacer = new Pacer(1, 0);
        OutboundBuffer.Chunk head = chunk(100, 10 * MS, EchoBehavior.echo().latency(Duration.ofMillis(10)));
        assertEquals(0, pacer.writable(head, 5 * MS));
        assertEquals(10 * MS, pacer.retryAt());
        assertEquals(100, pacer.writable(head, 10 * MS));
    }

    @Test
    void chunkSizeLimitsEachWriteAndSpacesThemOneMillisecondApart() {
        Pacer pacer = new Pacer(1, 0);
        OutboundBuffer.Chunk head = chunk(10, 0, EchoBehavior.echo().chunkSize(3));
        long now = 0;
        assertEquals(3, pacer.writable(head, now));
        pacer.wrote(head, 3, now);
        assertEquals(0, pacer.writable(head, now + MS / 2));
        assertEquals(now + Pacer.CHUNK_GAP_NANOS, pacer.retryAt());
        assertEquals(3, pacer.writable(head, now + Pacer.CHUNK_GAP_NANOS));
    }

    @Test
    void bandwidthAllowsABurstOfATenthThenRefillsAtTheRate() {
        Pacer pacer = new Pacer(1, 0);
        EchoBehavior limited = EchoBehavior.echo().bandwidth(10_000);
        OutboundBuffer.Chunk head = chunk(5000, 0, limited);
        assertEquals(1000, pacer.writable(head, 0), "burst: a tenth of the rate");
        pacer.wrote(head, 1000, 0);
        assertEquals(0, pacer.writable(head, 0));
        assertEquals(100 * MS, pacer.retryAt(), "1,000 bytes at 10,000 B/s take 100 ms");
        assertEquals(500, pacer.writable(head, 50 * MS));
    }

    private static long[] draws(Pacer pacer, long jitter) {
        long[] draws = new long[8];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = pacer.drawJitter(jitter);
        }
        return draws;
    }
}
