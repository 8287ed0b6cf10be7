package dev.echofixture.internal.conditions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one {@link TokenBucket} behind both bandwidth limits: a stream's writes (split to what the
 * bucket holds) and a UDP peer's whole datagrams (through {@link Pacer#datagramSendTime}), on a
 * made-up clock (milliseconds as nanos).
 */
@Timeout(10)
class TokenBucketTests {

    private static final long MS = 1_000_000L;
    private static final long RATE = 10_000; // bytes per second: the burst is 1,000 bytes, 100 bytes take 10 ms

    private final Pacer peer = new Pacer(1, 0);

    /** Sends a datagram as soon as the peer's pacer lets it go, from {@code now} on; returns when it went. */
    private long sendAsSoonAsAllowed(int length, long now) {
        long at = peer.datagramSendTime(now, length, RATE, now);
        peer.datagramSent(length, RATE, at);
        return at;
    }

    @Test
    void streamWritesTakeAtMostWhatTheBucketHoldsAndNeverGoIntoDebt() {
        TokenBucket bucket = new TokenBucket();
        assertEquals(1_000, bucket.available(RATE, 0), "starts full: a tenth of a second's worth");
        bucket.take(RATE, 1_000, 0);
        assertEquals(0, bucket.available(RATE, 0));
        assertEquals(10 * MS, bucket.availableAt(RATE, 100, 0), "100 bytes are back after 10 ms");
        assertEquals(500, bucket.available(RATE, 50 * MS));
        assertEquals(1_000, bucket.available(RATE, 500 * MS), "never more than the burst");
        assertEquals(1, TokenBucket.burst(5), "at least one byte");
    }

    @Test
    void withoutBandwidthDatagramGoesAtItsReleaseTime() {
        assertEquals(5 * MS, peer.datagramSendTime(5 * MS, 65_000, 0, 0));
        assertEquals(7 * MS, peer.datagramSendTime(5 * MS, 65_000, 0, 7 * MS));
    }

    @Test
    void burstIsATenthOfASecondWorthOfBytes() {
        for (int i = 0; i < 10; i++) {
            assertEquals(0, sendAsSoonAsAllowed(100, 0), "datagram " + i + " is within the burst");
        }
        assertEquals(10 * MS, sendAsSoonAsAllowed(100, 0));
        assertEquals(20 * MS, sendAsSoonAsAllowed(100, 0));
    }

    @Test
    void keepsTheLongTermRate() {
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = sendAsSoonAsAllowed(100, last);
        }
        // 10,000 bytes at 10,000 B/s, of which the first 1,000 are the burst
        assertEquals(900 * MS, last);
    }

    @Test
    void datagramLargerThanBurstGoesWholeOnceBucketIsFullAndNextWaitsOutTheDebt() {
        assertEquals(0, sendAsSoonAsAllowed(5_000, 0));
        assertEquals(410 * MS, sendAsSoonAsAllowed(100, 0)); // 500 ms of debt, less the 90 ms the bucket may lack
        long afterDebt = sendAsSoonAsAllowed(5_000, 410 * MS);
        assertEquals(510 * MS, afterDebt); // waits until the bucket is full again
    }

    @Test
    void newRateStartsWithFullBucket() {
        sendAsSoonAsAllowed(5_000, 0);

        assertEquals(0, peer.datagramSendTime(0, 100, RATE * 2, 0));
    }

    @Test
    void releaseTimeStillHolds() {
        assertEquals(50 * MS, peer.datagramSendTime(50 * MS, 100, RATE, 0));
    }
}
