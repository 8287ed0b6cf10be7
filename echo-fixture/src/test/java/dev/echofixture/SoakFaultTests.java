package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.conditions.OutboundBuffer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionView;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Soak: peers and tests that misbehave while traffic flows. After each fault the server still
 * echoes a fresh connection byte for byte, and it never holds more than its backpressure bound
 * per connection. Scale: see {@link Soak}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SoakFaultTests {

    static final int PEERS = Soak.scale(8, 50);
    static final int VOLUME = Soak.scale(256 * 1024, 4 * 1024 * 1024);
    /** What the server may hold for one connection: the high watermark plus one read that crossed it. */
    static final long BOUND = OutboundBuffer.HIGH_WATERMARK + EventLoop.READ_BUFFER_SIZE;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void peersThatResetMidStreamLeaveTheServerServing(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).start()) {
            ExecutorService threads = Soak.threads("reset", 2 * PEERS);
            List<SoakStream> streams = new ArrayList<>();
            try {
                Soak.measure("reset mid-stream " + transport, PEERS + " peers streaming reset after 0..volume bytes", () -> {
                    SplittableRandom random = new SplittableRandom(3);
                    List<CompletableFuture<SoakStream.Result>> results = new ArrayList<>();
                    for (int i = 0; i < PEERS; i++) {
                        SoakStream stream = SoakStream.open(server.socketAddress(), VOLUME, i, 16 * 1024, 0);
                        streams.add(stream);
                        results.add(stream.run(threads));
                    }
                    for (SoakStream stream : streams) {
                        long after = random.nextInt(VOLUME);
                        Await.until(Duration.ofSeconds(60), () -> stream.written() >= after, () -> "traffic flows");
                        stream.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                        stream.close();   // a reset: what is in flight either way is dropped
                    }
                    for (CompletableFuture<SoakStream.Result> result : results) {
                        result.get(1, TimeUnit.MINUTES);
                    }
                    awaitAllClosed(server, PEERS);
                    return echoesAFreshStream(server);
                });
            } finally {
                for (SoakStream stream : streams) {
                    stream.close();
                }
                threads.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void peersThatHalfCloseStillReadEveryByte(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).start()) {
            ExecutorService threads = Soak.threads("half-close", PEERS);
            try {
                Soak.measure("half-close " + transport, PEERS + " peers x " + Soak.size(VOLUME) + ", shutdownOutput, keep reading",
                        () -> {
                            List<CompletableFuture<Long>> lost = new ArrayList<>();
                            for (int i = 0; i < PEERS; i++) {
                                int seed = i;
                                lost.add(CompletableFuture.supplyAsync(() -> halfClose(server, seed), threads));
                            }
                            long total = 0;
                            for (CompletableFuture<Long> l : lost) {
                                total += l.get(5, TimeUnit.MINUTES);
                            }
                            awaitAllClosed(server, PEERS);
                            return total;
                        });
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static long halfClose(EmbeddedEchoServer server, int seed) {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[] sent = new byte[VOLUME];
            new SplittableRandom(seed).nextBytes(sent);
            CompletableFuture<Void> writing = peer.writeInBackground(sent).thenRun(() -> {
                try {
                    peer.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] echoed = peer.readToEnd();   // to the server's FIN, which follows the last byte
            writing.get(1, TimeUnit.MINUTES);
            assertArrayEquals(sent, echoed);
            return sent.length - echoed.length;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void peersThatNeverReadHoldTheServerToItsBound(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).start()) {
            List<SocketChannel> peers = new ArrayList<>();
            try {
                Soak.measure("never read " + transport, PEERS + " peers write until blocked, never read", () -> {
                    long heapBefore = usedHeapAfterGc();
                    for (int i = 0; i < PEERS; i++) {
                        SocketChannel peer = SoakStream.open(server.socketAddress(), 0, 0, 1, 0).channel;
                        peers.add(peer);
                        peer.configureBlocking(false);
                    }
                    ByteBuffer junk = ByteBuffer.allocate(64 * 1024);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    long quietSince = System.nanoTime();
                    while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500)) {
                        for (SocketChannel peer : peers) {
                            if (peer.write(junk.clear()) > 0) {
                                quietSince = System.nanoTime();
                            }
                        }
                        assertTrue(System.nanoTime() - deadline < 0, "the peers never stopped being able to write");
                        LockSupport.parkNanos(5_000_000);
                    }
                    long heapGrowth = usedHeapAfterGc() - heapBefore;
                    long peak = 0;
                    for (EchoConnection c : server.connections()) {
                        peak = Math.max(peak, ((ConnectionView) c).peakPendingBytes());
                    }
                    String figures = "peak pending per connection " + peak + " B (bound " + BOUND + "), heap growth "
                            + heapGrowth / 1024 + " KiB for " + PEERS + " peers";
                    Soak.note(figures);
                    assertTrue(peak <= BOUND, figures);
                    assertTrue(heapGrowth < PEERS * BOUND + 8L * 1024 * 1024, figures);
                    return -1;
                });
            } finally {
                for (SocketChannel peer : peers) {
                    peer.close();
                }
            }
        }
    }

    /** Slow peers trickle a byte at a time and hold their connections; others are served meanwhile; idle ones are closed. */
    @Test
    void slowlorisPeersDoNotStarveOthersAndIdleOnesAreClosed() throws Exception {
        Duration idle = Duration.ofSeconds(3);   // far longer than a round, even on a loaded machine
        int slow = Soak.scale(32, 500);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().idleTimeout(idle).recordLimit(0).start()) {
            List<RawPeer> peers = new ArrayList<>();
            try {
                Soak.measure("slowloris TCP", slow + " peers send 1 byte per 100 ms, then go quiet; idleTimeout 3 s", () -> {
                    for (int i = 0; i < slow; i++) {
                        peers.add(RawPeer.connect(server));
                    }
                    for (int round = 0; round < 3; round++) {
                        for (RawPeer peer : peers) {
                            peer.write(new byte[] {(byte) round});
                        }
                        long lost = echoesAFreshStream(server);
                        assertEquals(0, lost);
                        for (RawPeer peer : peers) {
                            assertEquals((byte) round, peer.readExactly(1)[0]);
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    }
                    for (RawPeer peer : peers) {
                        assertEquals(0, peer.readToEnd().length, "closed by the idle time-out");
                    }
                    return 0;
                });
            } finally {
                for (RawPeer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void peersThatConnectAndVanishAreForgotten(Transport transport) throws Exception {
        int count = Soak.scale(200, 2_000);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).start()) {
            Soak.measure("connect-and-vanish " + transport, count + " connects, half closed, half reset, at once", () -> {
                for (int i = 0; i < count; i++) {
                    SocketChannel peer = SoakStream.open(server.socketAddress(), 0, 0, 1, 0).channel;
                    if (i % 2 == 0 && transport == Transport.TCP) {
                        peer.setOption(StandardSocketOptions.SO_LINGER, 0);
                    }
                    peer.close();
                }
                awaitAllClosed(server, count);
                return echoesAFreshStream(server);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void closeDuringHeavyTrafficReturnsWithinASecondFreesTheAddressAndEndsTheThread(Transport transport) throws Exception {
        EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).start();
        ExecutorService threads = Soak.threads("close-under-load", 2 * PEERS);
        List<SoakStream> streams = new ArrayList<>();
        try {
            Soak.measure("server.close() under load " + transport, PEERS + " peers streaming without end", () -> {
                List<CompletableFuture<SoakStream.Result>> results = new ArrayList<>();
                for (int i = 0; i < PEERS; i++) {
                    SoakStream stream = SoakStream.open(server.socketAddress(), 1L << 40, i, 64 * 1024, 0);
                    streams.add(stream);
                    results.add(stream.run(threads));
                }
                Await.until(Duration.ofSeconds(30), () -> server.stats().bytesSent() > PEERS * 256L * 1024, () -> "traffic flows");
                long start = System.nanoTime();
                server.close();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                Soak.note("close() returned in " + millis + " ms, port/file free, thread ended");
                assertTrue(millis < 1_000, "close() took " + millis + " ms");
                assertFalse(server.isRunning());
                assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().startsWith("echo-fixture-loop")
                                && (transport == Transport.UNIX || t.getName().endsWith("-" + server.port()))),
                        "the loop thread ended");
                if (transport == Transport.TCP) {
                    try (ServerSocketChannel again = ServerSocketChannel.open()) {
                        again.bind(server.address());   // the port is free
                    }
                } else {
                    assertFalse(Files.exists(((UnixDomainSocketAddress) server.socketAddress()).getPath()), "socket file deleted");
                }
                long arrived = 0;
                for (int i = 0; i < PEERS; i++) {
                    SoakStream.Result result = results.get(i).get(1, TimeUnit.MINUTES);
                    assertTrue(result.endOfStream(), "the peer saw the end");
                    arrived += result.received();
                    assertArrayEquals(streams.get(i).prefixHash(result.received()), result.receivedHash(),
                            "what came back before the close is what was sent, in order");
                }
                // written by the server but never read by a peer: a close with unread input sends a reset,
                // which may discard what was still in flight; reported, not asserted
                return Math.max(0, server.stats().bytesSent() - arrived);
            });
        } finally {
            server.close();
            for (SoakStream stream : streams) {
                stream.close();
            }
            threads.shutdownNow();
        }
    }

    static void awaitAllClosed(EmbeddedEchoServer server, int accepted) {
        Await.until(Duration.ofSeconds(30), () -> server.stats().connectionsAccepted() >= accepted
                && server.stats().activeConnections() == 0, () -> "every connection closed: " + server.stats());
    }

    /** A fresh connection echoes 64 KiB exactly; returns the bytes lost (0). */
    static long echoesAFreshStream(EmbeddedEchoServer server) throws Exception {
        try (SoakStream stream = SoakStream.open(server.socketAddress(), 64 * 1024, 99, 4096, 0)) {
            ExecutorService threads = Soak.threads("fresh", 2);
            try {
                SoakStream.Result result = stream.run(threads).get(1, TimeUnit.MINUTES);
                assertTrue(result.intact(), "a fresh connection echoes: sent " + result.sent() + ", read " + result.received());
                return result.lost();
            } finally {
                threads.shutdownNow();
            }
        }
    }

    static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }

}
