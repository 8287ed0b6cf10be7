package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soak: many concurrent connections stream random bytes in random-sized writes while reading;
 * every byte comes back in order (SHA-256 of both sides), the recording equals what was sent
 * up to {@code recordLimit}, and the byte counters are exact. Full scale ({@code -Psoak}): 50
 * connections x 4 MiB; short form: 8 x 256 KiB. See {@link Soak}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SoakIntegrityTests {

    static final int CONNECTIONS = Soak.scale(8, 50);
    static final int VOLUME = Soak.scale(256 * 1024, 4 * 1024 * 1024);
    /** chunkSize(n) writes n bytes per millisecond at most: the volume there is this many writes. */
    static final int CHUNKED_WRITES = Soak.scale(400, 10_000);
    static final int RECORD_LIMIT = 64 * 1024;
    static final int DATAGRAMS = Soak.scale(1_000, 10_000);

    static Stream<Arguments> loads() {
        List<Arguments> loads = new ArrayList<>();
        for (Transport transport : List.of(Transport.TCP, Transport.UNIX)) {
            loads.add(Arguments.of(transport, "plain echo", List.of(EchoBehavior.echo()), VOLUME));
            List<EchoBehavior> chunked = new ArrayList<>();
            for (int n = 1; n <= 7; n++) {
                chunked.add(EchoBehavior.echo().chunkSize(n));
            }
            loads.add(Arguments.of(transport, "chunkSize(1..7)", chunked, -1));
            loads.add(Arguments.of(transport, "bandwidth(volume/s)", List.of(EchoBehavior.echo().bandwidth(VOLUME)), VOLUME));
            loads.add(Arguments.of(transport, "latency 5ms + jitter 5ms",
                    List.of(EchoBehavior.echo().latency(Duration.ofMillis(5)).jitter(Duration.ofMillis(5))), VOLUME));
        }
        return loads.stream();
    }

    /**
     * {@code behaviors}: one server each, the connections spread over them. {@code volume}: per
     * connection; -1 for {@code CHUNKED_WRITES} writes of the server's chunk size.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loads")
    void everyByteComesBackInOrderAndIsCountedAndRecorded(Transport transport, String load, List<EchoBehavior> behaviors,
            int volume) throws Exception {
        List<EmbeddedEchoServer> servers = new ArrayList<>();
        List<SoakStream> streams = new ArrayList<>();
        List<Integer> serverOf = new ArrayList<>();
        List<Integer> viewOf = new ArrayList<>();
        ExecutorService threads = Soak.threads("integrity", 2 * CONNECTIONS);
        long[] sent = new long[1];
        try {
            for (EchoBehavior behavior : behaviors) {
                servers.add(EmbeddedEchoServer.builder().transport(transport).behavior(behavior).recordLimit(RECORD_LIMIT)
                        .seed(7).start());
            }
            Soak.measure("integrity " + transport, CONNECTIONS + " conns x "
                    + (volume < 0 ? CHUNKED_WRITES + " writes" : Soak.size(volume)) + ", " + load, () -> {
                for (int i = 0; i < CONNECTIONS; i++) {
                    int s = i % servers.size();
                    EmbeddedEchoServer server = servers.get(s);
                    int total = volume < 0 ? CHUNKED_WRITES * behaviors.get(s).chunkSize() : volume;
                    int connected = server.connections().size();
                    streams.add(SoakStream.open(server.socketAddress(), total, 1000L + i, 64 * 1024, RECORD_LIMIT));
                    server.awaitConnections(connected + 1, Duration.ofSeconds(30));   // so that stream i is view i of s
                    serverOf.add(s);
                    viewOf.add(connected);
                }
                List<CompletableFuture<SoakStream.Result>> results = new ArrayList<>();
                for (SoakStream stream : streams) {
                    results.add(stream.run(threads));
                }
                long lost = 0;
                for (int i = 0; i < streams.size(); i++) {
                    SoakStream.Result result = results.get(i).get(10, TimeUnit.MINUTES);
                    sent[0] += result.sent();
                    lost += result.lost();
                    assertTrue(result.intact(), "stream " + i + ": sent " + result.sent() + ", read " + result.received()
                            + ", hashes " + (Arrays.equals(result.sentHash(), result.receivedHash()) ? "equal" : "differ"));
                }
                for (int i = 0; i < streams.size(); i++) {
                    EmbeddedEchoServer server = servers.get(serverOf.get(i));
                    EchoConnection view = server.connections().get(viewOf.get(i));
                    SoakStream.Result result = results.get(i).join();
                    assertEquals(result.sent(), view.bytesReceived(), "bytesReceived of " + view);
                    Await.until(Duration.ofSeconds(10), () -> view.bytesSent() == result.sent(), () -> "bytesSent of " + view);
                    assertArrayEquals(result.firstSent(), view.received(), "recording of " + view);
                }
                long total = servers.stream().mapToLong(s -> s.stats().bytesReceived()).sum();
                assertEquals(sent[0], total, "stats().bytesReceived() over all servers");
                return lost;
            });
        } finally {
            for (SoakStream stream : streams) {
                stream.close();
            }
            servers.forEach(EmbeddedEchoServer::close);
            threads.shutdownNow();
        }
    }

    /**
     * UDP: datagrams of random sizes, each echo equal to its datagram. At most 16 datagrams and
     * 96 KiB are in flight: well below the server's 1 MiB bound and within the sockets' default
     * receive buffers (about 208 KiB on Linux, overhead per datagram included), so none may be lost.
     */
    @Test
    void everyDatagramComesBackWholeAndNoneIsLost() throws Exception {
        int window = 96 * 1024;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).recordLimit(0).start();
             DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024);
            channel.connect(server.address());
            Soak.measure("integrity UDP", DATAGRAMS + " datagrams of 1..65507 B, <= 16 and 96 KiB in flight", () -> {
                SplittableRandom random = new SplittableRandom(11);
                ArrayDeque<byte[]> inFlight = new ArrayDeque<>();
                long flying = 0;
                long sentBytes = 0;
                int sent = 0;
                int echoed = 0;
                ByteBuffer in = ByteBuffer.allocate(65_536);
                java.nio.channels.Selector selector = java.nio.channels.Selector.open();
                try (selector) {
                    channel.configureBlocking(false);
                    channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
                    while (echoed < DATAGRAMS) {
                        while (sent < DATAGRAMS) {
                            int size = random.nextInt(4) == 0 ? 1 + random.nextInt(65_507) : 1 + random.nextInt(2_000);
                            if ((flying + size > window || inFlight.size() >= 16) && !inFlight.isEmpty()) {
                                break;
                            }
                            byte[] datagram = new byte[size];
                            random.nextBytes(datagram);
                            if (channel.write(ByteBuffer.wrap(datagram)) == 0) {
                                break;
                            }
                            inFlight.add(datagram);
                            flying += size;
                            sentBytes += size;
                            sent++;
                        }
                        if (selector.select(10_000) == 0) {
                            throw new AssertionError("no echo within 10 s: " + inFlight.size() + " datagrams lost, "
                                    + echoed + " of " + DATAGRAMS + " echoed; " + server.stats());
                        }
                        selector.selectedKeys().clear();
                        while (channel.read(in.clear()) > 0) {
                            byte[] expected = inFlight.poll();
                            assertTrue(expected != null, "an echo nobody sent");
                            assertArrayEquals(expected, Arrays.copyOf(in.array(), in.position()), "datagram " + echoed);
                            flying -= expected.length;
                            echoed++;
                        }
                    }
                }
                assertEquals(sentBytes, server.stats().bytesReceived());
                Await.until(Duration.ofSeconds(10), () -> server.stats().bytesSent() == server.stats().bytesReceived(),
                        () -> "bytesSent: " + server.stats());
                return 0;
            });
        }
    }
}
