package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * A client writes, half-closes (close_notify) and reads to the end: it gets every byte back
 * before the end of stream, under TLS 1.2 (whose engine closes its outbound side on the peer's
 * close_notify) as under TLS 1.3, with or without latency.
 */
@Timeout(60)
class TlsHalfCloseTests {

    @ParameterizedTest(name = "{0}, {1} bytes, latency {2} ms")
    @CsvSource({
            "TLSv1.2, 100000, 0",
            "TLSv1.2, 1048576, 0",
            "TLSv1.2, 300000, 20",
            "TLSv1.2, 1, 0",
            "TLSv1.3, 100000, 0",
            "TLSv1.3, 1048576, 0",
            "TLSv1.3, 300000, 20",
    })
    void everyByteComesBackBeforeTheEndOfStream(String protocol, int size, int latencyMillis) throws Exception {
        EchoBehavior behavior = EchoBehavior.echo().latency(Duration.ofMillis(latencyMillis));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).behavior(behavior).start()) {
            byte[] payload = TcpEchoTests.random(size, size + latencyMillis);
            try (TlsPeer peer = TlsPeer.connect(server, server.sslContextForClients(), server.host(),
                    parameters -> parameters.setProtocols(new String[] {protocol}))) {
                CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peer.readToEnd();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                peer.write(payload);
                peer.shutdownOutput();
                byte[] back = echoed.get(30, TimeUnit.SECONDS);
                assertEquals(size, back.length, "bytes echoed before the end of stream");
                assertArrayEquals(payload, back);
            }
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> !connection.isOpen(), "the connection closed");
            assertEquals(size, connection.bytesSent(), "bytes the server sent");
        }
    }
}
