package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EmbeddedEchoServer#refuseConnections(Duration)} and
 * {@link EmbeddedEchoServer#leaveConnectsUnanswered(Duration)}: during the window a client's
 * connect is refused, or times out; open connections keep echoing, and the same port accepts
 * again afterwards.
 */
@Timeout(60)
class ConnectWindowTests {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    /** Connects with a plain socket; whether the connect was refused. */
    private static boolean refused(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2_000);
            return false;
        } catch (ConnectException e) {
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            return true;
        }
    }

    @Test
    void connectsAreRefusedDuringTheWindowThenAcceptedOnTheSamePort() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer before = RawPeer.connect(server)) {
            InetSocketAddress address = server.address();
            server.awaitConnections(1, AWAIT); // accepted: closing the listener resets what still waits in its queue
            server.refuseConnections(Duration.ofSeconds(2));
            Await.until(AWAIT, () -> {
                try {
                    return refused(address);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, () -> "a connect refused after refuseConnections(2s)");
            long refusedAt = System.nanoTime();

            before.write("still".getBytes(UTF_8));
            assertEquals("still", new String(before.readExactly(5), UTF_8), "an open connection keeps echoing");

            Await.until(AWAIT, () -> {
                try {
                    return !refused(address);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, () -> "a connect accepted again after the window");
            assertTrue(System.nanoTime() - refusedAt < AWAIT.toNanos());
            try (RawPeer after = RawPeer.connect(address)) {
                after.write("back".getBytes(UTF_8));
                assertEquals("back", new String(after.readExactly(4), UTF_8));
            }
            assertEquals(address.getPort(), server.port());
        }
    }

    /** Connects with a 300 ms time-out; whether it timed out (false if it connected or was refused). */
    private static boolean timedOut(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 300);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false; // refused while the listeners change places
        }
    }

    @Test
    void unansweredConnectsTimeOutDuringTheWindowThenAreAcceptedOnTheSamePort() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             RawPeer before = RawPeer.connect(server)) {
            InetSocketAddress address = server.address();
            server.awaitConnections(1, AWAIT); // accepted: the listener swap resets what still waits in the old queue
            server.leaveConnectsUnanswered(Duration.ofSeconds(3));
            Await.until(AWAIT, () -> timedOut(address), () -> "a connect timed out after leaveConnectsUnanswered(3s)");
            assertThrows(SocketTimeoutException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(address, 300);
                }
            }, "the next connect times out too");

            before.write("still".getBytes(UTF_8));
            assertEquals("still", new String(before.readExactly(5), UTF_8), "an open connection keeps echoing");

            Await.until(AWAIT, () -> {
                try (Socket after = new Socket()) {
                    after.connect(address, 1_000);
                    after.setSoTimeout(5_000);
                    after.getOutputStream().write("back".getBytes(UTF_8));
                    return "back".equals(new String(after.getInputStream().readNBytes(4), UTF_8));
                } catch (IOException e) {
                    return false;
                }
            }, () -> "a connect accepted and echoed after the window");
        }
    }

    @Test
    void aTlsServerRefusesToo() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start()) {
            server.refuseConnections(Duration.ofSeconds(30));
            Await.until(AWAIT, () -> {
                try {
                    return refused(server.address());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, () -> "a connect refused");
        }
    }

    @Test
    void udpUnixAndBadWindowsAreRejected() {
        try (EmbeddedEchoServer udp = EmbeddedEchoServer.builder().transport(Transport.UDP).start();
             EmbeddedEchoServer tcp = EmbeddedEchoServer.start();
             EmbeddedEchoServer unix = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> udp.refuseConnections(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().startsWith("refuseConnections: not with transport UDP"), e.getMessage());
            UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                    () -> udp.leaveConnectsUnanswered(Duration.ofSeconds(1)));
            assertTrue(u.getMessage().startsWith("leaveConnectsUnanswered: not with transport UDP"), u.getMessage());
            UnsupportedOperationException x = assertThrows(UnsupportedOperationException.class,
                    () -> unix.leaveConnectsUnanswered(Duration.ofSeconds(1)));
            assertTrue(x.getMessage().startsWith("leaveConnectsUnanswered: not with transport UNIX (expected: transport TCP or TLS;"),
                    x.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> unix.refuseConnections(Duration.ofSeconds(1)));
            SettingException bad = assertThrows(SettingException.class, () -> tcp.refuseConnections(Duration.ofSeconds(-1)));
            assertEquals("window", bad.setting());
            assertEquals("window", assertThrows(SettingException.class,
                    () -> tcp.leaveConnectsUnanswered(Duration.ofHours(2))).setting());
        }
    }

    @Test
    void closingWhileRefusingFreesThePort() throws Exception {
        InetSocketAddress address;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            address = server.address();
            server.refuseConnections(Duration.ofMinutes(5));
            Await.until(AWAIT, () -> {
                try {
                    return refused(address);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, () -> "a connect refused");
        }
        try (EmbeddedEchoServer again = EmbeddedEchoServer.builder().port(address.getPort()).start()) {
            assertEquals(address.getPort(), again.port());
        }
    }
}
