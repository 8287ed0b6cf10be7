package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.server.ServerConfig;
import dev.echofixture.internal.server.ServerContext;
import dev.echofixture.internal.server.StreamAcceptor;
import dev.echofixture.internal.server.StreamConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regressions of issue 12, items 1 and 2 (a fault and load trial): a duration too long for
 * nanoseconds killed the listener on the first connection and failed UDP starts, a handler's
 * exception closed the listening socket, and a failed start leaked descriptors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OverflowAndStartFailureTests {

    private static final Duration THREE_CENTURIES = Duration.ofDays(365L * 300);
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void hugeIdleTimeoutMeansNeverAndEveryConnectionIsEchoed(Transport transport) throws Exception {
        for (Duration idle : List.of(THREE_CENTURIES, FOREVER)) {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).idleTimeout(idle).start()) {
                for (int i = 0; i < 3; i++) {
                    try (EchoClient client = transport == Transport.TLS
                            ? EchoClient.connect(server.uri(), server.sslContextForClients())
                            : EchoClient.connect(server.uri())) {
                        assertEquals("hi" + i, client.send("hi" + i).get(10, TimeUnit.SECONDS));
                    }
                }
                assertTrue(server.isRunning());
                assertEquals(3, server.stats().connectionsAccepted());
                if (transport != Transport.UDP) {   // a UDP peer stays open until idle; a stream closes with its client
                    Await.until(() -> server.stats().activeConnections() == 0,
                            "no phantom connection: every one closed with its client, " + server.connections());
                }
            }
        }
    }

    @Test
    void hugeIdleTimeoutOverTcpEchoesAPlainSocketAndKeepsListening() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().idleTimeout(THREE_CENTURIES).start()) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket(server.host(), server.port())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("hi".getBytes(UTF_8));
                    assertEquals("hi", new String(socket.getInputStream().readNBytes(2), UTF_8));
                }
            }
            Await.until(() -> server.stats().activeConnections() == 0, "every connection closed: " + server.connections());
        }
    }

    @Test
    void foreverTimeoutsOfTheClientAndOfAwaitConnectionsSaturate() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             EchoClient client = EchoClient.connect(server.uri(), FOREVER)) {
            assertEquals("forever", client.send("forever").get(10, TimeUnit.SECONDS));
            assertEquals(1, server.awaitConnections(1, FOREVER).size());
            assertEquals(1, server.awaitConnections(1, THREE_CENTURIES).size());
        }
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).start();
             EchoClient client = EchoClient.connect(server.uri(), THREE_CENTURIES)) {
            assertEquals("udp", client.send("udp").get(10, TimeUnit.SECONDS));
        }
    }

    /** A handler's unexpected exception closes that connection only, never the listening socket. */
    @Test
    void unexpectedErrorSettingUpOneConnectionClosesOnlyThatConnection() throws Exception {
        ServerConfig config = EmbeddedEchoServer.builder().seed(1).config();
        ServerContext context = new ServerContext(config, new ConnectionRegistry(1024, () -> "test"));
        AtomicInteger accepted = new AtomicInteger();
        try (EventLoop loop = new EventLoop("echo-fixture-loop-test-acceptor");
             ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            StreamAcceptor acceptor = new StreamAcceptor(context, loop, listener, (ctx, l, channel) -> {
                if (accepted.incrementAndGet() == 1) {
                    throw new ArithmeticException("long overflow"); // what Duration.toNanos threw
                }
                StreamConnection.open(ctx, l, channel);
            });
            loop.register(listener, SelectionKey.OP_ACCEPT, acceptor);
            loop.start();
            InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
            try (Socket failed = new Socket(address.getAddress(), address.getPort())) {
                failed.setSoTimeout(10_000);
                failed.getOutputStream().write('x');
                assertEquals(-1, readOrReset(failed.getInputStream()), "the failed connection is closed");
            }
            for (int i = 0; i < 2; i++) {
                try (Socket next = new Socket(address.getAddress(), address.getPort())) {
                    next.setSoTimeout(10_000);
                    next.getOutputStream().write("ok".getBytes(UTF_8));
                    assertEquals("ok", new String(next.getInputStream().readNBytes(2), UTF_8), "still listening");
                }
            }
            assertTrue(listener.isOpen());
            assertEquals(2, context.registry().stats().connectionsAccepted(), "no phantom connection for the failed one");
        }
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    @Test
    void failedStartsCloseEverythingTheyOpened(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts descriptors in /proc/self/fd (Linux)");
        try (ServerSocket tcpTaken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DatagramSocket udpTaken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path missingFolder = dir.resolve("missing").resolve("echo.sock");
            startAndFailEach(1, tcpTaken.getLocalPort(), udpTaken.getLocalPort(), missingFolder); // warm up: classes, buffers
            long before = openDescriptors();
            startAndFailEach(100, tcpTaken.getLocalPort(), udpTaken.getLocalPort(), missingFolder);
            long after = openDescriptors();
            // before the fix each failed UDP start leaked its selector (2 descriptors): +200 here
            assertTrue(after - before < 20, "descriptors before " + before + ", after 100 rounds of failed starts " + after);
        }
    }

    private static void startAndFailEach(int rounds, int tcpPort, int udpPort, Path missingFolder) {
        for (int i = 0; i < rounds; i++) {
            assertThrows(UncheckedIOException.class, () -> EmbeddedEchoServer.builder().port(tcpPort).start());
            assertThrows(UncheckedIOException.class,
                    () -> EmbeddedEchoServer.builder().transport(Transport.UDP).port(udpPort).start());
            assertThrows(UncheckedIOException.class,
                    () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(missingFolder).start());
            EmbeddedEchoServer.builder().transport(Transport.UDP).idleTimeout(THREE_CENTURIES).start().close();
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
