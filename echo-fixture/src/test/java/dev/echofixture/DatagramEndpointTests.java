package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DatagramEndpoint} without the facade, for what the public API cannot show:
 * the bound on pending datagrams.
 */
@Timeout(30)
class DatagramEndpointTests {

    private static final Duration RECEIVE = Duration.ofSeconds(5);

    private DatagramEndpoint endpoint;
    private ConnectionRegistry registry;

    private DatagramEndpoint start(EchoBehavior behavior) {
        ServerConfig config = EmbeddedEchoServer.builder().transport(Transport.UDP).behavior(behavior).seed(1).config();
        registry = new ConnectionRegistry(config.recordLimit(), () -> "udp test server");
        endpoint = DatagramEndpoint.open(new ServerContext(config, registry));
        return endpoint;
    }

    @AfterEach
    void closeEndpoint() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void echoesDatagramToItsSender() {
        DatagramEndpoint endpoint = start(EchoBehavior.echo());
        try (UdpPeer peer = UdpPeer.connectedTo(endpoint.localAddress())) {
            peer.send("hello".getBytes(UTF_8));

            assertArrayEquals("hello".getBytes(UTF_8), peer.receive(RECEIVE));
            assertEquals("hello", registry.connections().get(0).receivedText());
        }
    }

    @Test
    void dropsDelayedDatagramsBeyondPendingBound() {
        DatagramEndpoint endpoint = start(EchoBehavior.echo().latency(Duration.ofSeconds(30)));
        int size = 60_000;
        int count = 24; // 1.44 MB, more than the 1 MiB bound
        try (UdpPeer peer = UdpPeer.connectedTo(endpoint.localAddress())) {
            for (int i = 0; i < count; i++) {
                peer.send(UdpEchoTests.randomBytes(size, i));
                long expected = (long) (i + 1) * size;
                UdpEchoTests.await(() -> registry.stats().bytesReceived() == expected, () -> expected + " bytes received: " + registry.stats());
            }

            long held = DatagramHandler.MAX_PENDING_BYTES / (size + DatagramHandler.PENDING_OVERHEAD);
            assertEquals(count - held, endpoint.datagramsDropped());
            assertEquals((long) count * size, registry.connections().get(0).bytesReceived());
            assertEquals(0, registry.stats().bytesSent());
        }
    }

    @Test
    void closingLoopClosesViewsAndCancelsDelayedEchoes() {
        DatagramEndpoint endpoint = start(EchoBehavior.echo().latency(Duration.ofSeconds(30)));
        try (UdpPeer peer = UdpPeer.connectedTo(endpoint.localAddress())) {
            peer.send("later".getBytes(UTF_8));
            UdpEchoTests.await(() -> registry.stats().bytesReceived() == 5, () -> "5 bytes received: " + registry.stats());

            long start = System.nanoTime();
            endpoint.close();

            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1000);
            assertTrue(registry.connections().get(0).closedAt().isPresent());
            peer.expectNothingWithin(Duration.ofMillis(100));
        }
    }
}
