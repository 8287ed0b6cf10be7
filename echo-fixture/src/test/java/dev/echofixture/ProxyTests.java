package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Proxy mode: forwarding to a real upstream, both ways, with conditions per direction, recorded. */
@Timeout(60)
class ProxyTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0} in, {1} upstream")
    @CsvSource({"TCP, TCP", "TCP, UNIX", "UNIX, TCP", "UNIX, UNIX"})
    void forwardsBothWaysAndRecordsTheDialogue(Transport in, Transport up) throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.builder().transport(up).start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().transport(in).proxyTo(upstream.uri()).start();
             EchoClient client = EchoClient.connect(proxy.uri())) {
            assertEquals("hello", client.sendAndAwait("hello"));
            assertEquals(" world", client.sendAndAwait(" world"));

            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            upstream.awaitConnections(1, WAIT).get(0).awaitReceived("hello world", WAIT);
            assertEquals("hello world", connection.receivedText());
            assertEquals("hello world", connection.sentText());
            assertEquals(11, connection.bytesReceived());
            // counted once the write returned, which may be after the client read the bytes
            Await.until(() -> connection.bytesSent() == 11, "11 bytes sent: " + connection);
            List<DialogueEntry> dialogue = connection.dialogue();
            assertEquals(DialogueEntry.Direction.TO_UPSTREAM, dialogue.get(0).direction());
            assertEquals("hello", dialogue.get(0).text());
            assertEquals(DialogueEntry.Direction.TO_CLIENT, dialogue.get(1).direction());
            assertEquals("hello", dialogue.get(1).text());
            for (int i = 1; i < dialogue.size(); i++) {
                assertTrue(dialogue.get(i).at().compareTo(dialogue.get(i - 1).at()) >= 0, "in order: " + dialogue);
            }
        }
    }

    @Test
    void carriesLargePayloadsIntact() throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024];
        new java.util.SplittableRandom(7).nextBytes(payload);
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(upstream.socketAddress()).recordLimit(1024).start();
             EchoClient client = EchoClient.connect(proxy.uri(), Duration.ofSeconds(30))) {
            assertArrayEquals(payload, client.send(payload).get(30, TimeUnit.SECONDS));
            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            assertEquals(1024, connection.received().length, "recordLimit bounds the recording each way");
            assertEquals(1024, connection.sent().length);
        }
    }

    @Test
    void asksTheSupplierWhenAConnectionArrives() throws Exception {
        AtomicReference<SocketAddress> upstreamAddress = new AtomicReference<>();
        try (EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(upstreamAddress::get).start();
             EmbeddedEchoServer upstream = EmbeddedEchoServer.start()) { // started after the proxy
            upstreamAddress.set(upstream.socketAddress());
            try (EchoClient client = EchoClient.connect(proxy.uri())) {
                assertEquals("late", client.sendAndAwait("late"));
            }
        }
    }

    @Test
    void latencyAppliesToTheAnswersAndUpstreamBehaviorToTheRequests() throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder()
                     .proxy(ProxyOptions.to(upstream.uri()).upstreamBehavior(EchoBehavior.echo().chunkSize(2)))
                     .behavior(EchoBehavior.echo().latency(Duration.ofMillis(200)))
                     .start();
             EchoClient client = EchoClient.connect(proxy.uri())) {
            long start = System.nanoTime();
            assertEquals("abcdef", client.sendAndAwait("abcdef"));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "the answer was delayed");
            EchoConnection atUpstream = upstream.awaitConnections(1, WAIT).get(0);
            atUpstream.awaitReceived("abcdef", WAIT);
            assertEquals("abcdef", atUpstream.receivedText());
        }
    }

    @Test
    void resetAfterOnTheAnswersResetsTheClientMidResponse() throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(upstream.uri())
                     .behavior(EchoBehavior.echo().resetAfter(3)).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            peer.write("hello".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("hel".getBytes(StandardCharsets.UTF_8), peer.readExactly(3));
            assertThrows(IOException.class, () -> peer.readExactly(1));
            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            Await.until(() -> !connection.isOpen(), "the proxied connection closed");
            assertEquals(3, connection.bytesSent());
        }
    }

    @Test
    void resetAfterOnTheRequestsCutsTheUpstreamAndTheClient() throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder()
                     .proxy(ProxyOptions.to(upstream.uri()).upstreamBehavior(EchoBehavior.echo().resetAfter(3))).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            peer.write("hello".getBytes(StandardCharsets.UTF_8));
            EchoConnection atUpstream = upstream.awaitConnections(1, WAIT).get(0);
            assertEquals(ConnectionClose.Kind.RESET, atUpstream.awaitClosed(WAIT).kind());
            assertEquals("hel", atUpstream.receivedText());
            assertThrows(IOException.class, () -> peer.readExactly(1));
        }
    }

    @ParameterizedTest
    @CsvSource({"TCP", "UNIX"})
    void passesHalfCloseThroughBothWays(Transport up) throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.builder().transport(up).start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(upstream.uri()).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            peer.write("last words".getBytes(StandardCharsets.UTF_8));
            peer.shutdownOutput();
            // the echo upstream sees the end of stream, echoes what it had, and ends its side: both reach the client
            assertEquals("last words", new String(peer.readToEnd(), StandardCharsets.UTF_8));
            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            assertEquals(ConnectionClose.Kind.ORDERLY, connection.awaitClosed(WAIT).kind());
            assertEquals(ConnectionClose.Kind.ORDERLY, upstream.awaitConnections(1, WAIT).get(0).awaitClosed(WAIT).kind());
            Await.until(() -> !connection.isOpen(), "the proxied connection closed");
        }
    }

    @Test
    void aRefusedUpstreamResetsTheClientAndIsRecorded() throws Exception {
        SocketAddress closedPort;
        try (EmbeddedEchoServer gone = EmbeddedEchoServer.start()) {
            closedPort = gone.socketAddress();
        }
        try (EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(closedPort).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            IOException e = assertThrows(IOException.class, () -> peer.readExactly(1));
            assertTrue(e instanceof java.net.SocketException, "a reset: " + e);
            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            Await.until(() -> connection.upstreamFailure().isPresent(), "the failure recorded");
            assertTrue(connection.upstreamFailure().get().contains("refused"), connection.upstreamFailure().get());
        }
    }

    @Test
    void aFailedConnectClosesTheClientWhenAskedTo() throws Exception {
        SocketAddress closedPort;
        try (EmbeddedEchoServer gone = EmbeddedEchoServer.start()) {
            closedPort = gone.socketAddress();
        }
        try (EmbeddedEchoServer proxy = EmbeddedEchoServer.builder()
                .proxy(ProxyOptions.to(closedPort).onConnectFailure(ConnectionClose.Kind.ORDERLY)).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            assertEquals(0, peer.readToEnd().length, "an orderly end of stream");
            assertTrue(proxy.awaitConnections(1, WAIT).get(0).upstreamFailure().isPresent());
        }
    }

    @Test
    void aSupplierThatFailsFailsTheConnection() throws Exception {
        try (EmbeddedEchoServer proxy = EmbeddedEchoServer.builder()
                .proxyTo(() -> {
                    throw new IllegalStateException("upstream not started");
                }).start();
             RawPeer peer = RawPeer.connect(proxy)) {
            assertThrows(IOException.class, () -> peer.readExactly(1));
            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            Await.until(() -> connection.upstreamFailure().isPresent(), "the failure recorded");
            assertTrue(connection.upstreamFailure().get().contains("upstream not started"));
        }
    }

    @Test
    void anUpstreamResetResetsTheClient() throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().resetAfter(2)).start();
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxyTo(upstream.uri()).start();
             EchoClient client = EchoClient.connect(proxy.uri())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.send("hello").get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, e.toString());
            EchoConnection connection = proxy.awaitConnections(1, WAIT).get(0);
            Await.until(() -> !connection.isOpen(), "the proxied connection closed");
        }
    }

    @Test
    void badSettingsFailAtStartNamingTheSetting() {
        SettingException udp = assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().proxyTo(URI.create("udp://127.0.0.1:9")));
        assertEquals("proxyTo", udp.setting());
        SettingException transport = assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().transport(Transport.UDP).proxyTo(URI.create("tcp://127.0.0.1:9")).start());
        assertEquals("proxyTo", transport.setting());
        assertEquals("proxyTo", assertThrows(SettingException.class,
                () -> ProxyOptions.to(URI.create("tcp://127.0.0.1"))).setting());
        assertEquals("connectTimeout", assertThrows(SettingException.class,
                () -> ProxyOptions.to(URI.create("tcp://127.0.0.1:9")).connectTimeout(Duration.ZERO)).setting());
        assertEquals("proxyTo", assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().proxyTo((SocketAddress) null)).setting());
    }
}
