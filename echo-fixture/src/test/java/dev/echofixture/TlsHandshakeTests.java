package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.tls.Certificates;
import dev.echofixture.internal.tls.TlsLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS handshakes: what is negotiated and recorded, and each way a handshake fails, seen from
 * the client (its handshake fails) and from the server (the failed handshake is recorded on
 * the connection, with the alert).
 */
@Timeout(60)
class TlsHandshakeTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static EmbeddedEchoServer tls(TlsOptions options) {
        return EmbeddedEchoServer.builder().tls(options).start();
    }

    private static SSLContext trusting(EmbeddedEchoServer server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {server.trustManager()}, null);
        return context;
    }

    private static TlsHandshake serverSide(EmbeddedEchoServer server) {
        return server.awaitConnections(1, WAIT).get(0).awaitTls(WAIT);
    }

    @Test
    void recordsProtocolCipherSuiteServerNameAndApplicationProtocol() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().applicationProtocols("h2", "http/1.1"));
             TlsPeer peer = TlsPeer.connect(server, server.sslContextForClients(), server.host(), parameters -> {
                 parameters.setEndpointIdentificationAlgorithm(null); // the SNI name below is not in the certificate
                 parameters.setServerNames(List.of(new SNIHostName("db.example.test")));
                 parameters.setApplicationProtocols(new String[] {"http/1.1"});
             })) {
            peer.handshake();
            peer.write(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, peer.readExactly(3));
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.COMPLETED, handshake.status());
            assertEquals(peer.socket.getSession().getProtocol(), handshake.protocol());
            assertEquals(peer.socket.getSession().getCipherSuite(), handshake.cipherSuite());
            assertEquals(Optional.of("db.example.test"), handshake.serverName());
            assertEquals(Optional.of("http/1.1"), handshake.applicationProtocol());
            assertEquals(List.of(), handshake.clientCertificates());
            assertTrue(handshake.toString().contains("sni=db.example.test"), handshake.toString());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServerFailsAndTheServerRecordsTheAlert() throws Exception {
        SSLContext jdkDefaults = SSLContext.getInstance("TLS");
        jdkDefaults.init(null, null, null); // the JDK's CAs, which never signed the generated certificate
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults());
             TlsPeer peer = TlsPeer.connect(server, jdkDefaults, server.host(), parameters -> { })) {
            assertThrows(SSLHandshakeException.class, peer::handshake);
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.FAILED, handshake.status());
            assertEquals(Optional.of("certificate_unknown"), handshake.alert(), handshake.toString());
            assertTrue(handshake.failure().orElseThrow().contains("certificate_unknown"), handshake.toString());
            EchoConnection connection = server.connections().get(0);
            Await.until(() -> !connection.isOpen(), "the failed connection is closed");
        }
    }

    @Test
    void aWrongHostNameFailsTheClientsHandshake() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults());
             TlsPeer peer = TlsPeer.connect(server, server.sslContextForClients(), "wrong.example.test", p -> { })) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, peer::handshake);
            assertTrue(e.getMessage().contains("wrong.example.test"), e.getMessage());
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.FAILED, handshake.status());
            assertEquals(Optional.of("certificate_unknown"), handshake.alert(), handshake.toString());
            assertEquals(Optional.of("wrong.example.test"), handshake.serverName(), "SNI is recorded for a failed handshake too");
        }
    }

    @Test
    void theCertificateNamesLocalhostAndTheLoopbackAddresses() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults());
             TlsPeer peer = TlsPeer.connect(server, server.sslContextForClients(), "localhost", p -> { })) {
            peer.handshake();
            X509Certificate leaf = server.certificateChain().get(0);
            String names = String.valueOf(leaf.getSubjectAlternativeNames());
            assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names);
            assertEquals(2, server.certificateChain().size(), "leaf and the JVM's test CA");
            long now = System.currentTimeMillis();
            assertTrue(leaf.getNotBefore().getTime() < now - TimeUnit.HOURS.toMillis(23), "valid from a day ago");
            assertTrue(leaf.getNotAfter().getTime() > now + TimeUnit.HOURS.toMillis(23), "valid a day ahead");
        }
    }

    @Test
    void aSelfSignedServerIsTrustedByItsTrustManager() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().selfSigned());
             EchoClient client = EchoClient.connect(server.uri(), trusting(server))) {
            assertEquals(1, server.certificateChain().size());
            assertEquals("ping", client.send("ping").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void needClientAuthAcceptsTheClientCertificateTheServerIssues() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().clientAuth(TlsOptions.ClientAuth.NEED));
             EchoClient client = server.newClient()) {
            assertEquals("ping", client.send("ping").get(10, TimeUnit.SECONDS));
            TlsHandshake handshake = serverSide(server);
            assertTrue(handshake.isComplete(), handshake.toString());
            assertEquals("CN=echo-fixture client", handshake.clientCertificates().get(0).getSubjectX500Principal().getName());
        }
    }

    @Test
    void needClientAuthFailsAClientWithoutACertificateWithTheAlertNeverAReset() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().clientAuth(TlsOptions.ClientAuth.NEED))) {
            SSLContext noCertificate = trusting(server);
            for (int i = 0; i < 10; i++) { // the reset was a race: the client's data arriving after the server's close
                try (TlsPeer peer = TlsPeer.connect(server, noCertificate, server.host(), p -> { })) {
                    // under TLS 1.3 the client's own handshake ends before the server has checked it:
                    // the failure shows on its first read, after a write the server still takes
                    SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> {
                        peer.handshake();
                        peer.write(new byte[] {1});
                        peer.readExactly(1);
                    }, "connection " + i);
                    assertTrue(e.getMessage().matches("Received fatal alert: (bad_certificate|certificate_required)"),
                            "the server's alert (JDK 17 sends bad_certificate), connection " + i + ": " + e);
                }
            }
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.FAILED, handshake.status());
            assertTrue(handshake.failure().orElseThrow().contains("certificate"), handshake.toString());
            assertEquals(0, server.connections().get(0).bytesReceived(), "nothing was accepted from it");
            Await.until(() -> server.stats().activeConnections() == 0, "each failed connection closed once its client did");
        }
    }

    @Test
    void afterAFailedHandshakeTheServerSendsTheAlertAndAFinThenClosesWhenThePeerDoesOrAfterABound() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults());
             java.net.Socket plain = new java.net.Socket(server.address().getAddress(), server.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readAllBytes(); // the alert, then an end of stream: no reset
            assertEquals(21, answer[0], "an alert record");
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.FAILED, handshake.status());
            EchoConnection connection = server.connections().get(0);
            plain.getOutputStream().write(new byte[100]); // the server still takes what the peer sends
            assertTrue(connection.isOpen(), "it waits for the peer to close");
            long lingerMillis = TimeUnit.NANOSECONDS.toMillis(TlsLink.LINGER_NANOS);
            Await.until(Duration.ofMillis(lingerMillis + 5_000), () -> !connection.isOpen(),
                    () -> "closed after at most about " + lingerMillis + " ms though the peer never closed");
            assertEquals(0, connection.bytesReceived());
        }
    }

    @Test
    void wantClientAuthAcceptsAClientWithoutACertificate() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().clientAuth(TlsOptions.ClientAuth.WANT));
             EchoClient client = EchoClient.connect(server.uri(), trusting(server))) {
            assertEquals("ping", client.send("ping").get(10, TimeUnit.SECONDS));
            assertEquals(List.of(), serverSide(server).clientCertificates());
        }
    }

    @Test
    void aProtocolVersionMismatchFailsWithProtocolVersion() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().protocols("TLSv1.3"));
             TlsPeer peer = TlsPeer.connect(server, server.sslContextForClients(), server.host(),
                     parameters -> parameters.setProtocols(new String[] {"TLSv1.2"}))) {
            assertThrows(SSLHandshakeException.class, peer::handshake);
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.FAILED, handshake.status());
            assertEquals(Optional.of("protocol_version"), handshake.alert(), handshake.toString());
        }
    }

    @Test
    void echoClientReportsAFailedHandshakeAsAnSslHandshakeException() {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults())) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> EchoClient.connect(server.uri()));
            assertInstanceOf(SSLHandshakeException.class, e.getCause(), e.toString());
            assertTrue(e.getMessage().contains(server.uri().toString()), e.getMessage());
            assertEquals(TlsHandshake.Status.FAILED, serverSide(server).status());
        }
    }

    @Test
    void aHandshakeDelayTimesOutAClientWithAShortHandshakeTimeout() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().handshakeDelay(Duration.ofSeconds(30)))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> EchoClient.connect(server.uri(), Duration.ofMillis(300), server.sslContextForClients()));
            assertInstanceOf(SocketTimeoutException.class, e.getCause(), e.toString());
            assertEquals(TlsHandshake.Status.IN_PROGRESS, server.connections().get(0).tls().orElseThrow().status());
        }
    }

    @Test
    void aShortHandshakeDelayStillCompletes() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().handshakeDelay(Duration.ofMillis(100)));
             EchoClient client = server.newClient()) {
            assertEquals("late", client.send("late").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSilentHandshakeNeverAnswersAndRecordsTheClientGivingUp() throws Exception {
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().silentHandshake())) {
            try (TlsPeer peer = TlsPeer.connect(server)) {
                peer.socket.setSoTimeout(300);
                assertThrows(SocketTimeoutException.class, peer::handshake);
            }
            TlsHandshake handshake = serverSide(server);
            assertEquals(TlsHandshake.Status.FAILED, handshake.status());
            assertTrue(handshake.failure().orElseThrow().contains("before the handshake completed"), handshake.toString());
        }
    }

    @Test
    void aUserKeyStoreIsPresented() throws Exception {
        Certificates.Identity identity = Certificates.server(List.of("localhost"),
                List.of(java.net.InetAddress.getByName("127.0.0.1")), true);
        KeyStore store = keyStore(identity);
        try (EmbeddedEchoServer server = tls(TlsOptions.defaults().keyStore(store, "secret".toCharArray()));
             EchoClient client = EchoClient.connect(server.uri(), trusting(server))) {
            assertEquals(identity.leaf(), server.certificateChain().get(0));
            assertEquals("ping", client.send("ping").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anExpiredCertificateFailsAtStartNamingItAndTheFix() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        KeyStore store = keyStore(Certificates.selfSigned("expired.example", now.minusDays(10), now.minusDays(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tls(TlsOptions.defaults().keyStore(store, "secret".toCharArray())));
        assertTrue(e.getMessage().startsWith("keyStore: certificate CN=expired.example expired on "), e.getMessage());
        assertTrue(e.getMessage().contains("renew it"), e.getMessage());
    }

    @Test
    void anUnknownCipherSuiteFailsAtStartNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tls(TlsOptions.defaults().cipherSuites("TLS_NO_SUCH_SUITE")));
        assertTrue(e.getMessage().startsWith("cipherSuites: TLS_NO_SUCH_SUITE (expected: names this JVM supports"),
                e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> tls(TlsOptions.defaults().protocols("TLSv9")));
        assertTrue(p.getMessage().startsWith("protocols: TLSv9 ("), p.getMessage());
    }

    @Test
    void tlsMethodsOnAPlainServerSayWhatToDo() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, server::sslContextForClients);
            assertTrue(e.getMessage().contains("Transport.TLS"), e.getMessage());
            assertFalse(server.connections().stream().anyMatch(c -> c.tls().isPresent()));
        }
    }

    private static KeyStore keyStore(Certificates.Identity identity) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", identity.key(), "secret".toCharArray(),
                identity.chain().toArray(new java.security.cert.Certificate[0]));
        return store;
    }
}
