package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.util.SocketUris;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoClientTests {

    private static final long WAIT = 20;

    private EmbeddedEchoServer server;

    @BeforeEach
    void startServer() {
        server = EmbeddedEchoServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT, TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1000, 65_535, 65_536, 65_537, 1 << 20, 16 << 20})
    void echoesPayloadsByteExact(int size) throws Exception {
        byte[] payload = random(size, size);
        try (EchoClient client = EchoClient.connect(server.uri())) {
            assertArrayEquals(payload, client.send(payload).get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void completesOutstandingSendsInOrderWithTheirOwnContent() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            List<byte[]> payloads = new ArrayList<>();
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
            Random sizes = new Random(7);
            for (int i = 0; i < 200; i++) {
                byte[] payload = random(1 + sizes.nextInt(i % 10 == 0 ? 300_000 : 100), i);
                payloads.add(payload);
                int index = i;
                futures.add(client.send(payload).whenComplete((bytes, error) -> order.add(index)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(payloads.get(i), futures.get(i).get(WAIT, TimeUnit.SECONDS), "send #" + i);
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                expected.add(i);
            }
            assertEquals(expected, new ArrayList<>(order));
        }
    }

    @Test
    void sendsTextAsUtf8() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            assertEquals("hello, Grüße, 你好 🎉", client.send("hello, Grüße, 你好 🎉").get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendsTheRemainingBytesOfABufferAndAdvancesItsPosition() throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.US_ASCII));
        buffer.position(2);
        try (EchoClient client = EchoClient.connect(server.uri())) {
            byte[] echoed = client.send(buffer).get(WAIT, TimeUnit.SECONDS);
            assertEquals("hello", new String(echoed, StandardCharsets.US_ASCII));
            assertEquals(buffer.limit(), buffer.position());
        }
    }

    @Test
    void copiesThePayloadSoLaterChangesAreNotSent() throws Exception {
        byte[] payload = "before".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = EchoClient.connect(server.uri())) {
            CompletableFuture<byte[]> echoed = client.send(payload);
            payload[0] = 'X';
            assertEquals("before", new String(echoed.get(WAIT, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void emptyPayloadCompletesAtOnce() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            CompletableFuture<byte[]> bytes = client.send(new byte[0]);
            CompletableFuture<String> text = client.send("");
            assertTrue(bytes.isDone());
            assertEquals(0, bytes.get().length);
            assertEquals("", text.get());
            assertEquals("after", client.send("after").get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void theServerRecordsWhatTheClientSent() throws Exception {
        try (EchoClient client = server.newClient()) {
            assertEquals("recorded", client.send("recorded").get(WAIT, TimeUnit.SECONDS));
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(WAIT)).get(0);
            assertEquals("recorded", connection.receivedText());
            assertEquals(client.localAddress(), connection.remoteAddress());
        }
    }

    @Test
    void completesFuturesOffTheClientThread() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            String thread = client.send("x").thenApply(bytes -> Thread.currentThread().getName())
                    .get(WAIT, TimeUnit.SECONDS);
            assertFalse(thread.startsWith("echo-fixture-client-"), thread);
        }
    }

    @Test
    void chainsASendFromTheCallbackOfAnother() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            String both = client.send("a").thenCompose(a -> client.send(a + "b")).get(WAIT, TimeUnit.SECONDS);
            assertEquals("ab", both);
        }
    }

    @Test
    void anEarlierFutureIsDoneWhenALaterOneIs() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            for (int round = 0; round < 50; round++) {
                CompletableFuture<byte[]> first = client.send(new byte[1 + round * 100]);
                CompletableFuture<byte[]> second = client.send(new byte[1]);
                second.get(WAIT, TimeUnit.SECONDS);
                assertTrue(first.isDone(), "round " + round);
            }
        }
    }

    @Test
    void timesOutASendTheServerNeverAnswersAndThenCloses() throws Exception {
        try (TestPeer silent = TestPeer.tcp(TestPeer::silent);
             EchoClient client = EchoClient.connect(silent.uri(), Duration.ofMillis(300))) {
            long start = System.nanoTime();
            CompletableFuture<byte[]> first = client.send("ping".getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<byte[]> second = client.send("pong".getBytes(StandardCharsets.US_ASCII));
            Throwable timeout = failure(first);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(TimeoutException.class, timeout);
            assertTrue(elapsedMillis >= 300 && elapsedMillis < 300 + 2_000, elapsedMillis + " ms");
            assertTrue(timeout.getMessage().contains(silent.uri().toString()), timeout.getMessage());
            assertTrue(timeout.getMessage().contains("300ms"), timeout.getMessage());
            Throwable behind = failure(second);
            assertInstanceOf(IOException.class, behind);
            assertTrue(behind.getMessage().contains("timed out"), behind.getMessage());
            assertFalse(client.isOpen());
            Throwable later = failure(client.send("later"));
            assertTrue(later.getMessage().contains(silent.uri().toString()), later.getMessage());
        }
    }

    @Test
    void failsWithEofWhenTheServerClosesFirst() throws Exception {
        try (TestPeer closing = TestPeer.tcp(TestPeer.closeAfterReading(3));
             EchoClient client = EchoClient.connect(closing.uri())) {
            CompletableFuture<String> first = client.send("abc");
            CompletableFuture<String> second = client.send("def");
            Throwable eof = failure(first);
            assertInstanceOf(EOFException.class, eof);
            assertTrue(eof.getMessage().startsWith(closing.uri().toString()), eof.getMessage());
            assertTrue(eof.getMessage().contains("closed the connection"), eof.getMessage());
            assertTrue(eof.getMessage().contains("0 of 3 bytes echoed"), eof.getMessage());
            assertInstanceOf(EOFException.class, failure(second));
            assertInstanceOf(EOFException.class, failure(client.send("later")));
            assertFalse(client.isOpen());
        }
    }

    @Test
    void failsWithSocketExceptionOnReset() throws Exception {
        try (TestPeer resetting = TestPeer.tcp(TestPeer.resetAfterReading(3));
             EchoClient client = EchoClient.connect(resetting.uri())) {
            Throwable reset = failure(client.send("abc"));
            assertInstanceOf(SocketException.class, reset);
            assertTrue(reset.getMessage().startsWith(resetting.uri().toString()), reset.getMessage());
            assertInstanceOf(SocketException.class, failure(client.send("later")));
        }
    }

    @Test
    void failsWhenBytesArriveThatNoSendWaitsFor() throws Exception {
        try (TestPeer greeting = TestPeer.tcp(TestPeer.writeFirst(5));
             EchoClient client = EchoClient.connect(greeting.uri())) {
            Await.until(() -> !client.isOpen(), "the client fails on unexpected bytes: " + client);
            Throwable error = failure(client.send("abc"));
            assertInstanceOf(ProtocolException.class, error);
            assertTrue(error.getMessage().contains("received 5 bytes"), error.getMessage());
        }
    }

    @Test
    void closeFailsOutstandingSendsAndEndsTheThread() throws Exception {
        Set<Thread> before = clientThreads();
        try (TestPeer silent = TestPeer.tcp(TestPeer::silent)) {
            EchoClient client = EchoClient.connect(silent.uri());
            Set<Thread> mine = clientThreads();
            mine.removeAll(before);
            assertEquals(1, mine.size(), mine.toString());
            CompletableFuture<byte[]> outstanding = client.send("never echoed".getBytes(StandardCharsets.UTF_8));
            client.close();
            assertTrue(outstanding.isCompletedExceptionally());
            Throwable closed = failure(outstanding);
            assertInstanceOf(IOException.class, closed);
            assertTrue(closed.getMessage().contains(silent.uri().toString()), closed.getMessage());
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
            assertFalse(mine.iterator().next().isAlive());
            assertFalse(client.isOpen());
            client.close(); // idempotent
            Throwable later = failure(client.send("after close"));
            assertTrue(later.getMessage().contains("client was closed"), later.getMessage());
        }
    }

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("echo-fixture-client-"))
                .collect(Collectors.toSet());
    }

    @Test
    void connectToAClosedPortNamesTheAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        URI uri = URI.create("tcp://127.0.0.1:" + port);
        Set<Thread> before = clientThreads();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> EchoClient.connect(uri));
        assertTrue(e.getMessage().contains(uri.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertInstanceOf(java.net.ConnectException.class, e.getCause());
        Set<Thread> leaked = clientThreads();
        leaked.removeAll(before);
        assertTrue(leaked.isEmpty(), "the failed client's thread ended: " + leaked);
    }

    @Test
    void connectGivesUpAfterTheTimeoutNamingTheAddress() throws Exception {
        // a listener that never accepts, with a full backlog: Linux drops further SYNs, so connects hang
        try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1);
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                boolean full = false;
                for (int i = 0; i < 32 && !full; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(listener.getLocalAddress(), 200);
                    } catch (java.net.SocketTimeoutException e) {
                        full = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(full, "this OS does not drop connects to a full backlog");
                URI uri = SocketUris.uri(Transport.TCP, listener.getLocalAddress());
                long start = System.nanoTime();
                UncheckedIOException e = assertThrows(UncheckedIOException.class,
                        () -> EchoClient.connect(uri, Duration.ofMillis(300)));
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(elapsed >= 300 && elapsed < 300 + 2_000, elapsed + " ms");
                assertTrue(e.getMessage().contains(uri.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("300ms"), e.getMessage());
                assertInstanceOf(java.net.SocketTimeoutException.class, e.getCause());
            } finally {
                for (java.net.Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void sendsFromManyThreadsAtOnceEachGetTheirOwnEcho() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                senders.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 50; i++) {
                        String text = "thread " + thread + " message " + i;
                        try {
                            assertEquals(text, client.send(text).get(WAIT, TimeUnit.SECONDS));
                        } catch (Exception e) {
                            throw new AssertionError(text, e);
                        }
                    }
                }, runnable -> {
                    Thread worker = new Thread(runnable, "sender-" + thread);
                    worker.setDaemon(true);
                    worker.start();
                }));
            }
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(WAIT * 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeDuringALargeTransferFailsItAndEndsTheThread() throws Exception {
        Set<Thread> before = clientThreads();
        EchoClient client = EchoClient.connect(server.uri());
        CompletableFuture<byte[]> big = client.send(new byte[16 << 20]);
        client.close();
        assertTrue(big.isDone());
        Throwable error = failure(big);
        assertInstanceOf(IOException.class, error);
        assertTrue(error.getMessage().contains("client was closed"), error.getMessage());
        Set<Thread> after = clientThreads();
        after.removeAll(before);
        assertTrue(after.isEmpty(), after.toString());
    }

    @Test
    void connectToAnUnknownHostNamesIt() {
        URI uri = URI.create("tcp://no-such-host.invalid:7007"); // .invalid never resolves (RFC 6761)
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> EchoClient.connect(uri));
        assertInstanceOf(java.net.UnknownHostException.class, e.getCause());
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void connectsToAnInetSocketAddress() throws Exception {
        InetSocketAddress address = server.address();
        try (EchoClient client = EchoClient.connect(address)) {
            assertEquals(address, client.remoteAddress());
            assertInstanceOf(InetSocketAddress.class, client.localAddress());
            assertTrue(client.isOpen());
            assertEquals("x", client.send("x").get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void describesItselfInToString() throws Exception {
        EchoClient client = EchoClient.connect(server.uri());
        assertTrue(client.toString().contains(server.uri().toString()), client.toString());
        assertTrue(client.toString().contains("open"), client.toString());
        client.close();
        assertTrue(client.toString().contains("closed"), client.toString());
    }

    @Test
    void toStringCountsNoSendOnceItsEchoReturned() throws Exception {
        try (EchoClient client = EchoClient.connect(server.uri())) {
            for (int i = 0; i < 300; i++) { // the completion used to be handed on before the count dropped
                assertEquals("x", client.sendAndAwait("x"));
                assertTrue(client.toString().endsWith(", open, 0 sends outstanding]"), "after sendAndAwait: " + client);
                assertEquals("y", client.send("y").get(WAIT, TimeUnit.SECONDS));
                assertTrue(client.toString().endsWith(", open, 0 sends outstanding]"), "after send().get(): " + client);
            }
        }
    }

    @Test
    void toStringSaysOneSendInTheSingular() {
        server.behavior(EchoBehavior.echo().silent());
        try (EchoClient client = EchoClient.connect(server.uri())) {
            client.send("never echoed");
            assertTrue(client.toString().endsWith(", open, 1 send outstanding]"), client.toString());
            client.send("nor this");
            assertTrue(client.toString().endsWith(", open, 2 sends outstanding]"), client.toString());
        }
    }

    @Test
    void connectsToASocketAddressOverTcp() throws Exception {
        SocketAddress address = server.socketAddress();
        try (EchoClient client = EchoClient.connect(address, Duration.ofSeconds(5))) {
            assertEquals(address, client.remoteAddress());
            assertEquals("over tcp", client.sendAndAwait("over tcp"));
            assertTrue(client.toString().startsWith("EchoClient[" + server.uri() + " from "), client.toString());
        }
        assertEquals("over tcp", server.awaitConnections(1, Duration.ofSeconds(5)).get(0).receivedText());
    }

    @Test
    void connectsToAUnixDomainSocketAddress() throws Exception {
        try (EmbeddedEchoServer unix = EmbeddedEchoServer.builder().transport(Transport.UNIX).start();
             EchoClient client = EchoClient.connect(unix.socketAddress())) {
            assertInstanceOf(UnixDomainSocketAddress.class, client.remoteAddress());
            assertEquals("over unix", client.sendAndAwait("over unix"));
            assertTrue(client.toString().startsWith("EchoClient[" + unix.uri() + ", open"), client.toString());
            assertEquals("over unix", unix.awaitConnections(1, Duration.ofSeconds(5)).get(0).receivedText());
        }
    }

    @Test
    void connectToASocketAddressNamesItWhenRefused() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        SocketAddress address = closed;
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> EchoClient.connect(address));
        assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + closed.getPort()), e.getMessage());
    }

    @Test
    void rejectsASocketAddressOfAnotherKindNamingIt() {
        SocketAddress other = new SocketAddress() {
            @Override
            public String toString() {
                return "OtherAddress";
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EchoClient.connect(other));
        assertTrue(e.getMessage().startsWith("address: OtherAddress ("), e.getMessage());
        assertTrue(e.getMessage().contains("expected: an InetSocketAddress for TCP or a UnixDomainSocketAddress"),
                e.getMessage());
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                () -> EchoClient.connect((SocketAddress) null, Duration.ofSeconds(1)));
        assertEquals("address: null (expected: a value)", nothing.getMessage());
    }

    @Test
    void aTlsClientAgainstAPlainEchoServerIsToldItIsNoTlsServer() throws Exception {
        URI tls = URI.create("tls://127.0.0.1:" + server.port()); // the plain server echoes the ClientHello
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> EchoClient.connect(tls, Duration.ofSeconds(5), javax.net.ssl.SSLContext.getDefault()));
        assertEquals("cannot connect to " + tls + ": the server at " + tls + " answered the TLS handshake with the bytes"
                + " it was sent: it is not a TLS server (use tcp://, or start it with Transport.TLS)", e.getMessage());
        assertInstanceOf(javax.net.ssl.SSLHandshakeException.class, e.getCause());
        assertTrue(String.valueOf(e.getCause().getCause()).contains("client_hello"), String.valueOf(e.getCause().getCause()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1", "tcp://127.0.0.1:0", "tcp://127.0.0.1:70000", "http://127.0.0.1:80",
        "localhost:7007", "tcp:/127.0.0.1:7007", "tcp://127.0.0.1:7007/path", "tcp://127.0.0.1:7007?x=1",
        "unix://host/tmp/x.sock", "udp://:7007", "tcp://user@127.0.0.1:7007"})
    void rejectsMalformedUrisNamingThemWithAnExample(String text) {
        URI uri = URI.create(text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EchoClient.connect(uri));
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertTrue(e.getMessage().contains("tcp://127.0.0.1:7007"), e.getMessage());
    }

    @Test
    void rejectsANonPositiveTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EchoClient.connect(server.uri(), Duration.ZERO));
        assertTrue(e.getMessage().startsWith("timeout: PT0S"), e.getMessage());
    }
}
