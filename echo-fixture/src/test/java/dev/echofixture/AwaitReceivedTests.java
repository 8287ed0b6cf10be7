package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EchoConnection#awaitReceived} and {@link EchoClient#sendAndAwait}: waiting without polling in the test. */
@Timeout(30)
class AwaitReceivedTests {

    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void returnsOnceTheBytesArriveEvenInPieces() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.awaitConnections(1, LONG).get(0);
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> connection.awaitReceived("PING\r\n", LONG));
            peer.write("xx PI".getBytes(StandardCharsets.US_ASCII));
            peer.readExactly(5);
            assertFalse(waiting.isDone(), "returned before the bytes arrived");
            peer.write("NG\r\n".getBytes(StandardCharsets.US_ASCII));
            waiting.get(10, TimeUnit.SECONDS);
            connection.awaitReceived(new byte[] {'P', 'I'}, Duration.ZERO);       // already there: at once
            connection.awaitReceived("", Duration.ZERO);                          // nothing to wait for
        }
    }

    @Test
    void failsOnTimeOutShowingWhatDidArrive() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("PING\n".getBytes(StandardCharsets.US_ASCII));
            peer.readExactly(5);
            EchoConnection connection = server.awaitConnections(1, LONG).get(0);
            AssertionError e = assertThrows(AssertionError.class, () -> connection.awaitReceived("PING\r\n", Duration.ofMillis(50)));
            assertEquals("text \"PING\\r\\n\" did not arrive on the connection from " + connection.remoteAddress()
                    + ": not within 50ms; received 5 bytes, recorded: text \"PING\\n\" hex 50 49 4e 47 0a", e.getMessage());
            AssertionError bytes = assertThrows(AssertionError.class,
                    () -> connection.awaitReceived(new byte[] {0x02, 0x03}, Duration.ofMillis(1)));
            assertTrue(bytes.getMessage().startsWith("bytes 02 03 did not arrive on the connection from "), bytes.getMessage());
        }
    }

    @Test
    void failsAtOnceWhenTheConnectionClosedWithoutThem() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            try (RawPeer peer = RawPeer.connect(server)) {
                peer.write("bye".getBytes(StandardCharsets.US_ASCII));
                peer.readExactly(3);
            }
            EchoConnection connection = server.awaitConnections(1, LONG).get(0);
            Await.until(() -> !connection.isOpen(), "closed");
            AssertionError e = assertThrows(AssertionError.class, () -> connection.awaitReceived("hello", Duration.ofHours(1)));
            assertTrue(e.getMessage().contains(": the connection was closed first; received 3 bytes, recorded: text \"bye\""),
                    e.getMessage());
        }
    }

    @Test
    void failsAtOnceWhenTheRecordingIsFullWithoutThem() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().recordLimit(4).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("abcdefgh".getBytes(StandardCharsets.US_ASCII));
            peer.readExactly(8);
            EchoConnection connection = server.awaitConnections(1, LONG).get(0);
            connection.awaitReceived("bcd", Duration.ZERO);
            AssertionError e = assertThrows(AssertionError.class, () -> connection.awaitReceived("efg", Duration.ofHours(1)));
            assertTrue(e.getMessage().contains(": the recording is full (4 of 8 bytes received are recorded; raise recordLimit"
                    + " to see more); received 8 bytes, recorded: text \"abcd\""), e.getMessage());
        }
    }

    @Test
    void showsTheStartAndTheEndOfALongRecording() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            byte[] payload = new byte[1000];
            Arrays.fill(payload, (byte) 'a');
            payload[999] = 'z';
            peer.write(payload);
            peer.readExactly(payload.length);
            EchoConnection connection = server.awaitConnections(1, LONG).get(0);
            AssertionError e = assertThrows(AssertionError.class, () -> connection.awaitReceived("q", Duration.ZERO));
            assertTrue(e.getMessage().contains("received 1000 bytes, recorded (first and last 128 of 1000 bytes): text \"aaa"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(" 61 61 7a"), e.getMessage());
        }
    }

    @Test
    void rejectsNullAndNegativeArguments() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer peer = RawPeer.connect(server)) {
            EchoConnection connection = server.awaitConnections(1, LONG).get(0);
            assertEquals("expected: null (expected: a value)",
                    assertThrows(IllegalArgumentException.class, () -> connection.awaitReceived((String) null, LONG)).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> connection.awaitReceived("a", Duration.ofMillis(-1)))
                    .getMessage().startsWith("timeout: PT-0.001S (expected: >= 0)"));
        }
    }

    @Test
    void theDefaultMethodWorksForOtherImplementations() {
        FakeConnection fake = new FakeConnection("hello".getBytes(StandardCharsets.UTF_8));
        fake.awaitReceived("ell", Duration.ZERO);
        AssertionError e = assertThrows(AssertionError.class, () -> fake.awaitReceived("bye", Duration.ofMillis(20)));
        assertTrue(e.getMessage().startsWith("text \"bye\" did not arrive on the connection from fake: not within 20ms; received 5"
                + " bytes"), e.getMessage());
    }

    @Test
    void sendAndAwaitReturnsTheEcho() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofSeconds(5))) {
            assertEquals("hello", client.sendAndAwait("hello"));
            assertArrayEquals(new byte[] {1, 2, 3}, client.sendAndAwait(new byte[] {1, 2, 3}));
            assertEquals("", client.sendAndAwait(""));
            server.connections().get(0).awaitReceived("hello\1\2\3", LONG);
        }
    }

    @Test
    void sendAndAwaitThrowsAnUncheckedSocketTimeoutAfterTheClientsTimeOut() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start();
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofMillis(200))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> client.sendAndAwait("anyone?"));
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
            assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause().getCause());
        }
    }

    @Test
    void sendAndAwaitThrowsAnUncheckedEofWhenTheServerClosesFirst() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().closeAfter(2)).start();
             EchoClient client = EchoClient.connect(URI.create(server.uri().toString()), LONG)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> client.sendAndAwait("four"));
            assertInstanceOf(EOFException.class, e.getCause());
        }
    }

    /** A connection of another implementation, as a user's fake would be. */
    private static final class FakeConnection implements EchoConnection {
        private final byte[] received;

        FakeConnection(byte[] received) {
            this.received = received;
        }

        @Override
        public SocketAddress remoteAddress() {
            return new SocketAddress() {
                private static final long serialVersionUID = 1L;

                @Override
                public String toString() {
                    return "fake";
                }
            };
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public long bytesReceived() {
            return received.length;
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public byte[] received() {
            return received.clone();
        }

        @Override
        public String receivedText() {
            return new String(received, StandardCharsets.UTF_8);
        }

        @Override
        public Instant openedAt() {
            return Instant.EPOCH;
        }

        @Override
        public Optional<Instant> closedAt() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }

        @Override
        public void reset() {
        }
    }
}
