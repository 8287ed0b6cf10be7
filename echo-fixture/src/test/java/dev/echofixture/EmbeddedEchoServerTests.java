package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Lifecycle of the facade: start, addresses, close, misuse after close, bad settings. */
@Timeout(30)
public class EmbeddedEchoServerTests {

    @Test
    void startsOnLoopbackWithAnEphemeralPort() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            assertTrue(server.isRunning());
            assertEquals(Transport.TCP, server.transport());
            assertEquals("127.0.0.1", server.host());
            assertTrue(server.port() > 0);
            assertEquals(new InetSocketAddress("127.0.0.1", server.port()), server.address());
            assertEquals(server.address(), server.socketAddress());
            assertEquals(URI.create("tcp://127.0.0.1:" + server.port()), server.uri());
            assertEquals(EchoBehavior.echo(), server.behavior());
            assertEquals(new EchoStats(0, 0, 0, 0, 0), server.stats());
            assertEquals(List.of(), server.connections());
        }
    }

    @Test
    void isNotRunningOnceItsThreadStoppedOnAnUnexpectedErrorAndItsPeersSeeTheEnd() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("up".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("up", new String(peer.readExactly(2), java.nio.charset.StandardCharsets.US_ASCII));

            server.loop().execute(() -> {
                throw new Error("test: an unexpected error on the server's thread");
            });

            Await.until(() -> !server.isRunning(), "isRunning() false once the thread has stopped");
            assertEquals(0, peer.readToEnd().length, "the peer sees the end of the stream");
            server.close(); // still returns at once
            assertFalse(server.isRunning());
        }
    }

    @Test
    void toStringShowsUriOpenConnectionsAndSeed() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().seed(42).start();
             RawPeer peer = RawPeer.connect(server)) {
            server.awaitConnections(1, Duration.ofSeconds(5));
            assertEquals("EmbeddedEchoServer[tcp://127.0.0.1:" + server.port() + ", 1 open, seed=42]", server.toString());
            server.close();
            assertEquals("EmbeddedEchoServer[tcp://127.0.0.1:" + server.port() + ", closed, seed=42]", server.toString());
        }
    }

    @Test
    void closeFreesThePortAndEndsTheLoopThread() throws Exception {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        int port = server.port();
        String threadName = "echo-fixture-loop-" + port;
        assertTrue(threadAlive(threadName), "the loop thread runs: " + threadName);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.write(new byte[] {1, 2, 3});
            peer.readExactly(3);
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "close() returns within a second");
        }
        assertFalse(server.isRunning());
        assertFalse(threadAlive(threadName), "no echo-fixture thread survives close()");
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        try (EmbeddedEchoServer same = EmbeddedEchoServer.builder().port(port).start()) {
            assertEquals(port, same.port());
        }
    }

    @Test
    void closeIsIdempotent() {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        server.close();
        server.close();
        assertFalse(server.isRunning());
    }

    @Test
    void concurrentClosesAllReturnWithThePortFree() throws Exception {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        int port = server.port();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> closes = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                closes.add(pool.submit(server::close));
            }
            for (java.util.concurrent.Future<?> close : closes) {
                close.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(threadAlive("echo-fixture-loop-" + port));
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    @Test
    void misuseAfterCloseNamesTheServer() {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        server.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> server.behavior(EchoBehavior.echo().silent()));
        assertTrue(e.getMessage().contains("server already closed: " + server.uri()), e.getMessage());
        assertThrows(IllegalStateException.class, server::newClient);
        AssertionError timeout = assertThrows(AssertionError.class,
                () -> server.awaitConnections(1, Duration.ofSeconds(5)));
        assertTrue(timeout.getMessage().contains("0 of 1 connection arrived before " + server.uri() + " was closed"),
                timeout.getMessage());
        assertEquals(List.of(), server.connections(), "the recording stays readable");
    }

    @Test
    void behaviourCanBeReadAndSwitched() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            EchoBehavior slow = EchoBehavior.echo().latency(Duration.ofMillis(5));
            server.behavior(slow);
            assertEquals(slow, server.behavior());
            assertThrows(IllegalArgumentException.class, () -> server.behavior(null));
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertRejected(IllegalArgumentException.class, "port: -1", () -> EmbeddedEchoServer.builder().port(-1).start());
        assertRejected(IllegalArgumentException.class, "port: 70000", () -> EmbeddedEchoServer.builder().port(70000).start());
        assertRejected(IllegalArgumentException.class, "maxConnections: -5",
                () -> EmbeddedEchoServer.builder().maxConnections(-5).start());
        assertRejected(IllegalArgumentException.class, "recordLimit: -1",
                () -> EmbeddedEchoServer.builder().recordLimit(-1).start());
        assertRejected(IllegalArgumentException.class, "idleTimeout: PT-1S",
                () -> EmbeddedEchoServer.builder().idleTimeout(Duration.ofSeconds(-1)).start());
        assertRejected(IllegalArgumentException.class, "host: no-such-host.invalid",
                () -> EmbeddedEchoServer.builder().host("no-such-host.invalid").start());
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            assertRejected(IllegalArgumentException.class, "count: 0",
                    () -> server.awaitConnections(0, Duration.ofSeconds(1)));
        }
    }

    @Test
    void aPortInUseIsNamedInTheBindFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> EmbeddedEchoServer.builder().port(port).start());
            assertTrue(e.getMessage().contains("cannot bind tcp://127.0.0.1:" + port), e.getMessage());
            assertFalse(threadAlive("echo-fixture-loop-" + port), "no thread left behind");
        }
    }

    @Test
    void awaitConnectionsSaysHowManyArrivedInHowLong() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer one = RawPeer.connect(server);
             RawPeer two = RawPeer.connect(server)) {
            assertEquals(2, server.awaitConnections(2, Duration.ofSeconds(5)).size());
            AssertionError e = assertThrows(AssertionError.class,
                    () -> server.awaitConnections(3, Duration.ofMillis(200)));
            assertEquals("2 of 3 connections arrived within 200ms at " + server.uri(), e.getMessage());
        }
    }

    @Test
    void maxConnectionsRejectsTheSurplusWithoutListingIt() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().maxConnections(1).start();
             RawPeer first = RawPeer.connect(server)) {
            server.awaitConnections(1, Duration.ofSeconds(5));
            try (RawPeer second = RawPeer.connect(server)) {
                assertEquals(0, second.readToEnd().length, "the surplus connection is closed at once");
            }
            Await.until(() -> server.stats().connectionsRejected() == 1, "one rejected");
            assertEquals(1, server.connections().size());
            assertEquals(1, server.stats().connectionsAccepted());
            first.write("still echoes".getBytes());
            assertEquals("still echoes", new String(first.readExactly(12)));
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().idleTimeout(Duration.ofMillis(300)).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("x".getBytes());
            peer.readExactly(1);
            long start = System.nanoTime();
            assertEquals(0, peer.readToEnd().length, "EOF after the idle time-out");
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMillis >= 250 && waitedMillis < 3000, "closed after " + waitedMillis + " ms");
        }
    }

    public static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    static <T extends Throwable> void assertRejected(Class<T> type, String fragment, Executable executable) {
        T e = assertThrows(type, executable);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' names " + fragment);
    }
}
