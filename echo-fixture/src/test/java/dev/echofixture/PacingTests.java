package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.conditions.Pacer;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Network conditions on stream sockets, with real sockets and generous but real time bounds:
 * at least the configured delay, and not absurdly more.
 */
@Timeout(90)
class PacingTests {

    private static final long SLACK_MILLIS = 2000;

    static EmbeddedEchoServer start(EchoBehavior behavior) {
        return EmbeddedEchoServer.builder().behavior(behavior).start();
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void latencyDelaysEachChunkByAtLeastTheLatency(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport)
                .behavior(EchoBehavior.echo().latency(Duration.ofMillis(200))).start();
             RawPeer peer = RawPeer.connect(server)) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                peer.write(text("ping"));
                assertEquals("ping", new String(peer.readExactly(4), StandardCharsets.UTF_8));
                long took = millisSince(start);
                assertTrue(took >= 200 && took < 200 + SLACK_MILLIS, "round trip took " + took + " ms");
            }
        }
    }

    @Test
    void latencyIsNotCumulative() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().latency(Duration.ofMillis(300)));
             RawPeer peer = RawPeer.connect(server)) {
            long start = System.nanoTime();
            byte[] all = new byte[0];
            for (int i = 0; i < 10; i++) {
                byte[] message = text("message-" + i + ";");
                peer.write(message);
                all = concat(all, message);
            }
            assertArrayEquals(all, peer.readExactly(all.length));
            long took = millisSince(start);
            // ten chunks at 300 ms each would take 3 s if delays added up
            assertTrue(took >= 300 && took < 300 + SLACK_MILLIS, "ten chunks took " + took + " ms");
        }
    }

    @Test
    void jitterWithTheSameSeedGivesTheSameDelays() throws Exception {
        long jitterNanos = TimeUnit.MILLISECONDS.toNanos(250);
        long[] expected = new long[4];
        Pacer pacer = new Pacer(42, 0);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = TimeUnit.NANOSECONDS.toMillis(pacer.drawJitter(jitterNanos));
        }
        Pacer again = new Pacer(42, 0);
        for (long draw : expected) {
            assertEquals(draw, TimeUnit.NANOSECONDS.toMillis(again.drawJitter(jitterNanos)), "same seed, same draws");
        }
        assertTrue(Arrays.stream(expected).distinct().count() > 1, "the draws differ: " + Arrays.toString(expected));

        for (int run = 0; run < 2; run++) {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().seed(42)
                    .behavior(EchoBehavior.echo().jitter(Duration.ofMillis(250))).start();
                 RawPeer peer = RawPeer.connect(server)) {
                for (long draw : expected) {
                    long start = System.nanoTime();
                    peer.write(text("j"));
                    peer.readExactly(1);
                    long took = millisSince(start);
                    assertTrue(took >= draw && took < draw + SLACK_MILLIS,
                            "run " + run + ": took " + took + " ms for a drawn delay of " + draw + " ms");
                }
            }
        }
    }

    @Test
    void bandwidthLimitsTheEchoRate() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().bandwidth(32 * 1024));
             RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = TcpEchoTests.random(64 * 1024, 1);
            long start = System.nanoTime();
            peer.writeInBackground(payload);
            assertArrayEquals(payload, peer.readExactly(payload.length));
            long took = millisSince(start);
            assertTrue(took >= 1500 && took < 4000, "64 KiB at 32 KiB/s took " + took + " ms");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void chunkSizeMakesTheReaderSeeShortReads(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport)
                .behavior(EchoBehavior.echo().chunkSize(1)).start();
             RawPeer peer = RawPeer.connect(server)) {
            // 100 bytes at one per millisecond: even a reader starved for a while sees several reads
            byte[] payload = text("0123456789".repeat(10));
            peer.write(payload);
            byte[] echoed = new byte[0];
            int reads = 0;
            while (echoed.length < payload.length) {
                echoed = concat(echoed, peer.readSome(1024));
                reads++;
            }
            assertArrayEquals(payload, echoed);
            assertTrue(reads >= 3, "only " + reads + " reads for " + payload.length + " bytes");
        }
    }

    @Test
    void chunkSizeKeepsLargePayloadsIntact() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().chunkSize(1000));
             RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = TcpEchoTests.random(300_000, 3);
            peer.writeInBackground(payload);
            assertArrayEquals(payload, peer.readExactly(payload.length));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void closeAfterEchoesExactlyThatManyBytesThenEndOfStream(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport)
                .behavior(EchoBehavior.echo().closeAfter(10)).start();
             RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = text("0123456789abcdefghij-and-more");
            peer.write(payload);
            assertArrayEquals(Arrays.copyOf(payload, 10), peer.readToEnd());
            peer.close();
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> !connection.isOpen(), "closed after closeAfter");
            assertEquals(new String(payload, StandardCharsets.UTF_8), connection.receivedText(), "everything recorded");
            assertEquals(10, connection.bytesSent());
        }
    }

    @Test
    void closeAfterZeroClosesOnAccept() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().closeAfter(0)); RawPeer peer = RawPeer.connect(server)) {
            assertEquals(0, peer.readToEnd().length);
        }
    }

    @Test
    void resetAfterEchoesAtMostThatManyBytesThenResets() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().resetAfter(10)); RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = text("0123456789abcdefghij-and-more");
            peer.write(payload);
            List<Byte> got = new ArrayList<>();
            SocketException e = assertThrows(SocketException.class, () -> {
                while (true) {
                    byte[] some = peer.readSome(1024);
                    if (some == null) {
                        throw new AssertionError("end of stream instead of a reset after " + got.size() + " bytes");
                    }
                    for (byte b : some) {
                        got.add(b);
                    }
                }
            });
            assertTrue(got.size() <= 10, got.size() + " bytes before the reset");
            for (int i = 0; i < got.size(); i++) {
                assertEquals(payload[i], got.get(i));
            }
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
    }

    /** Both limits set: the smaller count ends the connection, and on equal counts the reset wins. */
    @Test
    void closeAfterWithResetAfterEndsAtTheSmallerCountAndResetsOnATie() throws Exception {
        byte[] payload = text("0123456789");
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().closeAfter(3).resetAfter(5)); RawPeer peer = RawPeer.connect(server)) {
            peer.write(payload);
            assertArrayEquals(Arrays.copyOf(payload, 3), peer.readToEnd(), "closed (FIN) after 3 bytes");
        }
        for (EchoBehavior resets : List.of(EchoBehavior.echo().closeAfter(5).resetAfter(3), EchoBehavior.echo().closeAfter(4).resetAfter(4))) {
            try (EmbeddedEchoServer server = start(resets); RawPeer peer = RawPeer.connect(server)) {
                peer.write(payload);
                assertThrows(SocketException.class, () -> {
                    for (int reads = 0; reads < 1000; reads++) {
                        if (peer.readSome(1024) == null) {
                            throw new AssertionError("end of stream instead of a reset with " + resets);
                        }
                    }
                }, resets.toString());
                EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
                Await.until(() -> !connection.isOpen(), "reset");
                assertTrue(connection.bytesSent() <= Math.min(resets.closeAfter(), resets.resetAfter()), connection.toString());
            }
        }
    }

    @Test
    void resetAfterZeroResetsOnAccept() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().resetAfter(0)); RawPeer peer = RawPeer.connect(server)) {
            assertThrows(SocketException.class, peer::readToEnd);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void silentRecordsEverythingAndEchoesNothing(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport)
                .behavior(EchoBehavior.echo().silent()).start();
             RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = TcpEchoTests.random(1024 * 1024, 5);
            peer.write(payload); // never blocks for long: a silent server keeps reading
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> connection.bytesReceived() == payload.length, "everything received");
            assertNothingToRead(peer, 200);
            assertArrayEquals(Arrays.copyOf(payload, 64 * 1024), connection.received());
            assertEquals(0, server.stats().bytesSent());
        }
    }

    @Test
    void switchingAtRunTimeAppliesToBytesReadAfterTheSwitch() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start(); RawPeer peer = RawPeer.connect(server)) {
            peer.write(text("fast"));
            assertEquals("fast", new String(peer.readExactly(4), StandardCharsets.UTF_8));

            server.behavior(EchoBehavior.echo().latency(Duration.ofMillis(400)));
            long start = System.nanoTime();
            peer.write(text("slow"));
            assertEquals("slow", new String(peer.readExactly(4), StandardCharsets.UTF_8));
            assertTrue(millisSince(start) >= 400, "delayed after the switch");

            server.behavior(EchoBehavior.echo().silent());
            peer.write(text("lost"));
            EchoConnection connection = server.connections().get(0);
            Await.until(() -> connection.bytesReceived() == 12, "read while silent");
            assertNothingToRead(peer, 100);

            server.behavior(EchoBehavior.echo());
            peer.write(text("back"));
            assertEquals("back", new String(peer.readExactly(4), StandardCharsets.UTF_8));
            assertEquals("fastslowlostback", connection.receivedText());
        }
    }

    @Test
    void conditionsCombineWithoutReorderingBytes() throws Exception {
        EchoBehavior behavior = EchoBehavior.echo().latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(30))
                .chunkSize(700).bandwidth(400 * 1024);
        try (EmbeddedEchoServer server = start(behavior); RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = TcpEchoTests.random(200_000, 11);
            long start = System.nanoTime();
            peer.writeInBackground(payload);
            assertArrayEquals(payload, peer.readExactly(payload.length));
            long took = millisSince(start);
            assertTrue(took >= 50 && took < 10_000, "took " + took + " ms");
        }
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().latency(Duration.ofMillis(100)).closeAfter(5));
             RawPeer peer = RawPeer.connect(server)) {
            long start = System.nanoTime();
            peer.write(text("hello, world"));
            assertEquals("hello", new String(peer.readToEnd(), StandardCharsets.UTF_8));
            assertTrue(millisSince(start) >= 100, "the close waits for the delayed bytes");
        }
    }

    @Test
    void delayedBytesAreNotOvertakenAfterASwitchToPlainEcho() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().latency(Duration.ofMillis(300)));
             RawPeer peer = RawPeer.connect(server)) {
            long start = System.nanoTime();
            peer.write(text("A"));
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> connection.bytesReceived() == 1, "A read under latency");
            server.behavior(EchoBehavior.echo());
            peer.write(text("B"));
            assertEquals("AB", new String(peer.readExactly(2), StandardCharsets.UTF_8));
            assertTrue(millisSince(start) >= 300, "B waited for A");
        }
    }

    @Test
    void jitterNeverReordersBytes() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().jitter(Duration.ofMillis(100)));
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = null;
            byte[] all = new byte[0];
            for (int i = 0; i < 20; i++) {
                byte[] message = text("m" + i + ";");
                peer.write(message);
                all = concat(all, message);
                if (connection == null) {
                    connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
                }
                long expected = all.length;
                EchoConnection c = connection;
                Await.until(() -> c.bytesReceived() == expected, "read as its own chunk");
            }
            assertArrayEquals(all, peer.readExactly(all.length));
        }
    }

    @Test
    void halfCloseWaitsForDelayedBytesThenEndsTheStream() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().latency(Duration.ofMillis(200)));
             RawPeer peer = RawPeer.connect(server)) {
            long start = System.nanoTime();
            peer.write(text("last words"));
            peer.shutdownOutput();
            assertEquals("last words", new String(peer.readToEnd(), StandardCharsets.UTF_8));
            assertTrue(millisSince(start) >= 200, "the delayed bytes came first, then EOF");
        }
    }

    @Test
    void closeCancelsDelayedEchoesAndReturnsPromptly() throws Exception {
        EmbeddedEchoServer server = start(EchoBehavior.echo().latency(Duration.ofMinutes(30)));
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.write(text("never echoed"));
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> connection.bytesReceived() == 12, "read and held");
            long start = System.nanoTime();
            server.close();
            assertTrue(millisSince(start) < 1000, "close() took " + millisSince(start) + " ms");
            try {
                assertEquals(0, peer.readToEnd().length, "EOF, nothing echoed");
            } catch (SocketException resetIsFineToo) {
                // closing with unread input may reset
            }
        } finally {
            server.close();
        }
    }

    @Test
    void aSilentServerKeepsReadingSoAWriterIsNeverBlocked() throws Exception {
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().silent()); RawPeer peer = RawPeer.connect(server)) {
            long total = 64L * 1024 * 1024;
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(
                    () -> BackpressureTests.writePattern(peer, total), BackpressureTests.daemon());
            writer.get(60, TimeUnit.SECONDS);
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> connection.bytesReceived() == total, "all 64 MiB read");
            assertEquals(64 * 1024, connection.received().length, "recorded up to the limit");
            assertEquals(0, connection.bytesSent());
        }
    }

    @Test
    void aThousandConnectionsWithLatencyEchoEveryByte() throws Exception {
        int count = 1000;
        try (EmbeddedEchoServer server = start(EchoBehavior.echo().latency(Duration.ofMillis(50)))) {
            List<RawPeer> peers = new ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    RawPeer peer = RawPeer.connect(server);
                    peers.add(peer);
                    peer.write(TcpEchoTests.random(1024, i));  // fits the socket buffers: no writer threads needed
                }
                for (int i = 0; i < count; i++) {
                    assertArrayEquals(TcpEchoTests.random(1024, i), peers.get(i).readExactly(1024), "connection " + i);
                }
                long took = millisSince(start);
                assertTrue(took < 10_000, "1,000 connections took " + took + " ms");
                assertEquals(count, server.stats().connectionsAccepted());
                // the counter follows the write that the peer may already have read
                Await.until(() -> server.stats().bytesSent() == 1024L * count, "every byte counted as sent");
            } finally {
                for (RawPeer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    private static void assertNothingToRead(RawPeer peer, long millis) throws IOException {
        peer.channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            peer.channel.register(selector, SelectionKey.OP_READ);
            int ready = selector.select(millis);
            if (ready > 0) {
                ByteBuffer buffer = ByteBuffer.allocate(1024);
                int n = peer.channel.read(buffer);
                throw new AssertionError("expected silence, read " + n + " bytes");
            }
        } finally {
            peer.channel.keyFor(null);
        }
        // back to blocking for the rest of the test (the key is cancelled with its selector)
        while (true) {
            try {
                peer.channel.configureBlocking(true);
                return;
            } catch (java.nio.channels.IllegalBlockingModeException e) {
                Thread.onSpinWait();
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
