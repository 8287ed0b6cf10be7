package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.recording.ConnectionView;
import dev.echofixture.internal.server.DatagramServer;
import dev.echofixture.internal.server.DatagramSender;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the public API of a UDP server cannot show: the bound on datagrams held for their
 * latency, and the drop counter.
 */
@Timeout(30)
class DatagramServerTests {

    private static final Duration RECEIVE = Duration.ofSeconds(5);

    private static EmbeddedEchoServer udp(EchoBehavior behavior) {
        return EmbeddedEchoServer.builder().transport(Transport.UDP).behavior(behavior).start();
    }

    @Test
    void udpServerRunsDatagramServerOnItsOwnLoop() {
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo());
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            DatagramServer udp = assertInstanceOf(DatagramServer.class, server.transportServer());
            assertEquals(server.address(), udp.localAddress());
            assertTrue(UdpEchoTests.loopThreadAlive(server.port()));

            peer.send("hello".getBytes(UTF_8));

            assertEquals("hello", new String(peer.receive(RECEIVE), UTF_8));
            assertEquals(0, udp.datagramsDropped());
        }
    }

    @Test
    void dropsDelayedDatagramsBeyondPendingBound() {
        int size = 60_000;
        int count = 24; // 1.44 MB, more than the 1 MiB bound
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofSeconds(30)));
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            for (int i = 0; i < count; i++) {
                peer.send(UdpEchoTests.randomBytes(size, i));
                long expected = (long) (i + 1) * size; // one at a time: the server's receive buffer never overflows
                UdpEchoTests.await(() -> server.stats().bytesReceived() == expected,
                        () -> expected + " bytes received: " + server.stats());
            }

            long held = DatagramSender.MAX_PENDING_BYTES / (size + DatagramSender.PENDING_OVERHEAD);
            DatagramServer udp = (DatagramServer) server.transportServer();
            // the loop counts a drop just after it counted the bytes received
            UdpEchoTests.await(() -> udp.datagramsDropped() == count - held,
                    () -> (count - held) + " datagrams dropped, was " + udp.datagramsDropped());
            ConnectionView connection = (ConnectionView) server.connections().get(0);
            assertEquals(held * size, connection.peakPendingBytes());
            assertEquals((long) count * size, connection.bytesReceived());
            assertEquals(0, connection.bytesSent());
        }
    }

    @Test
    void freesPendingBoundWhenPeerIsForgotten() {
        int size = 60_000;
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofSeconds(30)));
             UdpPeer first = UdpPeer.connectedTo(server.address());
             UdpPeer second = UdpPeer.connectedTo(server.address())) {
            long held = DatagramSender.MAX_PENDING_BYTES / (size + DatagramSender.PENDING_OVERHEAD);
            for (int i = 0; i <= held; i++) { // the last one does not fit
                first.send(UdpEchoTests.randomBytes(size, i));
                long expected = (long) (i + 1) * size;
                UdpEchoTests.await(() -> server.stats().bytesReceived() == expected,
                        () -> expected + " bytes received: " + server.stats());
            }
            DatagramServer udp = (DatagramServer) server.transportServer();
            UdpEchoTests.await(() -> udp.datagramsDropped() == 1,
                    () -> "1 datagram dropped, was " + udp.datagramsDropped());

            server.connections().get(0).close();
            UdpEchoTests.await(() -> !server.connections().get(0).isOpen(), () -> "first peer forgotten");
            server.behavior(EchoBehavior.echo().latency(Duration.ofMillis(50))); // held too, so it needs room
            second.send(UdpEchoTests.randomBytes(size, 99));

            assertEquals(size, second.receive(RECEIVE).length);
            assertEquals(1, udp.datagramsDropped());
        }
    }
}
