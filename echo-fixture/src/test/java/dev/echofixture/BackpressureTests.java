package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.conditions.OutboundBuffer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that writes without reading never makes the server buffer without bound: the server
 * stops reading at the high watermark, and every byte still arrives once the peer reads.
 */
@org.junit.jupiter.api.Timeout(120)
class BackpressureTests {

    private static final long TOTAL = 64L * 1024 * 1024;
    /** What may wait in the server: the high watermark plus one read that crossed it. */
    private static final long BOUND = OutboundBuffer.HIGH_WATERMARK + EventLoop.READ_BUFFER_SIZE;

    static java.util.stream.Stream<Arguments> cases() {
        return java.util.stream.Stream.of(
                Arguments.of(Transport.TCP, EchoBehavior.echo(), TOTAL),
                Arguments.of(Transport.UNIX, EchoBehavior.echo(), TOTAL),
                // a delayed echo is slow by design (about 128 KiB per 10 ms): a smaller total proves the same
                Arguments.of(Transport.TCP, EchoBehavior.echo().latency(Duration.ofMillis(10)), 32L * 1024 * 1024),
                Arguments.of(Transport.TCP, EchoBehavior.echo().chunkSize(32 * 1024), 32L * 1024 * 1024));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void stopsReadingWhenThePeerDoesNotReadThenDeliversEveryByte(Transport transport, EchoBehavior behavior, long total)
            throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).behavior(behavior)
                .recordLimit(0).start();
             RawPeer peer = RawPeer.connect(server)) {
            long heapBefore = usedHeapAfterGc();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writePattern(peer, total), daemon());
            ConnectionView connection = (ConnectionView) server.awaitConnections(1, Duration.ofSeconds(5)).get(0);

            Await.stall(connection, BOUND, Duration.ofSeconds(30));
            long pending = connection.bytesReceived() - connection.bytesSent();
            assertTrue(pending <= BOUND, "pending " + pending + " <= " + BOUND);
            assertTrue(connection.peakPendingBytes() <= BOUND, "peak pending " + connection.peakPendingBytes());
            assertFalse(writer.isDone(), "the writer is held back: the server stopped reading");
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            assertTrue(heapGrowth < 8L * 1024 * 1024, "heap grew by " + heapGrowth + " bytes");

            readAndVerifyPattern(peer, total);
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(total, connection.bytesReceived());
            assertTrue(connection.peakPendingBytes() <= BOUND, "peak pending " + connection.peakPendingBytes());
        }
    }

    static byte patternAt(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    static void writePattern(RawPeer peer, long total) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            for (long offset = 0; offset < total; ) {
                buffer.clear();
                while (buffer.hasRemaining() && offset + buffer.position() < total) {
                    buffer.put(patternAt(offset + buffer.position()));
                }
                buffer.flip();
                offset += buffer.remaining();
                while (buffer.hasRemaining()) {
                    peer.channel.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void readAndVerifyPattern(RawPeer peer, long total) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long offset = 0;
        while (offset < total) {
            buffer.clear();
            int n = peer.channel.read(buffer);
            if (n < 0) {
                throw new AssertionError("end of stream after " + offset + " of " + total + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) != patternAt(offset + i)) {
                    throw new AssertionError("byte " + (offset + i) + " differs");
                }
            }
            offset += n;
        }
    }

    static java.util.concurrent.Executor daemon() {
        return runnable -> {
            Thread t = new Thread(runnable, "backpressure-writer");
            t.setDaemon(true);
            t.start();
        };
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
