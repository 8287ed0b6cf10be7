package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.server.ServerConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression of issue 12, item 3: a long-running UDP server never forgot a peer without an
 * idle time-out, so it stopped answering every new client once {@code maxConnections}
 * distinct addresses had been seen.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpIdlePeersTests {

    @Test
    void udpForgetsPeersIdleForSixtySecondsUnlessToldOtherwise() {
        assertEquals(Duration.ofSeconds(60), ServerConfig.DEFAULT_UDP_IDLE_TIMEOUT);
        ServerConfig udp = EmbeddedEchoServer.builder().transport(Transport.UDP).config();
        assertEquals(ServerConfig.DEFAULT_UDP_IDLE_TIMEOUT, udp.idleTimeout());
        assertEquals(TimeUnit.SECONDS.toNanos(60), udp.idleTimeoutNanos());
        assertFalse(EmbeddedEchoServer.builder().transport(Transport.UDP).idleTimeout(Duration.ZERO).config().hasIdleTimeout(),
                "Duration.ZERO keeps every peer");
        assertEquals(Duration.ofSeconds(5),
                EmbeddedEchoServer.builder().transport(Transport.UDP).idleTimeout(Duration.ofSeconds(5)).config().idleTimeout());
        assertFalse(EmbeddedEchoServer.builder().config().hasIdleTimeout(), "TCP: none unless asked");
        assertFalse(EmbeddedEchoServer.builder().transport(Transport.UNIX).config().hasIdleTimeout(), "UNIX: none unless asked");
    }

    @Test
    void keepsAnsweringNewPeersLongAfterMaxConnectionsAddressesWereSeen() throws Exception {
        int peers = 8;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP)
                .maxConnections(2).idleTimeout(Duration.ofMillis(100)).start()) {
            for (int i = 0; i < peers; i++) {
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    assertEquals("peer " + i, pingUntilAnswered(socket, server, "peer " + i),
                            "new peer " + i + " is answered once an idle one was forgotten");
                }
            }
            assertEquals(peers, server.stats().connectionsAccepted());
            assertTrue(server.stats().activeConnections() <= 2, server.stats().toString());
        }
    }

    /** Sends the text every 50 ms until its echo comes back (at most 10 s): a dropped datagram is sent again. */
    private static String pingUntilAnswered(DatagramSocket socket, EmbeddedEchoServer server, String text) throws Exception {
        byte[] sent = text.getBytes(UTF_8);
        socket.setSoTimeout(50);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            socket.send(new DatagramPacket(sent, sent.length, server.address()));
            DatagramPacket echo = new DatagramPacket(new byte[100], 100);
            try {
                socket.receive(echo);
                return new String(echo.getData(), 0, echo.getLength(), UTF_8);
            } catch (SocketTimeoutException dropped) {
                // the server is full until a peer has been idle for 100 ms: send again
            }
        }
        throw new AssertionError("no echo within 10 s for " + text + "; " + server.stats());
    }
}
