package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients made by {@link EmbeddedEchoServer#newClient()} are served by the server's own loop
 * thread: no thread of their own, independent of each other, and ended with an end of stream
 * when the server closes first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerClientLoopTests {

    private static final long WAIT = 20;

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("echo-fixture-client-"))
                .collect(Collectors.toSet());
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(WAIT, TimeUnit.SECONDS)).getCause();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void newClientEchoesWithoutAThreadOfItsOwn(Transport transport) throws Exception {
        Set<Thread> before = clientThreads();
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start();
             EchoClient client = server.newClient()) {
            Set<Thread> during = clientThreads();
            during.removeAll(before);
            assertTrue(during.isEmpty(), "no client thread: " + during);
            byte[] payload = new byte[transport == Transport.UDP ? 1000 : 1 << 20];
            new Random(7).nextBytes(payload);
            assertArrayEquals(payload, client.send(payload).get(WAIT, TimeUnit.SECONDS));
            assertEquals("hello", client.send("hello").get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void closingOneClientLeavesTheServerAndOtherClientsRunning() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             EchoClient first = server.newClient();
             EchoClient second = server.newClient()) {
            first.close();
            assertFalse(first.isOpen());
            Throwable closed = failure(first.send("after close"));
            assertTrue(closed.getMessage().contains("client was closed"), closed.getMessage());
            assertEquals("still here", second.send("still here").get(WAIT, TimeUnit.SECONDS));
            EchoConnection firstConnection = server.awaitConnections(2, Duration.ofSeconds(WAIT)).stream()
                    .filter(c -> c.remoteAddress().equals(first.localAddress())).findFirst().orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (firstConnection.isOpen() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            assertFalse(firstConnection.isOpen(), "the server saw the closed client's connection end");
            assertTrue(server.isRunning());
        }
    }

    @Test
    void closeFailsOutstandingSendsBeforeItReturns() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start()) {
            EchoClient client = server.newClient();
            CompletableFuture<byte[]> outstanding = client.send(new byte[] {1, 2, 3});
            client.close();
            assertTrue(outstanding.isDone(), "failed by the time close() returned");
            Throwable closed = failure(outstanding);
            assertInstanceOf(IOException.class, closed);
            assertTrue(closed.getMessage().contains("client was closed"), closed.getMessage());
            client.close(); // idempotent
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void clientsClosedRightAfterConnectingEndTheirConnections(Transport transport) throws Exception {
        // the connect happens on the caller's thread and the close may come before the loop has
        // even registered the channel: each connection must still end, on both sides
        int clients = 100;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start()) {
            for (int i = 0; i < clients; i++) {
                EchoClient client = server.newClient();
                if (i % 2 == 0) {
                    assertEquals("ping " + i, client.send("ping " + i).get(WAIT, TimeUnit.SECONDS));
                }
                client.close();
                assertFalse(client.isOpen());
                Throwable closed = failure(client.send("after close"));
                assertTrue(closed.getMessage().contains("client was closed"), closed.getMessage());
            }
            List<EchoConnection> connections = server.awaitConnections(clients, Duration.ofSeconds(WAIT));
            Await.until(Duration.ofSeconds(WAIT), () -> connections.stream().noneMatch(EchoConnection::isOpen),
                    () -> "open: " + connections.stream().filter(EchoConnection::isOpen).collect(Collectors.toList()));
            assertEquals(clients, server.stats().connectionsAccepted());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void aClientThatNeverSendsStillSeesItsConnectionResetOnAccept(Transport transport) throws Exception {
        // the loop registers a new client on the turn that accepts its connection, without being
        // woken for it: a client whose connection it already accepted must still be registered
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport)
                .behavior(EchoBehavior.echo().resetAfter(0)).start()) {
            for (int i = 0; i < 50; i++) {
                try (EchoClient client = server.newClient()) {
                    Await.until(Duration.ofSeconds(WAIT), () -> !client.isOpen(),
                            () -> "the client sees its connection end without sending: " + client);
                }
            }
        }
    }

    @Test
    void sendsRacingCloseEitherEchoOrFailAsClosed() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            for (int i = 0; i < 30; i++) {
                EchoClient client = server.newClient();
                List<CompletableFuture<String>> sends = new ArrayList<>();
                CompletableFuture<Void> closing = CompletableFuture.runAsync(client::close);
                for (int n = 0; n < 100; n++) {
                    sends.add(client.send("message " + n));
                }
                closing.get(WAIT, TimeUnit.SECONDS);
                for (int n = 0; n < sends.size(); n++) {
                    try {
                        assertEquals("message " + n, sends.get(n).get(WAIT, TimeUnit.SECONDS));
                    } catch (ExecutionException e) { // what the user did, never the reset or end of stream it caused
                        assertInstanceOf(IOException.class, e.getCause());
                        assertFalse(e.getCause() instanceof EOFException, "attempt " + i + ": " + e.getCause());
                        assertTrue(e.getCause().getMessage().contains("client was closed"),
                                "attempt " + i + ": " + e.getCause().getMessage());
                    }
                }
            }
        }
    }

    @Test
    void serverClosingFirstEndsItsClientsWithAnEndOfStream() throws Exception {
        EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start();
        try (EchoClient client = server.newClient()) {
            CompletableFuture<byte[]> outstanding = client.send(new byte[] {4, 5, 6});
            server.close();
            Throwable eof = failure(outstanding);
            assertInstanceOf(EOFException.class, eof);
            assertTrue(eof.getMessage().contains(server.uri().toString()), eof.getMessage());
            assertFalse(client.isOpen());
            assertInstanceOf(EOFException.class, failure(client.send("later")));
        }
        assertThrows(IllegalStateException.class, server::newClient);
    }

    @Test
    void aServerClosedWhileItsNewClientConnectsFailsTheConnectPromptly() throws Exception {
        for (int i = 0; i < 50; i++) {
            EmbeddedEchoServer server = EmbeddedEchoServer.start();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            long start = System.nanoTime();
            try (EchoClient client = server.newClient()) {
                assertTrue(client.toString().contains(server.uri().toString()), client.toString());
            } catch (java.io.UncheckedIOException e) { // "cannot connect to tcp://...: the server is closed", or its end of stream
                assertTrue(e.getMessage().startsWith("cannot connect to " + server.uri() + ": "), e.getMessage());
            } catch (IllegalStateException e) { // closed before newClient() was called
                assertTrue(e.getMessage().contains("server already closed: " + server.uri()), e.getMessage());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1_000, "attempt " + i + ": newClient() took " + millis + " ms");
            closing.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendsRacingTheServersCloseEachEndWithAnEndOfStreamAndCloseReturnsAtOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start();
            EchoClient client = server.newClient();
            List<CompletableFuture<byte[]>> sends = new ArrayList<>();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            for (int n = 0; n < 200; n++) {
                sends.add(client.send(new byte[] {(byte) n}));
            }
            closing.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<byte[]> send : sends) { // none lost between the loop's queue and its shutdown
                Throwable eof = failure(send);
                assertInstanceOf(EOFException.class, eof, "attempt " + i + ": " + eof);
                assertTrue(eof.getMessage().startsWith(server.uri() + ": the server closed the connection"),
                        eof.getMessage());
            }
            long start = System.nanoTime();
            client.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1_000, "attempt " + i + ": close() after the server's close took " + millis + " ms");
            assertFalse(client.isOpen());
        }
    }
}
