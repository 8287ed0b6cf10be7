package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EmbeddedEchoServer#takeConnection(Duration)}: each connection handed out once, in accept order. */
@Timeout(30)
class TakeConnectionTests {

    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void handsOutEachConnectionOnceInAcceptOrder() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            for (int i = 0; i < 3; i++) {
                try (EchoClient client = server.newClient()) {
                    assertEquals("client " + i, client.sendAndAwait("client " + i));
                }
            }
            List<EchoConnection> all = server.awaitConnections(3, LONG);
            for (int i = 0; i < 3; i++) {
                EchoConnection taken = server.takeConnection(LONG);
                assertSame(all.get(i), taken, "closed ones included, oldest first");
                assertEquals("client " + i, taken.receivedText());
            }
            assertEquals(all, server.connections(), "taking changes nothing else");
            AssertionError e = assertThrows(AssertionError.class, () -> server.takeConnection(Duration.ofMillis(30)));
            assertEquals("no connection to take arrived within 30ms at " + server.uri() + " (3 connections accepted, 3 taken)",
                    e.getMessage());
        }
    }

    @Test
    void waitsForTheNextConnection() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             EchoClient first = server.newClient()) {
            assertEquals("1", first.sendAndAwait("1"));
            EchoConnection one = server.takeConnection(LONG);
            CompletableFuture<EchoConnection> next = CompletableFuture.supplyAsync(() -> server.takeConnection(LONG));
            assertThrows(java.util.concurrent.TimeoutException.class, () -> next.get(50, TimeUnit.MILLISECONDS));
            try (EchoClient second = server.newClient()) {
                assertEquals("2", second.sendAndAwait("2"));
                EchoConnection two = next.get(10, TimeUnit.SECONDS);
                assertNotSame(one, two);
                assertEquals("2", two.receivedText());
            }
        }
    }

    @Test
    void handsOutEachNewUdpPeer() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).start();
             DatagramSocket a = new DatagramSocket();
             DatagramSocket b = new DatagramSocket()) {
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            a.send(new DatagramPacket(ping, ping.length, server.address()));
            assertEquals(a.getLocalPort(), ((java.net.InetSocketAddress) server.takeConnection(LONG).remoteAddress()).getPort());
            b.send(new DatagramPacket(ping, ping.length, server.address()));
            assertEquals(b.getLocalPort(), ((java.net.InetSocketAddress) server.takeConnection(LONG).remoteAddress()).getPort());
        }
    }

    @Test
    void failsOnceTheServerIsClosed() {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        CompletableFuture<EchoConnection> waiting = CompletableFuture.supplyAsync(() -> server.takeConnection(LONG));
        server.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof AssertionError, String.valueOf(e.getCause()));
        assertEquals("no connection to take arrived before " + server.uri() + " was closed (0 connections accepted, 0 taken)",
                e.getCause().getMessage());
        assertFalse(server.isRunning());
    }

    @Test
    void rejectsANegativeTimeout() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> server.takeConnection(Duration.ofMillis(-1)));
            assertEquals("timeout: PT-0.001S (expected: >= 0)", e.getMessage());
        }
    }
}
