package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TLS connection that has not sent its first byte holds no TLS buffers: its heap stays a
 * few KiB (it was some 70 KiB with the engine's buffers made at accept). Measured as the live
 * heap after GC around 1,000 silent connections; the clients' own sockets are in this JVM too,
 * so the bound is loose. Not a speed assertion. ({@code benchmarks/TlsIdleMemoryMain} measures
 * the server alone.)
 */
@Timeout(60)
class TlsIdleMemoryTests {

    private static final int CONNECTIONS = 1000;
    private static final long BOUND_PER_CONNECTION = 16 * 1024;

    @Test
    void aSilentTlsConnectionHoldsNoBuffers() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().maxConnections(CONNECTIONS + 16)
                .tls(TlsOptions.defaults().handshakeTimeout(Duration.ZERO)).start()) {
            try (EchoClient client = server.newClient()) {
                client.send("warm-up").get(10, TimeUnit.SECONDS); // the TLS material and classes exist before the baseline
            }
            Await.until(() -> server.stats().activeConnections() == 0, "the warm-up connection closed");
            long before = liveHeap();
            List<SocketChannel> peers = new ArrayList<>(CONNECTIONS);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    peers.add(SocketChannel.open(server.socketAddress()));
                }
                Await.until(() -> server.stats().activeConnections() == CONNECTIONS, "every connection accepted");
                long perConnection = (liveHeap() - before) / CONNECTIONS;
                assertTrue(perConnection <= BOUND_PER_CONNECTION, "heap per silent TLS connection, its client's socket included: "
                        + perConnection + " bytes (expected: <= " + BOUND_PER_CONNECTION + ")");
            } finally {
                for (SocketChannel peer : peers) {
                    peer.close();
                }
            }
        }
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
