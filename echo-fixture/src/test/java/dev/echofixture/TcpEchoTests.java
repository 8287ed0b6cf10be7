package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 862 over stream sockets: every byte back, in order, exactly once; over TCP and UNIX. */
@Timeout(60)
public class TcpEchoTests {

    static EmbeddedEchoServer start(Transport transport) {
        return EmbeddedEchoServer.builder().transport(transport).start();
    }

    public static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void echoesBytesInOrderExactlyOnce(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport)) {
            for (int size : new int[] {1, 100, 64 * 1024 + 1, 1024 * 1024, 16 * 1024 * 1024}) {
                byte[] payload = random(size, size);
                try (RawPeer peer = RawPeer.connect(server)) {
                    CompletableFuture<Void> written = peer.writeInBackground(payload);
                    byte[] echoed = peer.readExactly(size);
                    written.get(30, TimeUnit.SECONDS);
                    assertArrayEquals(payload, echoed, "echo of " + size + " bytes");
                    peer.shutdownOutput();
                    assertEquals(0, peer.readToEnd().length, "nothing more than " + size + " bytes");
                }
            }
            Await.until(() -> server.stats().activeConnections() == 0, "every connection closed");
            long total = 1 + 100 + 64 * 1024 + 1 + 1024 * 1024 + 16 * 1024 * 1024;
            assertEquals(total, server.stats().bytesReceived());
            assertEquals(total, server.stats().bytesSent());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void echoesEveryByteToASlowReader(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport); RawPeer peer = RawPeer.connectSlowReader(server)) {
            byte[] payload = random(4 * 1024 * 1024, 99);
            CompletableFuture<Void> written = peer.writeInBackground(payload);
            java.io.ByteArrayOutputStream echoed = new java.io.ByteArrayOutputStream();
            while (echoed.size() < payload.length) {
                byte[] some = peer.readSome(1024); // small reads keep the window small
                if (some == null) {
                    throw new AssertionError("end of stream after " + echoed.size() + " of " + payload.length + " bytes");
                }
                echoed.write(some);
            }
            written.get(30, TimeUnit.SECONDS);
            assertArrayEquals(payload, echoed.toByteArray());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void echoesTwoHundredConcurrentConnections(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport)) {
            int connections = 200;
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    int seed = i;
                    results.add(pool.submit(() -> {
                        byte[] payload = random(1 + new Random(seed).nextInt(100_000), seed);
                        try (RawPeer peer = RawPeer.connect(server)) {
                            CompletableFuture<Void> written = peer.writeInBackground(payload);
                            assertArrayEquals(payload, peer.readExactly(payload.length), "connection " + seed);
                            written.get(30, TimeUnit.SECONDS);
                        }
                        return null;
                    }));
                }
                for (Future<?> result : results) {
                    result.get(50, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(connections, server.connections().size());
            assertEquals(connections, server.stats().connectionsAccepted());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void flushesPendingBytesThenClosesAfterHalfClose(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport); RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = random(200_000, 7);
            peer.write(payload);        // the server cannot echo it all before we read: some stays pending
            peer.shutdownOutput();
            assertArrayEquals(payload, peer.readToEnd());
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> !connection.isOpen(), "the server closes after the half-close");
            assertTrue(connection.closedAt().isPresent());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void closingWhileTrafficFlowsEndsEveryPeerWithoutHanging(Transport transport) throws Exception {
        EmbeddedEchoServer server = start(transport);
        List<RawPeer> peers = new ArrayList<>();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                RawPeer peer = RawPeer.connect(server);
                peers.add(peer);
                writers.add(peer.writeInBackground(random(8 * 1024 * 1024, i)));
            }
            server.awaitConnections(10, Duration.ofSeconds(10));
            Await.until(() -> server.stats().bytesSent() > 1024 * 1024, "traffic flows");
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "close() is bounded");
            for (RawPeer peer : peers) {
                try {
                    peer.readToEnd(); // EOF ...
                } catch (IOException expected) {
                    // ... or a reset: both are fine, a hang is not
                }
            }
            for (CompletableFuture<Void> writer : writers) {
                try {
                    writer.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    // the writer saw the connection go away
                }
            }
        } finally {
            server.close();
            for (RawPeer peer : peers) {
                peer.close();
            }
        }
    }

    @Test
    void echoesOverIpv6Loopback() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Ipv6.loopbackAvailable(), "no IPv6 loopback on this machine");
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().host("::1").start();
             RawPeer peer = RawPeer.connect(server)) {
            assertEquals("::1", server.host());
            assertEquals("tcp://[::1]:" + server.port(), server.uri().toString());
            peer.write("hello".getBytes());
            assertEquals("hello", new String(peer.readExactly(5)));
        }
    }
}
