package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EchoConnection#awaitClosed(Duration)} and {@link ConnectionClose}: how the peer ended a connection. */
@Timeout(30)
class AwaitClosedTests {

    private static final Duration LONG = Duration.ofSeconds(10);
    private static final byte[] PING = "PING".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void waitsForAnOrderlyClose(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start()) {
            RawPeer peer = RawPeer.connect(server.socketAddress());
            peer.write(PING);
            peer.readExactly(PING.length);
            EchoConnection connection = server.takeConnection(LONG);
            CompletableFuture<ConnectionClose> waiting = CompletableFuture.supplyAsync(() -> connection.awaitClosed(LONG));
            assertThrows(java.util.concurrent.TimeoutException.class, () -> waiting.get(50, TimeUnit.MILLISECONDS),
                    "returned while the peer kept the connection open");
            peer.close();
            ConnectionClose close = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(new ConnectionClose(ConnectionClose.Kind.ORDERLY, false), close);
            assertTrue(close.isOrderly());
            assertFalse(close.isReset());
            assertEquals("ConnectionClose[ORDERLY]", close.toString());
            assertSame(close, connection.awaitClosed(Duration.ZERO), "already seen: at once, the same answer");
        }
    }

    @Test
    void aHalfCloseIsTheOrderlyEndEvenBeforeTheServerHasClosed() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .behavior(EchoBehavior.echo().latency(Duration.ofSeconds(2))).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write(PING);
            peer.shutdownOutput();
            EchoConnection connection = server.takeConnection(LONG);
            assertEquals(ConnectionClose.Kind.ORDERLY, connection.awaitClosed(LONG).kind());
            assertTrue(connection.isOpen(), "the server still holds the delayed echo back");
            assertEquals("PING", new String(peer.readToEnd(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void seesAReset() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            RawPeer peer = RawPeer.connect(server);
            peer.write(PING);
            peer.readExactly(PING.length);
            EchoConnection connection = server.takeConnection(LONG);
            peer.reset();
            ConnectionClose close = connection.awaitClosed(LONG);
            assertEquals(ConnectionClose.Kind.RESET, close.kind());
            assertTrue(close.isReset());
            assertEquals("ConnectionClose[RESET]", close.toString());
        }
    }

    @Test
    void overTlsSaysWhetherCloseNotifyCameFirst() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start()) {
            try (EchoClient client = server.newClient()) { // close() sends close_notify
                assertEquals("hello", client.sendAndAwait("hello"));
            }
            ConnectionClose clean = server.takeConnection(LONG).awaitClosed(LONG);
            assertEquals(new ConnectionClose(ConnectionClose.Kind.ORDERLY, true), clean);
            assertEquals("ConnectionClose[ORDERLY, close_notify first]", clean.toString());

            javax.net.ssl.SSLContext context = server.sslContextForClients();
            try (java.net.Socket plain = new java.net.Socket(server.address().getAddress(), server.port())) {
                plain.setSoTimeout(20_000);
                javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                        .createSocket(plain, server.host(), server.port(), false);
                socket.getOutputStream().write(PING);
                socket.getInputStream().readNBytes(PING.length);
            } // the TCP socket closes under the TLS one: no close_notify
            ConnectionClose truncated = server.takeConnection(LONG).awaitClosed(LONG);
            assertEquals(new ConnectionClose(ConnectionClose.Kind.ORDERLY, false), truncated);
        }
    }

    @Test
    void failsOnTimeOutNamingTheConnectionAndItsState() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write(PING);
            peer.readExactly(PING.length);
            EchoConnection connection = server.takeConnection(LONG);
            AssertionError e = assertThrows(AssertionError.class, () -> connection.awaitClosed(Duration.ofMillis(50)));
            assertEquals(connection + " was not ended by its peer within 50ms: it is still open, and the server has read"
                    + " neither an end of stream nor a reset from the peer", e.getMessage());
            assertTrue(e.getMessage().contains(", open, received 4 B, sent 4 B]"), e.getMessage());
        }
    }

    @Test
    void failsAtOnceWhenTheServerClosedFirst() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.takeConnection(LONG);
            connection.reset();
            Await.until(() -> !connection.isOpen(), "the server reset the connection");
            long start = System.nanoTime();
            AssertionError e = assertThrows(AssertionError.class, () -> connection.awaitClosed(LONG));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "failed at once, not after the time-out");
            assertTrue(e.getMessage().startsWith(connection + " was closed by the server before its peer ended it"),
                    e.getMessage());
        }
    }

    @Test
    void isRejectedForAUdpPeer() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).start();
             DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(PING, PING.length, server.address()));
            EchoConnection peer = server.takeConnection(LONG);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> peer.awaitClosed(LONG));
            assertEquals("awaitClosed: " + peer + " is a UDP peer, and UDP has no close (expected: a TCP, UNIX or TLS"
                    + " connection; for UDP wait for the datagrams with awaitReceived)", e.getMessage());
        }
    }

    @Test
    void rejectsABadTimeOutAndABadValue() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.takeConnection(LONG);
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> connection.awaitClosed(Duration.ofSeconds(-1)));
            assertTrue(negative.getMessage().startsWith("timeout: "), negative.getMessage());
            assertThrows(IllegalArgumentException.class, () -> connection.awaitClosed(null));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnectionClose(null, false));
        assertEquals("kind: null (expected: a value)", e.getMessage());
    }
}
