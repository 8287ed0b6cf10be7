package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole-datagram rate limit of {@link DatagramPeer}, on a made-up clock (milliseconds as nanos). */
@Timeout(10)
class DatagramPeerTests {

    private static final long MS = 1_000_000L;
    private static final long RATE = 10_000; // bytes per second: the burst is 1,000 bytes, 100 bytes take 10 ms

    private final DatagramPeer peer = new DatagramPeer(null, new InetSocketAddress("127.0.0.1", 7), 0);

    /** Sends a datagram as soon as the peer lets it go, from {@code now} on; returns when it went. */
    private long sendAsSoonAsAllowed(int length, long now) {
        long at = peer.sendTime(now, length, RATE, now);
        peer.paced(length, RATE, at);
        return at;
    }

    @Test
    void withoutBandwidthDatagramGoesAtItsReleaseTime() {
        assertEquals(5 * MS, peer.sendTime(5 * MS, 65_000, 0, 0));
        assertEquals(7 * MS, peer.sendTime(5 * MS, 65_000, 0, 7 * MS));
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

        assertEquals(0, peer.sendTime(0, 100, RATE * 2, 0));
    }

    @Test
    void releaseTimeStillHolds() {
        assertEquals(50 * MS, peer.sendTime(50 * MS, 100, RATE, 0));
    }
}
