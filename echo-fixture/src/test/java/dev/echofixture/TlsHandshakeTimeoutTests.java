package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TlsOptions#handshakeTimeout(Duration)}: a client that sends nothing is closed and its
 * handshake recorded as failed; a slow but steady one, a handshake delay and a silent handshake
 * are not cut.
 */
@Timeout(30)
class TlsHandshakeTimeoutTests {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @Test
    void theDefaultIsTenSecondsAndForeverMeansNever() {
        assertEquals(Duration.ofSeconds(10), TlsOptions.defaults().handshakeTimeout());
        assertEquals(Duration.ZERO, TlsOptions.defaults().handshakeTimeout(Duration.ZERO).handshakeTimeout());
        TlsOptions forever = TlsOptions.defaults().handshakeTimeout(ChronoUnit.FOREVER.getDuration());
        assertTrue(forever.toString().contains("handshakeTimeout="), forever.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.defaults().handshakeTimeout(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().startsWith("handshakeTimeout: "), e.getMessage());
    }

    @Test
    void aClientThatSendsNothingIsClosedAndRecordedAsFailed() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .tls(TlsOptions.defaults().handshakeTimeout(TIMEOUT)).start();
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            TlsHandshake tls = connection.awaitTls(Duration.ofSeconds(10));
            assertEquals(TlsHandshake.Status.FAILED, tls.status(), tls.toString());
            String reason = tls.failure().orElseThrow();
            assertTrue(reason.contains("handshake timed out") && reason.contains("TlsOptions.handshakeTimeout"), reason);
            assertEquals(-1, peer.channel.read(ByteBuffer.allocate(1)), "the server closed the connection");
            Await.until(() -> !connection.isOpen(), "the connection closed");
        }
    }

    @Test
    void aSlowButSteadyClientHelloIsAnsweredAndTheHandshakeCompletes() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .tls(TlsOptions.defaults().handshakeTimeout(TIMEOUT)).start()) {
            byte[] hello = TlsIdleTimeoutTests.clientHello(server);
            try (RawPeer peer = RawPeer.connect(server)) {
                int pieces = 30; // 30 x 50 ms: five time-outs long
                int piece = (hello.length + pieces - 1) / pieces;
                for (int at = 0; at < hello.length; at += piece) {
                    if (at > 0) {
                        LockSupport.parkNanos(50_000_000L); // the pace is the test's subject, not a wait for something
                    }
                    peer.write(java.util.Arrays.copyOfRange(hello, at, Math.min(hello.length, at + piece)));
                }
                ByteBuffer reply = ByteBuffer.allocate(1);
                assertEquals(1, peer.channel.read(reply), "the server answered the hello");
                assertEquals(22, reply.get(0), "a handshake record (22), not an alert (21)");
            }
        }
    }

    @Test
    void aHandshakeDelayDoesNotCount() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .tls(TlsOptions.defaults().handshakeTimeout(TIMEOUT).handshakeDelay(Duration.ofMillis(900))).start();
             TlsPeer peer = TlsPeer.connect(server)) {
            peer.handshake();
            byte[] payload = TcpEchoTests.random(1000, 9);
            peer.write(payload);
            assertArrayEquals(payload, peer.readExactly(payload.length));
            assertTrue(server.connections().get(0).tls().orElseThrow().isComplete());
        }
    }

    @Test
    void aSilentHandshakeIsNotCut() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .tls(TlsOptions.defaults().handshakeTimeout(TIMEOUT).silentHandshake()).start();
             TlsPeer peer = TlsPeer.connect(server)) {
            peer.socket.setSoTimeout(1200); // four time-outs: the server neither answers nor closes
            assertThrows(SocketTimeoutException.class, peer::handshake);
            assertTrue(server.connections().get(0).isOpen(), "the connection is open");
        }
    }
}
