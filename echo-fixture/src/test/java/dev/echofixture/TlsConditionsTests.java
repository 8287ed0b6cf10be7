package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.conditions.OutboundBuffer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network conditions, backpressure and closes over TLS: they apply to the plaintext, exactly as
 * over TCP; the peer sees close_notify for a graceful close and a reset for a reset.
 */
@Timeout(120)
class TlsConditionsTests {

    private static final byte[] HELLO_WORLD = "hello world".getBytes(StandardCharsets.UTF_8);

    private static EmbeddedEchoServer tls(EchoBehavior behavior) {
        return EmbeddedEchoServer.builder().transport(Transport.TLS).behavior(behavior).start();
    }

    @Test
    void closeAfterCountsPlaintextBytesThenSendsCloseNotify() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo().closeAfter(5)); TlsPeer peer = TlsPeer.connect(server)) {
            peer.write(HELLO_WORLD);
            assertEquals("hello", new String(peer.readToEnd(), StandardCharsets.UTF_8), "5 plaintext bytes, then a clean end");
            EchoConnection connection = server.connections().get(0);
            Await.until(() -> !connection.isOpen(), "closed");
            assertEquals(5, connection.bytesSent());
        }
    }

    @Test
    void resetAfterEchoesThatManyPlaintextBytesThenResets() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo().resetAfter(3)); TlsPeer peer = TlsPeer.connect(server)) {
            peer.write(HELLO_WORLD);
            assertArrayEquals("hel".getBytes(StandardCharsets.UTF_8), peer.readExactly(3));
            assertThrows(SocketException.class, peer::readToEnd);
        }
    }

    @Test
    void chunkSizeAndLatencyDeliverEveryByteInOrder() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo().chunkSize(7).latency(Duration.ofMillis(5)));
             TlsPeer peer = TlsPeer.connect(server)) {
            byte[] payload = TcpEchoTests.random(20_000, 3);
            CompletableFuture<Void> written = peer.writeInBackground(payload);
            assertArrayEquals(payload, peer.readExactly(payload.length));
            written.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void silentRecordsThePlaintextAndEchoesNothing() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo().silent()); EchoClient client = server.newClient()) {
            CompletableFuture<String> never = client.send("quiet");
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> connection.receivedText().equals("quiet"), "the plaintext recorded");
            assertFalse(never.isDone());
        }
    }

    @Test
    void aServerSideCloseEndsTheStreamCleanly() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo()); TlsPeer peer = TlsPeer.connect(server)) {
            peer.write(HELLO_WORLD);
            assertArrayEquals(HELLO_WORLD, peer.readExactly(HELLO_WORLD.length));
            server.connections().get(0).close();
            assertEquals(0, peer.readToEnd().length, "close_notify: an end of stream, no error");
        }
    }

    @Test
    void echoClientCloseSendsCloseNotifyAndTheServerRecordsACleanClose() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo())) {
            EchoConnection connection;
            try (EchoClient client = server.newClient()) {
                assertEquals("hello", client.send("hello").get(10, TimeUnit.SECONDS));
                connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
                assertFalse(connection.tls().orElseThrow().closeNotifyReceived(), "open: nothing received yet");
            }
            Await.until(() -> !connection.isOpen(), "the server closed after the client's close");
            TlsHandshake tls = connection.tls().orElseThrow();
            assertTrue(tls.closeNotifyReceived(), "a clean TLS close, not a truncation: " + tls);
            assertTrue(tls.isComplete(), tls.toString());
            assertTrue(tls.toString().endsWith(", close_notify received]"), tls.toString());
        }
    }

    @Test
    void aPeerThatClosesTcpWithoutCloseNotifyIsRecordedAsATruncation() throws Exception {
        try (EmbeddedEchoServer server = tls(EchoBehavior.echo())) {
            javax.net.ssl.SSLContext context = server.sslContextForClients();
            try (java.net.Socket plain = new java.net.Socket(server.address().getAddress(), server.port())) {
                plain.setSoTimeout(20_000);
                javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                        .createSocket(plain, server.host(), server.port(), false);
                socket.getOutputStream().write(HELLO_WORLD);
                assertArrayEquals(HELLO_WORLD, socket.getInputStream().readNBytes(HELLO_WORLD.length));
            } // the TCP socket closes under the TLS one: no close_notify
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.until(() -> !connection.isOpen(), "the server closed after the peer's end of stream");
            assertFalse(connection.tls().orElseThrow().closeNotifyReceived(), connection.tls().toString());
        }
    }

    @Test
    void aNonReadingTlsPeerIsHeldBackThenGetsEveryByte() throws Exception {
        long total = 32L * 1024 * 1024;
        long bound = OutboundBuffer.HIGH_WATERMARK + EventLoop.READ_BUFFER_SIZE;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).recordLimit(0).start();
             TlsPeer peer = TlsPeer.connect(server)) {
            peer.handshake();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writePattern(peer, total), BackpressureTests.daemon());
            ConnectionView connection = (ConnectionView) server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            Await.stall(connection, bound, Duration.ofSeconds(60));
            long pending = connection.bytesReceived() - connection.bytesSent();
            assertTrue(pending <= bound, "pending " + pending + " <= " + bound);
            assertTrue(connection.peakPendingBytes() <= bound, "peak pending " + connection.peakPendingBytes());
            assertFalse(writer.isDone(), "the writer is held back: the server stopped reading");

            readAndVerifyPattern(peer, total);
            writer.get(60, TimeUnit.SECONDS);
            assertEquals(total, connection.bytesReceived());
            assertEquals(total, connection.bytesSent());
        }
    }

    private static void writePattern(TlsPeer peer, long total) {
        byte[] chunk = new byte[64 * 1024];
        try {
            OutputStream out = peer.socket.getOutputStream();
            for (long offset = 0; offset < total; offset += chunk.length) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = BackpressureTests.patternAt(offset + i);
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, total - offset));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readAndVerifyPattern(TlsPeer peer, long total) throws IOException {
        InputStream in = peer.socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long offset = 0;
        while (offset < total) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("end of stream after " + offset + " of " + total + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != BackpressureTests.patternAt(offset + i)) {
                    throw new AssertionError("byte " + (offset + i) + " differs");
                }
            }
            offset += n;
        }
    }
}
