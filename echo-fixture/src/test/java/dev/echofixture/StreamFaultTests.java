package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Corruption, random data then close, and slow close over streams: the peer reads exactly the
 * byte changed at the offset, the random bytes then its end of stream, or its end of stream late;
 * each fault is listed in the connection's faults and replays from the seed.
 */
@Timeout(60)
class StreamFaultTests {

    private static final Duration AWAIT = Duration.ofSeconds(5);

    private static EmbeddedEchoServer start(Transport transport, EchoBehavior behavior, long seed) {
        return EmbeddedEchoServer.builder().transport(transport).behavior(behavior).seed(seed).start();
    }

    private static byte[] flipped(byte[] bytes, int... offsets) {
        byte[] copy = bytes.clone();
        for (int offset : offsets) {
            copy[offset] = (byte) ~copy[offset];
        }
        return copy;
    }

    @Test
    void corruptAtFlipsExactlyTheBytesAtTheOffsetsOfTheEchoedStream() throws IOException {
        byte[] hello = "hello".getBytes(UTF_8);
        byte[] world = " world".getBytes(UTF_8);
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().corruptAt(7, 0), 1);
             RawPeer peer = RawPeer.connect(server)) {
            peer.write(hello);
            assertArrayEquals(flipped(hello, 0), peer.readExactly(5));
            peer.write(world); // offset 7 is the third byte of the second write
            assertArrayEquals(flipped(world, 2), peer.readExactly(6));

            EchoConnection connection = server.connections().get(0);
            assertEquals(List.of("byte 0 corrupted: 0x68 -> 0x97 (corruptAt)", "byte 7 corrupted: 0x6f -> 0x90 (corruptAt)"),
                    connection.faults());
            assertEquals("hello world", connection.receivedText(), "the record keeps what the peer sent");
        }
    }

    @Test
    void corruptAtChangesThePlaintextOverTls() throws IOException {
        byte[] data = "secret".getBytes(UTF_8);
        try (EmbeddedEchoServer server = start(Transport.TLS, EchoBehavior.echo().corruptAt(1), 1);
             TlsPeer peer = TlsPeer.connect(server)) {
            peer.write(data);

            assertArrayEquals(flipped(data, 1), peer.readExactly(data.length));
            assertEquals(List.of("byte 1 corrupted: 0x65 -> 0x9a (corruptAt)"), server.connections().get(0).faults());
        }
    }

    @Test
    void corruptRateChangesTheListedBytesTheSameWayWhateverTheWrites() throws IOException {
        byte[] data = new byte[2000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Run whole = corruptRun(data, data.length);
        Run pieces = corruptRun(data, 7);

        assertEquals(whole.faults, pieces.faults, "the same seed corrupts the same offsets");
        assertArrayEquals(whole.echo, pieces.echo);
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            if (data[i] != whole.echo[i]) {
                assertEquals((byte) ~data[i], whole.echo[i], "byte " + i + " has every bit flipped");
                changed.add(i);
            }
        }
        assertEquals(changed.size(), whole.faults.size());
        for (int i = 0; i < changed.size(); i++) {
            assertTrue(whole.faults.get(i).startsWith("byte " + changed.get(i) + " corrupted: "), whole.faults.get(i));
            assertTrue(whole.faults.get(i).endsWith("(corruptRate)"), whole.faults.get(i));
        }
        assertTrue(changed.size() > 20 && changed.size() < 200, "about 5 % of 2000: " + changed.size());
    }

    private record Run(byte[] echo, List<String> faults) {
    }

    private static Run corruptRun(byte[] data, int writeSize) throws IOException {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().corruptRate(0.05), 7);
             RawPeer peer = RawPeer.connect(server)) {
            byte[] echo = new byte[data.length];
            for (int at = 0; at < data.length; at += writeSize) {
                int n = Math.min(writeSize, data.length - at);
                peer.write(java.util.Arrays.copyOfRange(data, at, at + n));
                System.arraycopy(peer.readExactly(n), 0, echo, at, n);
            }
            return new Run(echo, server.connections().get(0).faults());
        }
    }

    @Test
    void randomDataThenCloseAnswersWithSeededBytesThenEndOfStream() throws IOException {
        byte[] first = randomAnswer(99);
        assertEquals(16, first.length);
        assertArrayEquals(first, randomAnswer(99), "the same seed sends the same bytes");
        assertFalse(java.util.Arrays.equals(first, randomAnswer(100)), "another seed, other bytes");
    }

    private static byte[] randomAnswer(long seed) throws IOException {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().randomDataThenClose(16), seed);
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("GET / HTTP/1.1\r\n\r\n".getBytes(UTF_8));
            byte[] answer = peer.readToEnd(); // ends: the server closed
            EchoConnection connection = server.connections().get(0);
            assertEquals(List.of("random data: 16 bytes instead of the echo, then close (randomDataThenClose)"),
                    connection.faults());
            assertNotEquals(-1, connection.bytesReceived());
            return answer;
        }
    }

    @Test
    void slowCloseDelaysTheFinAfterThePeersClose() throws IOException {
        Duration delay = Duration.ofMillis(400);
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().slowClose(delay), 1);
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("bye".getBytes(UTF_8));
            assertEquals("bye", new String(peer.readExactly(3), UTF_8));
            long shutAt = System.nanoTime();
            peer.shutdownOutput();

            assertEquals(0, peer.readToEnd().length, "nothing more, then end of stream");
            long waited = System.nanoTime() - shutAt;
            assertTrue(waited >= delay.toNanos(), "the FIN came " + waited / 1_000_000 + " ms after the peer's, expected >= 400 ms");
            EchoConnection connection = server.connections().get(0);
            connection.awaitClosed(AWAIT);
            assertEquals(List.of("close delayed 400ms after the last echo (slowClose)"), connection.faults());
        }
    }

    @Test
    void slowCloseDelaysTheFinOfCloseAfter() throws IOException {
        Duration delay = Duration.ofMillis(300);
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().closeAfter(2).slowClose(delay), 1);
             RawPeer peer = RawPeer.connect(server)) {
            long wroteAt = System.nanoTime();
            peer.write("ok".getBytes(UTF_8));

            assertEquals("ok", new String(peer.readToEnd(), UTF_8));
            long waited = System.nanoTime() - wroteAt;
            assertTrue(waited >= delay.toNanos(), "the FIN came after " + waited / 1_000_000 + " ms, expected >= 300 ms");
        }
    }

    @Test
    void withoutFaultsNothingIsListed() throws IOException {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo(), 1);
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("x".getBytes(UTF_8));
            peer.readExactly(1);
            assertEquals(List.of(), server.connections().get(0).faults());
        }
    }
}
