package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LineClient} against a fresh echo server per test ({@code @EchoServer} on the class);
 * a test that needs other conditions says so on the method.
 */
@EchoServer
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LineClientTests {

    private static LineClient client(EmbeddedEchoServer server, Duration readTimeout) {
        return new LineClient(server.address(), readTimeout);
    }

    @Test
    void answersWithTheEchoedLine(EmbeddedEchoServer server) throws IOException {
        try (LineClient client = client(server, Duration.ofSeconds(5))) {
            assertEquals("PING", client.request("PING"));
            assertEquals("Grüße", client.request("Grüße"));
            assertEquals(1, client.connectAttempts());
        }
        assertEquals("PING\nGrüße\n", server.connections().get(0).receivedText());
    }

    @Test
    @EchoServer(chunkSize = 1)
    void assemblesAResponseThatArrivesOneByteAtATime(EmbeddedEchoServer server) throws IOException {
        try (LineClient client = client(server, Duration.ofSeconds(5))) {
            assertEquals("a line in many pieces", client.request("a line in many pieces"));
        }
    }

    @Test
    @EchoServer(latencyMillis = 2_000)
    void timesOutWhenTheServerIsSlowerThanTheReadTimeout(EmbeddedEchoServer server) {
        try (LineClient client = client(server, Duration.ofMillis(300))) {
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> client.request("slow"));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 300 && elapsed < 300 + 2_000, elapsed + " ms");
        }
    }

    @Test
    void retriesOnceOnANewConnectionAfterAReset(EmbeddedEchoServer server) throws IOException {
        try (LineClient client = client(server, Duration.ofSeconds(5))) {
            assertEquals("first", client.request("first"));
            EchoConnection first = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
            first.reset();
            await(() -> !first.isOpen(), "the server reset the first connection");
            assertEquals("second", client.request("second"));
            assertEquals(2, client.connectAttempts());
            assertEquals("second\n", server.awaitConnections(2, Duration.ofSeconds(10)).get(1).receivedText());
        }
    }

    @Test
    @EchoServer(resetAfter = 0)
    void givesUpWhenTheRetryIsResetToo(EmbeddedEchoServer server) {
        try (LineClient client = client(server, Duration.ofSeconds(5))) {
            IOException e = assertThrows(IOException.class, () -> client.request("doomed"));
            assertTrue(e instanceof SocketException || e instanceof EOFException, e.toString());
            assertEquals(2, client.connectAttempts(), "one retry, on a new connection");
            assertEquals(1, e.getSuppressed().length, "the first failure is kept as suppressed");
        }
    }

    @Test
    @EchoServer(closeAfter = 3)
    void reportsAResponseCutShortByTheServer(EmbeddedEchoServer server) {
        try (LineClient client = client(server, Duration.ofSeconds(5))) {
            IOException e = assertThrows(IOException.class, () -> client.request("abcdef"));
            assertTrue(e instanceof EOFException || e instanceof SocketException, e.toString());
            assertEquals(2, client.connectAttempts());
        }
    }

    @Test
    void rejectsAResponseLongerThanTheLimit(EmbeddedEchoServer server) {
        try (LineClient client = new LineClient(server.address(), Duration.ofSeconds(5), 4)) {
            IOException e = assertThrows(IOException.class, () -> client.request("too long"));
            assertTrue(e.getMessage().contains("longer than 4 bytes"), e.getMessage());
        }
    }

    @Test
    void rejectsARequestWithANewline(EmbeddedEchoServer server) {
        try (LineClient client = client(server, Duration.ofSeconds(5))) {
            assertThrows(IllegalArgumentException.class, () -> client.request("two\nlines"));
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
