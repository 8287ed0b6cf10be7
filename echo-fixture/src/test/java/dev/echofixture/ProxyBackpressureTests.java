package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.conditions.OutboundBuffer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backpressure through the proxy, end to end: a client that does not read, or an upstream that
 * does not read, stops the proxy reading the other side; nothing is buffered without bound, and
 * every byte arrives once the slow side reads.
 */
@Timeout(120)
class ProxyBackpressureTests {

    /**
     * More than every kernel buffer on the way can hold (loopback buffers grow to several MiB each,
     * and a proxied echo has six of them between the writer and its reader), so a writer that
     * finished would prove the proxy buffered.
     */
    private static final long TOTAL = 128L * 1024 * 1024;
    /** What may wait in the proxy towards one side: the high watermark plus one read that crossed it. */
    private static final long BOUND = OutboundBuffer.HIGH_WATERMARK + EventLoop.READ_BUFFER_SIZE;

    @Test
    void aClientThatDoesNotReadStopsTheProxyReadingIt() throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.builder().recordLimit(0).start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(upstream.uri()).recordLimit(0).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(
                    () -> BackpressureTests.writePattern(peer, TOTAL), BackpressureTests.daemon());
            ConnectionView connection = (ConnectionView) proxy.awaitConnections(1, Duration.ofSeconds(5)).get(0);

            Await.stall(connection, BOUND, Duration.ofSeconds(30));
            assertFalse(writer.isDone(), "the writer is held back: the proxy stopped reading");
            assertTrue(connection.peakPendingBytes() <= BOUND, "peak pending towards the client " + connection.peakPendingBytes());

            BackpressureTests.readAndVerifyPattern(peer, TOTAL);
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(TOTAL, connection.bytesReceived());
            assertEquals(TOTAL, connection.bytesSent());
        }
    }

    @Test
    void anUpstreamThatDoesNotReadSlowsTheClient() throws Exception {
        try (ServerSocketChannel slowUpstream = ServerSocketChannel.open()) {
            slowUpstream.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(slowUpstream.getLocalAddress())
                    .recordLimit(0).start();
                 RawPeer peer = RawPeer.connect(proxy);
                 SocketChannel atUpstream = slowUpstream.accept()) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(
                        () -> BackpressureTests.writePattern(peer, TOTAL), BackpressureTests.daemon());
                EchoConnection connection = proxy.awaitConnections(1, Duration.ofSeconds(5)).get(0);

                Await.stall(connection, BOUND, Duration.ofSeconds(30));
                assertFalse(writer.isDone(), "the writer is held back: the proxy stopped reading");
                assertTrue(connection.bytesReceived() < TOTAL / 2, "received " + connection.bytesReceived());

                RawPeer upstreamSide = RawPeer.wrap(atUpstream);
                BackpressureTests.readAndVerifyPattern(upstreamSide, TOTAL);
                writer.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
