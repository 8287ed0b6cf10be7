package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EmbeddedEchoServer#clearRecording()}: what a test's next phase starts from. */
@Timeout(30)
class ClearRecordingTests {

    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void forgetsClosedConnectionsAndEveryByteButKeepsOpenOnesListedAndEchoed() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().maxConnections(2).start();
             EchoClient kept = server.newClient()) {
            try (EchoClient gone = server.newClient()) {
                assertEquals("gone", gone.sendAndAwait("gone"));
            }
            assertEquals("phase 1", kept.sendAndAwait("phase 1"));
            EchoConnection keptView = server.awaitConnections(2, LONG).get(0);
            server.connections().get(1).awaitClosed(LONG);
            try (RawPeer rejected1 = RawPeer.connect(server); RawPeer rejected2 = RawPeer.connect(server);
                 RawPeer rejected3 = RawPeer.connect(server)) {
                Await.until(() -> server.stats().connectionsRejected() > 0, "a connection beyond maxConnections was rejected");
            }
            Await.until(() -> server.stats().activeConnections() == 1, "only the kept connection is open");

            server.clearRecording();

            assertEquals(List.of(keptView), server.connections(), "closed ones forgotten, the open one still listed");
            assertArrayEquals(new byte[0], keptView.received());
            assertEquals(0, keptView.bytesReceived());
            assertEquals(0, keptView.bytesSent());
            assertEquals(new EchoStats(1, 0, 1, 0, 0), server.stats());
            assertSame(keptView, server.awaitConnections(1, Duration.ZERO).get(0));
            assertSame(keptView, server.takeConnection(Duration.ZERO), "not taken yet: still in line");

            assertEquals("phase 2", kept.sendAndAwait("phase 2"), "still open and echoed");
            assertEquals("phase 2", keptView.receivedText());
            assertEquals(7, keptView.bytesReceived());
            try (EchoClient next = server.newClient()) {
                assertEquals("new", next.sendAndAwait("new"));
                EchoConnection newView = server.takeConnection(LONG);
                assertEquals("new", newView.receivedText());
                assertEquals(List.of(keptView, newView), server.connections());
            }
            Await.until(LONG, () -> server.stats().bytesReceived() == 10, () -> "phase 2 counted: " + server.stats());
            assertEquals(2, server.stats().connectionsAccepted());
            assertTrue(server.toString().contains("seed="), server.toString());
        }
    }

    @Test
    void clearsBytesThatReachedTheServerBeforeTheCall() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.takeConnection(LONG);
            for (int i = 0; i < 50; i++) {
                peer.write("before".getBytes(StandardCharsets.US_ASCII)); // written, not waited for
                server.clearRecording();
                assertEquals("", connection.receivedText(), "round " + i);
                peer.readExactly(6);
            }
            peer.write("after".getBytes(StandardCharsets.US_ASCII));
            connection.awaitReceived("after", LONG);
            assertEquals("after", connection.receivedText());
        }
    }

    @Test
    void aTakenOpenConnectionIsNotHandedOutAgainAndAClosedServerStillClears() throws Exception {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        try (EchoClient client = server.newClient()) {
            assertEquals("x", client.sendAndAwait("x"));
            server.takeConnection(LONG);
            server.clearRecording();
            assertThrows(AssertionError.class, () -> server.takeConnection(Duration.ofMillis(20)));
        }
        server.close();
        server.clearRecording();
        assertEquals(List.of(), server.connections());
        assertEquals(new EchoStats(0, 0, 0, 0, 0), server.stats());
    }
}
