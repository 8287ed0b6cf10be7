package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsHandshake;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import dev.echofixture.junit.EchoServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LineClient#overTls} against a TLS echo server: the happy path, conditions and handshake failures. */
@EchoServer(transport = Transport.TLS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsLineClientTests {

    @Test
    void answersOverTls(EmbeddedEchoServer server) throws IOException {
        try (LineClient client = LineClient.overTls(server.address(), Duration.ofSeconds(5), server.sslContextForClients())) {
            assertEquals("PING", client.request("PING"));
            assertEquals("Grüße", client.request("Grüße"));
        }
        assertEquals("PING\nGrüße\n", server.connections().get(0).receivedText());
        assertEquals(TlsHandshake.Status.COMPLETED, server.connections().get(0).awaitTls(Duration.ofSeconds(5)).status());
    }

    @Test
    @EchoServer(transport = Transport.TLS, chunkSize = 1)
    void assemblesALineThatArrivesInOneByteRecords(EmbeddedEchoServer server) throws IOException {
        try (LineClient client = LineClient.overTls(server.address(), Duration.ofSeconds(5), server.sslContextForClients())) {
            assertEquals("a line in pieces", client.request("a line in pieces"));
        }
    }

    @Test
    void retriesOnceWhenTheServerResetsTheTlsConnection(EmbeddedEchoServer server) throws IOException {
        server.behavior(EchoBehavior.echo().resetAfter(3));
        try (LineClient client = LineClient.overTls(server.address(), Duration.ofSeconds(5), server.sslContextForClients())) {
            assertEquals("OK", client.request("OK")); // "OK\n" is 3 bytes: echoed, then the reset
            server.behavior(EchoBehavior.echo());
            assertEquals("AGAIN", client.request("AGAIN"));
        }
    }

    @Test
    void doesNotRetryAHandshakeTheServerCertificateFails(EmbeddedEchoServer server) throws Exception {
        try (LineClient client = LineClient.overTls(server.address(), Duration.ofSeconds(5),
                javax.net.ssl.SSLContext.getDefault())) { // the JDK's CAs did not sign the test certificate
            assertThrows(SSLHandshakeException.class, () -> client.request("PING"));
            assertEquals(1, client.connectAttempts());
        }
        TlsHandshake handshake = server.awaitConnections(1, Duration.ofSeconds(5)).get(0).awaitTls(Duration.ofSeconds(5));
        assertEquals(Optional.of("certificate_unknown"), handshake.alert());
    }

    @Test
    void timesOutAHandshakeTheServerNeverAnswers() throws IOException {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .tls(TlsOptions.defaults().silentHandshake()).start();
             LineClient client = LineClient.overTls(server.address(), Duration.ofMillis(300), server.sslContextForClients())) {
            assertThrows(SocketTimeoutException.class, () -> client.request("PING"));
        }
    }
}
