package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS echo: the plaintext back, in order, exactly once; the recording holds the plaintext. */
@Timeout(60)
class TlsEchoTests {

    @Test
    void newClientEchoesOverTls() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start();
             EchoClient client = server.newClient()) {
            assertTrue(server.uri().toString().startsWith("tls://127.0.0.1:"), server.uri().toString());
            assertEquals("hello", client.send("hello").get(10, TimeUnit.SECONDS));
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("hello", connection.receivedText());
            TlsHandshake tls = connection.awaitTls(Duration.ofSeconds(5));
            assertTrue(tls.isComplete(), tls.toString());
            assertEquals("TLSv1.3", tls.protocol());
        }
    }

    @Test
    void echoesLargePayloadsToAnSslSocket() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start()) {
            for (int size : new int[] {1, 100, 16 * 1024 + 1, 1024 * 1024, 8 * 1024 * 1024}) {
                byte[] payload = TcpEchoTests.random(size, size);
                try (TlsPeer peer = TlsPeer.connect(server)) {
                    CompletableFuture<Void> written = peer.writeInBackground(payload);
                    byte[] echoed = peer.readExactly(size);
                    written.get(30, TimeUnit.SECONDS);
                    assertArrayEquals(payload, echoed, "echo of " + size + " bytes");
                    peer.shutdownOutput();
                    assertEquals(0, peer.readToEnd().length, "nothing more than " + size + " bytes");
                }
            }
            Await.until(() -> server.stats().activeConnections() == 0, "every connection closed");
        }
    }

    @Test
    void connectsWithAUserContext() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start();
             EchoClient client = EchoClient.connect(server.uri(), server.sslContextForClients())) {
            byte[] payload = TcpEchoTests.random(300_000, 7);
            assertArrayEquals(payload, client.send(payload).get(10, TimeUnit.SECONDS));
            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), client.send("abc".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS));
        }
    }
}
