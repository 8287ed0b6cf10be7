package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.echofixture.internal.util.SocketUris;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The UDP transport of {@link EmbeddedEchoServer}, driven by plain {@link DatagramSocket}s on
 * loopback: each datagram is echoed whole to its sender, each distinct peer is one connection,
 * and the conditions apply per datagram.
 */
@Timeout(60)
public class UdpEchoTests {

    private static final Duration RECEIVE = Duration.ofSeconds(5);
    private static final Duration AWAIT = Duration.ofSeconds(5);

    private static EmbeddedEchoServer udp(EchoBehavior behavior) {
        return EmbeddedEchoServer.builder().transport(Transport.UDP).behavior(behavior).start();
    }

    private static EmbeddedEchoServer udp() {
        return udp(EchoBehavior.echo());
    }

    @Nested
    class Echo {

        @Test
        void echoesOneByteDatagramWhole() {
            try (EmbeddedEchoServer server = udp(); UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send(new byte[] {42});

                assertArrayEquals(new byte[] {42}, peer.receive(RECEIVE));
            }
        }

        @Test
        void echoesEmptyDatagramAsEmptyDatagram() {
            try (EmbeddedEchoServer server = udp(); UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send(new byte[0]);

                assertArrayEquals(new byte[0], peer.receive(RECEIVE));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                assertEquals(0, connection.bytesReceived());
            }
        }

        @Test
        void echoesLargestIpv4DatagramWholeAndByteExact() {
            byte[] payload = randomBytes(65_507, 1);
            try (EmbeddedEchoServer server = udp(); UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send(payload);

                assertArrayEquals(payload, peer.receive(RECEIVE));
            }
        }

        @Test
        void echoesEachDatagramSeparatelyAndInOrder() {
            try (EmbeddedEchoServer server = udp(); UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("one".getBytes(UTF_8));
                peer.send("two".getBytes(UTF_8));
                peer.send("three".getBytes(UTF_8));

                assertEquals("one", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals("two", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals("three", new String(peer.receive(RECEIVE), UTF_8));
            }
        }

        @Test
        void rejectsChunkSizeAtStartAndAtTheSwitchWithOneMessage() {
            // a datagram is echoed whole: a chunkSize would be silently ignored
            EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder()
                    .transport(Transport.UDP).behavior(EchoBehavior.echo().chunkSize(4));
            SettingException atStart = assertThrows(SettingException.class, builder::start);
            assertEquals("chunkSize", atStart.setting());
            assertEquals("chunkSize: 4 (expected: no chunkSize with transport UDP, which echoes each datagram whole;"
                    + " drop chunkSize)", atStart.getMessage());
            byte[] payload = randomBytes(1000, 2);
            try (EmbeddedEchoServer server = udp();
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                SettingException atSwitch = assertThrows(SettingException.class,
                        () -> server.behavior(EchoBehavior.echo().chunkSize(4)));
                assertEquals(atStart.getMessage(), atSwitch.getMessage());
                assertEquals(EchoBehavior.echo(), server.behavior());
                peer.send(payload);

                assertArrayEquals(payload, peer.receive(RECEIVE));
            }
        }

        @Test
        void echoesThousandDatagramsFromTenPeers() {
            // Each peer keeps one datagram in flight (stop-and-wait), ten peers at once: a window
            // that loopback UDP carries without loss, so every datagram must come back.
            int peers = 10;
            int rounds = 100;
            try (EmbeddedEchoServer server = udp()) {
                List<UdpPeer> sockets = new ArrayList<>();
                List<ByteArrayOutputStream> sent = new ArrayList<>();
                try {
                    for (int p = 0; p < peers; p++) {
                        sockets.add(UdpPeer.connectedTo(server.address()));
                        sent.add(new ByteArrayOutputStream());
                    }
                    for (int round = 0; round < rounds; round++) {
                        for (int p = 0; p < peers; p++) {
                            byte[] payload = ("peer " + p + " datagram " + round + ";").getBytes(UTF_8);
                            sockets.get(p).send(payload);
                            sent.get(p).writeBytes(payload);
                        }
                        for (int p = 0; p < peers; p++) {
                            String expected = "peer " + p + " datagram " + round + ";";
                            assertEquals(expected, new String(sockets.get(p).receive(RECEIVE), UTF_8));
                        }
                    }
                    List<EchoConnection> connections = server.awaitConnections(peers, AWAIT);
                    long total = sent.stream().mapToLong(ByteArrayOutputStream::size).sum();
                    // the loop counts a datagram as sent just after the peer may have read it
                    await(() -> server.stats().bytesSent() == total, () -> total + " bytes sent, stats: " + server.stats());
                    for (int p = 0; p < peers; p++) {
                        EchoConnection connection = connections.get(p);
                        assertEquals(sockets.get(p).localAddress(), connection.remoteAddress());
                        assertArrayEquals(sent.get(p).toByteArray(), connection.received());
                        assertEquals(sent.get(p).size(), connection.bytesSent());
                    }
                    EchoStats stats = server.stats();
                    assertEquals(peers, stats.connectionsAccepted());
                    assertEquals(total, stats.bytesReceived());
                    assertEquals(total, stats.bytesSent());
                } finally {
                    sockets.forEach(UdpPeer::close);
                }
            }
        }
    }

    @Test
    void readmeExample() throws IOException {
        // tag::udp[]
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).start();
             DatagramSocket socket = new DatagramSocket()) {                    // stands in for the code under test
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(ping, ping.length, server.address())); // server.uri(): udp://127.0.0.1:54321

            DatagramPacket echo = new DatagramPacket(new byte[65_536], 65_536);
            socket.setSoTimeout(5_000);
            socket.receive(echo);                                                // the datagram, whole, from server.address()
            assertEquals("ping", new String(echo.getData(), 0, echo.getLength(), StandardCharsets.UTF_8));

            EchoConnection peer = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("ping", peer.receivedText());                           // one connection per peer address
        }
        // end::udp[]
    }

    @Test
    void readmeShowsTheExampleVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/echofixture/UdpEchoTests.java"));
        Matcher tag = Pattern.compile("// tag::udp\\[]\\R(.*?)\\R\\s*// end::udp\\[]", Pattern.DOTALL).matcher(source);
        assertTrue(tag.find(), "the tagged README example in UdpEchoTests");
        String snippet = tag.group(1).lines().map(line -> line.isBlank() ? "" : line.substring(8))
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains(snippet), "README.md lacks the UDP example:\n" + snippet);
    }

    @Nested
    class WithEchoClient {

        @Test
        void newClientEchoesOverUdp() throws Exception {
            byte[] largest = randomBytes(65_507, 7);
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofMillis(20)));
                 EchoClient client = server.newClient()) {
                CompletableFuture<String> first = client.send("first");
                CompletableFuture<byte[]> second = client.send(largest);

                assertEquals("first", first.get(5, TimeUnit.SECONDS));
                assertArrayEquals(largest, second.get(5, TimeUnit.SECONDS));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                assertEquals(client.localAddress(), connection.remoteAddress());
                assertEquals(5 + 65_507, connection.bytesReceived());
            }
        }

        @Test
        void clientTimesOutAgainstSilentServer() throws Exception {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().silent());
                 EchoClient client = EchoClient.connect(server.uri(), Duration.ofMillis(300))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> client.send("unheard").get(5, TimeUnit.SECONDS));

                assertInstanceOf(TimeoutException.class, e.getCause());
                assertEquals("unheard", server.awaitConnections(1, AWAIT).get(0).receivedText());
            }
        }
    }

    @Nested
    class Connections {

        @Test
        void listsOneConnectionPerPeerInOrderOfFirstDatagram() {
            try (EmbeddedEchoServer server = udp();
                 UdpPeer first = UdpPeer.connectedTo(server.address());
                 UdpPeer second = UdpPeer.connectedTo(server.address())) {
                first.send("a1".getBytes(UTF_8));
                first.receive(RECEIVE);
                second.send("b1".getBytes(UTF_8));
                second.receive(RECEIVE);
                first.send("a2".getBytes(UTF_8));
                first.receive(RECEIVE);

                List<EchoConnection> connections = server.awaitConnections(2, AWAIT);
                assertEquals(2, server.connections().size());
                EchoConnection a = connections.get(0);
                EchoConnection b = connections.get(1);
                assertEquals(first.localAddress(), a.remoteAddress());
                assertEquals(second.localAddress(), b.remoteAddress());
                assertEquals("a1a2", a.receivedText());
                assertEquals("b1", b.receivedText());
                await(() -> server.stats().bytesSent() == 6, () -> "6 bytes sent, stats: " + server.stats());
                assertEquals(4, a.bytesReceived());
                assertEquals(4, a.bytesSent());
                assertEquals(2, b.bytesReceived());
                assertTrue(a.isOpen());
                assertFalse(a.closedAt().isPresent());
                assertFalse(a.openedAt().isAfter(b.openedAt()));
                assertEquals(new EchoStats(2, 0, 2, 6, 6), server.stats());
            }
        }

        @Test
        void recordsAtMostRecordLimitButCountsEveryByte() {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                         .transport(Transport.UDP).recordLimit(5).start();
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("abc".getBytes(UTF_8));
                peer.receive(RECEIVE);
                peer.send("defgh".getBytes(UTF_8));
                peer.receive(RECEIVE);

                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                assertEquals("abcde", connection.receivedText());
                assertEquals(8, connection.bytesReceived());
            }
        }

        @Test
        void dropsDatagramsFromNewPeersBeyondMaxConnections() {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                         .transport(Transport.UDP).maxConnections(2).start();
                 UdpPeer first = UdpPeer.connectedTo(server.address());
                 UdpPeer second = UdpPeer.connectedTo(server.address());
                 UdpPeer third = UdpPeer.connectedTo(server.address())) {
                first.send("1".getBytes(UTF_8));
                first.receive(RECEIVE);
                second.send("2".getBytes(UTF_8));
                second.receive(RECEIVE);

                third.send("3".getBytes(UTF_8));
                third.send("3".getBytes(UTF_8));
                await(() -> server.stats().connectionsRejected() == 2,
                        () -> "2 rejected datagrams, stats: " + server.stats());
                third.expectNothingWithin(Duration.ofMillis(200));

                assertEquals(2, server.connections().size());
                assertEquals(2, server.stats().connectionsAccepted());
                first.send("again".getBytes(UTF_8));
                assertEquals("again", new String(first.receive(RECEIVE), UTF_8));
            }
        }

        @Test
        void closingPeerForgetsItAndItsNextDatagramOpensNewConnection() {
            try (EmbeddedEchoServer server = udp(); UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("before".getBytes(UTF_8));
                peer.receive(RECEIVE);
                EchoConnection before = server.awaitConnections(1, AWAIT).get(0);

                before.close();
                await(() -> !before.isOpen(), () -> "closed view, was " + before);
                assertTrue(before.closedAt().isPresent());
                before.close(); // idempotent

                peer.send("after".getBytes(UTF_8));
                assertEquals("after", new String(peer.receive(RECEIVE), UTF_8));
                List<EchoConnection> connections = server.awaitConnections(2, AWAIT);
                EchoConnection after = connections.get(1);
                assertNotSame(before, after);
                assertEquals(before.remoteAddress(), after.remoteAddress());
                assertEquals("before", before.receivedText());
                assertEquals("after", after.receivedText());
                assertTrue(after.isOpen());
                assertEquals(2, server.stats().connectionsAccepted());
                assertEquals(1, server.stats().activeConnections());
            }
        }

        @Test
        void resettingPeerForgetsIt() {
            try (EmbeddedEchoServer server = udp(); UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("x".getBytes(UTF_8));
                peer.receive(RECEIVE);
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);

                connection.reset();
                await(() -> !connection.isOpen(), () -> "reset view, was " + connection);
                peer.send("y".getBytes(UTF_8));
                assertEquals("y", new String(peer.receive(RECEIVE), UTF_8));

                assertEquals(2, server.awaitConnections(2, AWAIT).size());
            }
        }

        @Test
        void closesIdlePeerAndCountsItsNextDatagramAsNewConnection() {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                         .transport(Transport.UDP).idleTimeout(Duration.ofMillis(200)).start();
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                long start = System.nanoTime();
                peer.send("x".getBytes(UTF_8));
                peer.receive(RECEIVE);
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);

                await(() -> !connection.isOpen(), () -> "idle view closed, was " + connection);
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 200);
                assertEquals(0, server.stats().activeConnections());

                peer.send("y".getBytes(UTF_8));
                assertEquals("y", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals(2, server.awaitConnections(2, AWAIT).size());
            }
        }
    }

    @Nested
    class Conditions {

        @Test
        void delaysEachDatagramByTheLatency() {
            Duration latency = Duration.ofMillis(300);
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(latency));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                long start = System.nanoTime();
                peer.send("late".getBytes(UTF_8));

                assertEquals("late", new String(peer.receive(RECEIVE), UTF_8));
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis >= 300, "round trip " + millis + " ms, expected at least the latency 300 ms");
                assertTrue(millis < 300 + 2000, "round trip " + millis + " ms, expected well under 2.3 s");
            }
        }

        @Test
        void echoesThousandPeersUnderLatencyEveryByteCorrect() {
            // 1,000 peers, 100 at a time (a window, so that no socket buffer overflows), each
            // sending one datagram that is held 50 ms. A closed peer's port may come back for a
            // later one: the server then sees the same peer again, so count by address.
            int peers = 1000;
            int window = 100;
            Map<InetSocketAddress, ByteArrayOutputStream> sentBy = new HashMap<>();
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofMillis(50)))) {
                for (int first = 0; first < peers; first += window) {
                    List<UdpPeer> batch = new ArrayList<>();
                    try {
                        for (int p = first; p < first + window; p++) {
                            UdpPeer peer = UdpPeer.connectedTo(server.address());
                            batch.add(peer);
                            peer.send(randomBytes(100 + p, p));
                            sentBy.computeIfAbsent(peer.localAddress(), a -> new ByteArrayOutputStream())
                                    .writeBytes(randomBytes(100 + p, p));
                        }
                        for (int i = 0; i < window; i++) {
                            int p = first + i;
                            assertArrayEquals(randomBytes(100 + p, p), batch.get(i).receive(RECEIVE), "peer " + p);
                        }
                    } finally {
                        batch.forEach(UdpPeer::close);
                    }
                }
                List<EchoConnection> connections = server.awaitConnections(sentBy.size(), AWAIT);
                for (EchoConnection connection : connections) {
                    assertArrayEquals(sentBy.get((InetSocketAddress) connection.remoteAddress()).toByteArray(),
                            connection.received(), "peer " + connection.remoteAddress());
                }
                assertEquals(sentBy.size(), server.stats().connectionsAccepted());
                assertEquals(0, server.stats().connectionsRejected());
            }
        }

        @Test
        void latencyIsNotCumulativeAndKeepsOrder() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofMillis(300)));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                long start = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    peer.send(("d" + i).getBytes(UTF_8));
                }
                for (int i = 0; i < 10; i++) {
                    assertEquals("d" + i, new String(peer.receive(RECEIVE), UTF_8));
                }
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis >= 300, "10 datagrams took " + millis + " ms, expected at least 300 ms");
                assertTrue(millis < 300 + 2000, "10 datagrams took " + millis + " ms: latency must not add up (10 x 300 ms)");
            }
        }

        @Test
        void jitterNeverReordersPeersDatagrams() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().jitter(Duration.ofMillis(200)));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                for (int i = 0; i < 20; i++) {
                    peer.send(("d" + i).getBytes(UTF_8));
                }
                for (int i = 0; i < 20; i++) {
                    assertEquals("d" + i, new String(peer.receive(RECEIVE), UTF_8));
                }
            }
        }

        @Test
        void switchingToPlainEchoNeverOvertakesDelayedDatagrams() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofMillis(300)));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                long start = System.nanoTime();
                peer.send("slow".getBytes(UTF_8));
                await(() -> server.stats().bytesReceived() == 4, () -> "4 bytes received: " + server.stats());

                server.behavior(EchoBehavior.echo());
                peer.send("fast".getBytes(UTF_8));

                assertEquals("slow", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals("fast", new String(peer.receive(RECEIVE), UTF_8));
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
                assertEquals(EchoBehavior.echo(), server.behavior());
            }
        }

        @Test
        void jitterWithSameSeedGivesSameDelaysTwice() throws Exception {
            List<Long> first = jitterDelays(42);
            List<Long> second = jitterDelays(42);

            long spread = first.stream().mapToLong(Long::longValue).max().orElseThrow()
                    - first.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertTrue(spread >= 100, "jitter 0..800 ms should spread the delays, got " + first);
            for (int i = 0; i < first.size(); i++) {
                long difference = Math.abs(first.get(i) - second.get(i));
                assertTrue(difference < 250, "seed 42 gave delays " + first + " then " + second);
            }
        }

        /**
         * Six peers send one datagram each, in sequence, to a server with 0..800 ms jitter; returns
         * each peer's round trip in milliseconds, measured by a thread per peer.
         */
        private List<Long> jitterDelays(long seed) throws Exception {
            int peers = 6;
            ExecutorService receivers = Executors.newFixedThreadPool(peers);
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP)
                    .behavior(EchoBehavior.echo().jitter(Duration.ofMillis(800))).seed(seed).start()) {
                assertEquals(seed, server.seed());
                List<UdpPeer> sockets = new ArrayList<>();
                try {
                    for (int p = 0; p < peers; p++) {
                        sockets.add(UdpPeer.connectedTo(server.address()));
                    }
                    long[] sentAt = new long[peers];
                    List<Future<Long>> arrivals = new ArrayList<>();
                    for (int p = 0; p < peers; p++) {
                        UdpPeer peer = sockets.get(p);
                        arrivals.add(receivers.submit(() -> {
                            peer.receive(RECEIVE);
                            return System.nanoTime();
                        }));
                    }
                    for (int p = 0; p < peers; p++) {
                        sentAt[p] = System.nanoTime();
                        sockets.get(p).send(("peer " + p).getBytes(UTF_8));
                        // one at a time, so that peer p is connection #p in both runs: each
                        // connection draws its jitter from the seed and its own index
                        int seen = p + 1;
                        await(() -> server.stats().bytesReceived() >= seen * 6L,
                                () -> seen + " datagrams read, stats: " + server.stats());
                    }
                    List<Long> delays = new ArrayList<>();
                    for (int p = 0; p < peers; p++) {
                        long arrived = arrivals.get(p).get(10, TimeUnit.SECONDS);
                        delays.add(Duration.ofNanos(arrived - sentAt[p]).toMillis());
                    }
                    return delays;
                } finally {
                    sockets.forEach(UdpPeer::close);
                }
            } finally {
                receivers.shutdownNow();
            }
        }

        @Test
        void limitsBandwidthPerPeerWithoutReordering() {
            // 32 datagrams of 512 B = 16 KiB at 16 KiB/s: about a second (minus the 0.1 s burst)
            int count = 32;
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().bandwidth(16 * 1024));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                long start = System.nanoTime();
                List<byte[]> payloads = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    byte[] payload = randomBytes(512, 100 + i);
                    payloads.add(payload);
                    peer.send(payload);
                }
                for (int i = 0; i < count; i++) {
                    assertArrayEquals(payloads.get(i), peer.receive(RECEIVE), "datagram " + i);
                }
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis >= 700, "16 KiB at 16 KiB/s took " + millis + " ms, expected about 900 ms");
                assertTrue(millis < 900 + 3000, "16 KiB at 16 KiB/s took " + millis + " ms, expected about 900 ms");
            }
        }

        @Test
        void bandwidthIsPerPeer() {
            // two peers, 8 KiB each at 16 KiB/s per peer: both done in about 0.4 s, not 0.9 s
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().bandwidth(16 * 1024));
                 UdpPeer a = UdpPeer.connectedTo(server.address());
                 UdpPeer b = UdpPeer.connectedTo(server.address())) {
                long start = System.nanoTime();
                for (int i = 0; i < 16; i++) {
                    a.send(randomBytes(512, i));
                    b.send(randomBytes(512, i));
                }
                for (int i = 0; i < 16; i++) {
                    assertArrayEquals(randomBytes(512, i), a.receive(RECEIVE));
                    assertArrayEquals(randomBytes(512, i), b.receive(RECEIVE));
                }
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis >= 300, "8 KiB per peer at 16 KiB/s took " + millis + " ms, expected about 400 ms");
                assertEquals(2, server.connections().size());
            }
        }

        @Test
        void silentRecordsDatagramsButEchoesNothing() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().silent());
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("unheard".getBytes(UTF_8));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                await(() -> connection.bytesReceived() == 7, () -> "7 bytes received, was " + connection);

                server.behavior(EchoBehavior.echo());
                peer.send("heard".getBytes(UTF_8));

                // loopback keeps the order: had the first datagram been echoed, it would come first
                assertEquals("heard", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals("unheardheard", connection.receivedText());
                await(() -> connection.bytesSent() == 5, () -> "5 bytes sent, was " + connection);
                assertEquals(12, connection.bytesReceived());
            }
        }

        @Test
        void closeAfterEchoesWholeDatagramsWithinLimitThenMutesPeer() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().closeAfter(10));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("1234".getBytes(UTF_8));
                peer.send("5678".getBytes(UTF_8));
                peer.send("9abc".getBytes(UTF_8)); // would make 12 > 10: not echoed, the peer is closed
                peer.send("more".getBytes(UTF_8)); // after the close: recorded, not echoed

                assertEquals("1234", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals("5678", new String(peer.receive(RECEIVE), UTF_8));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                await(() -> connection.bytesReceived() == 16, () -> "16 bytes received, was " + connection);
                peer.expectNothingWithin(Duration.ofMillis(200));

                assertFalse(connection.isOpen());
                assertTrue(connection.closedAt().isPresent());
                assertEquals(8, connection.bytesSent());
                assertEquals("123456789abcmore", connection.receivedText());
                assertEquals(1, server.connections().size());
                assertEquals(0, server.stats().activeConnections());
            }
        }

        @Test
        void closeAfterClosesPeerOnceExactlyTheLimitWasEchoed() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().closeAfter(8));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("1234".getBytes(UTF_8));
                peer.send("5678".getBytes(UTF_8));

                assertEquals("1234", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals("5678", new String(peer.receive(RECEIVE), UTF_8));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                await(() -> !connection.isOpen(), () -> "closed after 8 bytes, was " + connection);

                peer.send("late".getBytes(UTF_8));
                await(() -> connection.bytesReceived() == 12, () -> "12 bytes received, was " + connection);
                peer.expectNothingWithin(Duration.ofMillis(200));
                assertEquals(8, connection.bytesSent());
            }
        }

        @Test
        void closeAfterZeroEchoesNothing() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().closeAfter(0));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("x".getBytes(UTF_8));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                await(() -> !connection.isOpen(), () -> "closed at once, was " + connection);

                peer.expectNothingWithin(Duration.ofMillis(200));
                assertEquals(1, connection.bytesReceived());
                assertEquals(0, connection.bytesSent());
            }
        }

        @Test
        void closeAfterWithLatencyStillEchoesWhatFitsThenCloses() {
            try (EmbeddedEchoServer server = udp(EchoBehavior.echo().closeAfter(4).latency(Duration.ofMillis(100)));
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("abcd".getBytes(UTF_8));
                peer.send("efgh".getBytes(UTF_8));

                assertEquals("abcd", new String(peer.receive(RECEIVE), UTF_8));
                EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
                await(() -> !connection.isOpen(), () -> "closed after 4 bytes, was " + connection);
                assertEquals(4, connection.bytesSent());
                peer.expectNothingWithin(Duration.ofMillis(300));
            }
        }

        @Test
        void rejectsResetAfterAtBuildTime() {
            EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder()
                    .transport(Transport.UDP).behavior(EchoBehavior.echo().resetAfter(10));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::start);

            assertTrue(e.getMessage().contains("resetAfter: 10"), e.getMessage());
            assertTrue(e.getMessage().contains("UDP"), e.getMessage());
        }

        @Test
        void rejectsResetAfterAtRunTimeAndKeepsBehavior() {
            EchoBehavior latency = EchoBehavior.echo().latency(Duration.ofMillis(1));
            try (EmbeddedEchoServer server = udp(latency)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> server.behavior(EchoBehavior.echo().resetAfter(0)));

                assertTrue(e.getMessage().contains("resetAfter: 0"), e.getMessage());
                assertEquals(latency, server.behavior());
            }
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void uriIsUdpLoopbackWithActualPort() {
            try (EmbeddedEchoServer server = udp()) {
                assertEquals(Transport.UDP, server.transport());
                assertTrue(server.port() > 0);
                assertEquals(URI.create("udp://127.0.0.1:" + server.port()), server.uri());
                assertEquals("127.0.0.1", server.host());
                InetSocketAddress address = assertInstanceOf(InetSocketAddress.class, server.socketAddress());
                assertEquals(InetAddress.getLoopbackAddress(), address.getAddress());
                assertTrue(server.toString().contains("udp://127.0.0.1:" + server.port()), server.toString());
            }
        }

        @Test
        void echoesOverIpv6Loopback() throws IOException {
            assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback on this machine");
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).host("::1").start();
                 UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                assertEquals(URI.create("udp://[::1]:" + server.port()), server.uri());
                assertInstanceOf(Inet6Address.class, server.address().getAddress());

                peer.send("six".getBytes(UTF_8));

                assertEquals("six", new String(peer.receive(RECEIVE), UTF_8));
                assertEquals(peer.localAddress(), server.awaitConnections(1, AWAIT).get(0).remoteAddress());
            }
        }

        @Test
        void writesIpv6AddressesInShortFormInUris() {
            assertEquals(URI.create("udp://[::1]:7"), SocketUris.uri(Transport.UDP, new InetSocketAddress("::1", 7)));
            assertEquals(URI.create("udp://[::]:7"), SocketUris.uri(Transport.UDP, new InetSocketAddress("::", 7)));
            assertEquals(URI.create("udp://[fe80::1:0:0:2]:7"),
                    SocketUris.uri(Transport.UDP, new InetSocketAddress("fe80:0:0:0:1:0:0:2", 7)));
            assertEquals(URI.create("udp://[2001:db8::1]:7"),
                    SocketUris.uri(Transport.UDP, new InetSocketAddress("2001:db8:0:0:0:0:0:1", 7)));
            assertEquals(URI.create("udp://[1:2:3:4:5:6:7:8]:7"),
                    SocketUris.uri(Transport.UDP, new InetSocketAddress("1:2:3:4:5:6:7:8", 7)));
        }

        @Test
        void failsNamingTheAddressWhenPortIsTaken() throws IOException {
            try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder()
                        .transport(Transport.UDP).port(taken.getLocalPort());

                UncheckedIOException e = assertThrows(UncheckedIOException.class, builder::start);

                assertTrue(e.getMessage().contains("udp://127.0.0.1:" + taken.getLocalPort()), e.getMessage());
                assertFalse(loopThreadAlive(taken.getLocalPort()));
            }
        }

        @Test
        void closeFreesPortAndEndsLoopThread() throws IOException {
            EmbeddedEchoServer server = udp();
            int port = server.port();
            try (UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                peer.send("x".getBytes(UTF_8));
                peer.receive(RECEIVE);
            }
            assertTrue(server.isRunning());

            server.close();
            server.close(); // idempotent

            assertFalse(server.isRunning());
            try (DatagramSocket rebound = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                assertEquals(port, rebound.getLocalPort());
            }
            assertFalse(loopThreadAlive(port), "thread echo-fixture-loop-" + port + " still alive after close()");
            assertFalse(server.connections().get(0).isOpen());
        }

        @Test
        void closeCancelsDelayedEchoesAndReturnsPromptly() throws IOException {
            EmbeddedEchoServer server = udp(EchoBehavior.echo().latency(Duration.ofSeconds(30)));
            int port = server.port();
            try (UdpPeer peer = UdpPeer.connectedTo(server.address())) {
                for (int i = 0; i < 20; i++) {
                    peer.send(randomBytes(1000, i));
                }
                await(() -> server.stats().bytesReceived() == 20_000, () -> "20 datagrams read, stats: " + server.stats());

                long start = System.nanoTime();
                server.close();
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

                assertTrue(millis < 1000, "close() took " + millis + " ms with delayed datagrams pending");
                peer.expectNothingWithin(Duration.ofMillis(100));
                assertEquals(0, server.stats().bytesSent());
            }
            try (DatagramSocket rebound = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                assertEquals(port, rebound.getLocalPort());
            }
        }
    }

    public static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    public static boolean loopThreadAlive(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("echo-fixture-loop-" + port));
    }

    static boolean ipv6LoopbackAvailable() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            return NetworkInterface.getByInetAddress(socket.getLocalAddress()) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code condition} every few milliseconds for at most {@link #AWAIT}; fails naming what was awaited. */
    public static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + AWAIT.toMillis() + " ms for " + what.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
