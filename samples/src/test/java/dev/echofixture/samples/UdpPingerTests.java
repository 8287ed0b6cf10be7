package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import dev.echofixture.junit.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link UdpPinger} against a UDP echo server per test. */
@EchoServer(transport = Transport.UDP)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpPingerTests {

    @Test
    void everyPingComesBackFromAPlainEchoServer(EmbeddedEchoServer server) throws IOException {
        UdpPinger.Result result = new UdpPinger(server.address(), Duration.ofSeconds(2), 100).ping(20);
        assertEquals(20, result.received());
        assertEquals(0.0, result.loss());
        assertTrue(result.minRtt().compareTo(result.maxRtt()) <= 0, result.toString());
        assertEquals(20, server.stats().bytesReceived() / 100);
    }

    @Test
    @EchoServer(transport = Transport.UDP, latencyMillis = 100)
    void roundTripsIncludeTheServersLatency(EmbeddedEchoServer server) throws IOException {
        UdpPinger.Result result = new UdpPinger(server.address(), Duration.ofSeconds(2)).ping(3);
        assertEquals(3, result.received());
        assertTrue(result.minRtt().toMillis() >= 100, result.toString());
        assertTrue(result.maxRtt().toMillis() < 100 + 2_000, result.toString());
    }

    @Test
    @EchoServer(transport = Transport.UDP, silent = true)
    void countsEveryPingLostWhenTheServerIsSilent(EmbeddedEchoServer server) throws IOException {
        long start = System.nanoTime();
        UdpPinger.Result result = new UdpPinger(server.address(), Duration.ofMillis(100)).ping(3);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, result.received());
        assertEquals(1.0, result.loss());
        assertEquals(Duration.ZERO, result.minRtt());
        assertTrue(elapsed >= 300 && elapsed < 300 + 2_000, elapsed + " ms");
    }

    @Test
    @EchoServer(transport = Transport.UDP, latencyMillis = 300)
    void aLateReplyIsNeverCountedForTheNextPing(EmbeddedEchoServer server) throws IOException {
        // each reply arrives 300 ms late, after its ping's 200 ms time-out: all lost, none misattributed
        UdpPinger.Result result = new UdpPinger(server.address(), Duration.ofMillis(200)).ping(3);
        assertEquals(0, result.received(), result.toString());
    }

    @Test
    void rejectsBadSettingsNamingThem(EmbeddedEchoServer server) {
        InetSocketAddress address = server.address();
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new UdpPinger(address, Duration.ofSeconds(1), 8));
        assertTrue(size.getMessage().startsWith("size: 8"), size.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> new UdpPinger(address, Duration.ZERO));
        assertTrue(timeout.getMessage().startsWith("timeout: PT0S"), timeout.getMessage());
    }
}
