package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the server remembers of each connection, and the two actions on a connection. */
@Timeout(30)
class RecordingTests {

    @Test
    void recordsWhatEachPeerSentWithCountsAndTimes() throws Exception {
        Instant before = Instant.now();
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            try (RawPeer first = RawPeer.connect(server)) {
                first.write("héllo".getBytes(StandardCharsets.UTF_8));
                first.readExactly(6);
                EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
                assertEquals("héllo", connection.receivedText());
                assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), connection.received());
                assertEquals(6, connection.bytesReceived());
                Await.until(() -> connection.bytesSent() == 6, "6 bytes sent");
                assertTrue(connection.isOpen());
                assertTrue(connection.closedAt().isEmpty());
                assertFalse(connection.openedAt().isBefore(before));
                assertEquals(first.channel.getLocalAddress(), connection.remoteAddress());
                assertTrue(connection.toString().contains("received 6 B"), connection.toString());
            }
            try (RawPeer second = RawPeer.connect(server)) {
                second.write("bye".getBytes(StandardCharsets.UTF_8));
                second.readExactly(3);
            }
            List<EchoConnection> connections = server.awaitConnections(2, Duration.ofSeconds(5));
            assertEquals("bye", connections.get(1).receivedText());
            for (EchoConnection connection : connections) {
                Await.until(() -> !connection.isOpen(), "closed: " + connection);
                assertFalse(connection.closedAt().get().isBefore(connection.openedAt()));
            }
            assertEquals(new EchoStats(2, 0, 0, 9, 9), server.stats());
            assertEquals(connections, server.connections(), "oldest first, closed ones included");
        }
    }

    @Test
    void recordLimitCapsTheRecordingButNotTheCounts() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().recordLimit(10).start();
             RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = new byte[100_000];
            Arrays.fill(payload, (byte) 'a');
            peer.writeInBackground(payload);
            peer.readExactly(payload.length);
            EchoConnection connection = server.connections().get(0);
            assertEquals("aaaaaaaaaa", connection.receivedText());
            assertEquals(100_000, connection.bytesReceived());
        }
    }

    @Test
    void recordLimitZeroRecordsNothing() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().recordLimit(0).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("secret".getBytes(StandardCharsets.UTF_8));
            peer.readExactly(6);
            EchoConnection connection = server.connections().get(0);
            assertEquals(0, connection.received().length);
            assertEquals("", connection.receivedText());
            assertEquals(6, connection.bytesReceived());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void closeIsSeenByThePeerAsEndOfStream(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("ping".getBytes(StandardCharsets.UTF_8));
            peer.readExactly(4);
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            connection.close();
            assertEquals(0, peer.readToEnd().length, "an orderly end of stream");
            peer.close();
            Await.until(() -> !connection.isOpen(), "closed on the server side");
            connection.close(); // idempotent
            connection.reset();
        }
    }

    @Test
    void resetIsSeenByThePeerAsConnectionReset() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start(); RawPeer peer = RawPeer.connect(server)) {
            peer.write("ping".getBytes(StandardCharsets.UTF_8));
            peer.readExactly(4);
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            connection.reset();
            SocketException e = assertThrows(SocketException.class, peer::readToEnd);
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
            Await.until(() -> !connection.isOpen(), "closed on the server side");
        }
    }

    @Test
    void aLongRunningServerCanForgetOldClosedConnectionsButKeepsCounting() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            server.retainClosedConnections(2);
            for (int i = 0; i < 10; i++) {
                try (RawPeer peer = RawPeer.connect(server)) {
                    peer.write(text("#" + i));
                    peer.readExactly(2);
                    peer.shutdownOutput();
                    peer.readToEnd();
                }
                int closedBefore = i + 1;
                Await.until(() -> server.stats().activeConnections() == 0 && server.stats().connectionsAccepted() == closedBefore,
                        "connection " + i + " closed");
            }
            List<EchoConnection> listed = server.connections();
            assertTrue(listed.size() >= 2 && listed.size() <= 4, listed.size() + " listed");
            assertEquals("#9", listed.get(listed.size() - 1).receivedText(), "the newest stay");
            assertEquals(new EchoStats(10, 0, 0, 20, 20), server.stats());
            try (RawPeer open = RawPeer.connect(server)) {
                // counts every arrival, returns what is still listed
                assertTrue(server.awaitConnections(11, Duration.ofSeconds(5)).size() <= 5);
            }
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void remoteAddressIsThePeersAddress() throws IOException {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start(); RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            InetSocketAddress local = (InetSocketAddress) peer.channel.getLocalAddress();
            assertEquals(local, connection.remoteAddress());
        }
    }
}
