package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against {@link EmbeddedEchoServer} over TCP and UNIX: echo, behaviours and the server's actions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoClientServerTests {

    private static final long WAIT = 20;

    private static EmbeddedEchoServer start(Transport transport, EchoBehavior behavior) {
        return EmbeddedEchoServer.builder().transport(transport).behavior(behavior).start();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(WAIT, TimeUnit.SECONDS)).getCause();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void echoesSixteenMebibytesAndSmallSendsAroundThemInOrder(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport, EchoBehavior.echo());
             EchoClient client = server.newClient()) {
            List<byte[]> payloads = List.of(random(1, 1), random(16 << 20, 2), random(3, 3), random(65_537, 4));
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (byte[] payload : payloads) {
                futures.add(client.send(payload));
            }
            for (int i = 0; i < payloads.size(); i++) {
                assertArrayEquals(payloads.get(i), futures.get(i).get(WAIT, TimeUnit.SECONDS), "send #" + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void reassemblesEchoesTheServerSplitsIntoSingleBytes(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport, EchoBehavior.echo().chunkSize(1));
             EchoClient client = server.newClient()) {
            CompletableFuture<String> first = client.send("first");
            CompletableFuture<String> second = client.send("second");
            assertEquals("first", first.get(WAIT, TimeUnit.SECONDS));
            assertEquals("second", second.get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void timesOutAgainstASilentServerWithinTheBound() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().silent());
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofMillis(500))) {
            long start = System.nanoTime();
            Throwable timeout = failure(client.send("hello?"));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(TimeoutException.class, timeout);
            assertTrue(elapsed >= 500 && elapsed < 500 + 2_000, elapsed + " ms");
            assertTrue(timeout.getMessage().contains("0 of 6 bytes echoed"), timeout.getMessage());
            assertFalse(client.isOpen());
        }
    }

    @Test
    void waitsForALatencyShorterThanTheTimeout() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().latency(Duration.ofMillis(200)));
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            assertEquals("slow", client.send("slow").get(WAIT, TimeUnit.SECONDS));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 200 && elapsed < 200 + 2_000, elapsed + " ms");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void failsOutstandingAndLaterSendsWithEofWhenTheServerClosesTheConnection(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = start(transport, EchoBehavior.echo().silent());
             EchoClient client = server.newClient()) {
            CompletableFuture<byte[]> outstanding = client.send(new byte[3]);
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(WAIT)).get(0);
            Await.until(() -> connection.bytesReceived() == 3, "the server read the 3 bytes");
            connection.close();
            Throwable eof = failure(outstanding);
            assertInstanceOf(EOFException.class, eof);
            assertTrue(eof.getMessage().startsWith(server.uri().toString()), eof.getMessage());
            Await.until(() -> !client.isOpen(), "the client sees the close");
            assertInstanceOf(EOFException.class, failure(client.send("later")));
        }
    }

    @Test
    void failsWithEofAfterCloseAfter() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().closeAfter(3));
             EchoClient client = server.newClient()) {
            Throwable eof = failure(client.send("abcdef"));
            assertInstanceOf(EOFException.class, eof);
            assertTrue(eof.getMessage().contains("3 of 6 bytes echoed"), eof.getMessage());
        }
    }

    @Test
    void failsWithSocketExceptionWhenTheServerResets() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().silent());
             EchoClient client = server.newClient()) {
            CompletableFuture<byte[]> outstanding = client.send(new byte[3]);
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(WAIT)).get(0);
            Await.until(() -> connection.bytesReceived() == 3, "the server read the 3 bytes");
            connection.reset();
            Throwable reset = failure(outstanding);
            assertInstanceOf(SocketException.class, reset);
            assertTrue(reset.getMessage().startsWith(server.uri().toString()), reset.getMessage());
        }
    }

    @Test
    void failsWithSocketExceptionAfterResetAfter() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().resetAfter(2));
             EchoClient client = server.newClient()) {
            assertInstanceOf(SocketException.class, failure(client.send("abcdef")));
        }
    }

    @Test
    void aServerThatClosesOnAcceptGivesEofOnEverySend() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().closeAfter(0));
             EchoClient client = server.newClient()) {
            Await.until(() -> !client.isOpen(), "the client sees the server's close: " + client);
            assertInstanceOf(EOFException.class, failure(client.send("anyone?")));
            assertTrue(client.toString().contains("closed"), client.toString());
        }
    }

    @Test
    void aServerThatResetsOnAcceptConnectsAndFailsTheFirstSendWithAReset() throws Exception {
        // the reset can beat the end of the connect; either way the user sees a connection that was reset
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo().resetAfter(0))) {
            for (int i = 0; i < 30; i++) {
                try (EchoClient client = server.newClient()) {
                    Throwable error = failure(client.send("anyone?"));
                    assertInstanceOf(SocketException.class, error, "attempt " + i + ": " + error);
                }
            }
        }
    }

    @Test
    void sendsDatagramsToAUdpServerAndCompletesThemInOrder() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.UDP, EchoBehavior.echo());
             EchoClient client = server.newClient()) {
            for (int round = 0; round < 5; round++) { // windows of 10 (< 64 KiB): no socket buffer overflows
                List<byte[]> payloads = new ArrayList<>();
                List<CompletableFuture<byte[]>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    byte[] payload = random(1 + round * 1_000 + i * 100, round * 10 + i);
                    payloads.add(payload);
                    futures.add(client.send(payload));
                }
                for (int i = 0; i < payloads.size(); i++) {
                    assertArrayEquals(payloads.get(i), futures.get(i).get(WAIT, TimeUnit.SECONDS),
                            "round " + round + ", datagram #" + i);
                }
            }
            byte[] largest = random(65_507, 99);
            assertArrayEquals(largest, client.send(largest).get(WAIT, TimeUnit.SECONDS));
            EchoConnection peer = server.awaitConnections(1, Duration.ofSeconds(WAIT)).get(0);
            assertEquals(client.localAddress(), peer.remoteAddress());
        }
    }

    @Test
    void timesOutAgainstASilentUdpServer() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.UDP, EchoBehavior.echo().silent());
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofMillis(300))) {
            long start = System.nanoTime();
            Throwable timeout = failure(client.send("lost"));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(TimeoutException.class, timeout);
            assertTrue(elapsed >= 300 && elapsed < 300 + 2_000, elapsed + " ms");
            assertTrue(timeout.getMessage().startsWith(server.uri().toString()), timeout.getMessage());
        }
    }

    @Test
    void udpDatagramsWaitForTheServersLatency() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.UDP, EchoBehavior.echo().latency(Duration.ofMillis(200)));
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            CompletableFuture<String> first = client.send("one");
            CompletableFuture<String> second = client.send("two");
            assertEquals("one", first.get(WAIT, TimeUnit.SECONDS));
            assertEquals("two", second.get(WAIT, TimeUnit.SECONDS));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 200 && elapsed < 200 + 2_000, elapsed + " ms");
        }
    }

    @Test
    void closingTheClientClosesItsServerConnection() throws Exception {
        try (EmbeddedEchoServer server = start(Transport.TCP, EchoBehavior.echo())) {
            EchoClient client = server.newClient();
            assertEquals("x", client.send("x").get(WAIT, TimeUnit.SECONDS));
            client.close();
            EchoConnection connection = server.connections().get(0);
            Await.until(() -> !connection.isOpen(), "the server sees the client's close");
            assertEquals(0, server.stats().activeConnections());
        }
    }
}
