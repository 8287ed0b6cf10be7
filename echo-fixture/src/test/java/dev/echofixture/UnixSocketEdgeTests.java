package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge cases of the UNIX transport's socket file, beyond {@link UnixEchoTests}: a missing
 * directory, several servers at once, closing with a connection open, a relative path, and
 * reusing a path once the server before has closed.
 */
@Timeout(30)
class UnixSocketEdgeTests {

    private static Set<String> unixLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("echo-fixture-loop-unix-"))
                .collect(Collectors.toSet());
    }

    private static String echo(EmbeddedEchoServer server, String text) throws IOException {
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.write(text.getBytes(UTF_8));
            return new String(peer.readExactly(text.getBytes(UTF_8).length), UTF_8);
        }
    }

    @Test
    void failsNamingThePathWhenItsDirectoryDoesNotExist(@TempDir(factory = ShortTempDir.class) Path dir) {
        Path file = dir.resolve("missing").resolve("echo.sock");
        Set<String> threadsBefore = unixLoopThreads();

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(file).start());

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(Files.exists(file));
        assertEquals(threadsBefore, unixLoopThreads(), "no loop thread is left behind");
    }

    @Test
    void aNewSocketDirectoryIsMadeWhenSomethingRemovedTheJvmsOne() throws IOException {
        Path directory;
        try (EmbeddedEchoServer first = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            directory = ((UnixDomainSocketAddress) first.socketAddress()).getPath().getParent();
        }
        Files.delete(directory); // as a temp cleaner would: empty, since the server deleted its file
        try (EmbeddedEchoServer next = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            Path file = ((UnixDomainSocketAddress) next.socketAddress()).getPath();
            assertNotEquals(directory, file.getParent());
            assertTrue(Files.exists(file), file.toString());
            assertEquals("again", echo(next, "again"));
        }
    }

    @Test
    void serversStartedAtOnceGetTheirOwnFiles() throws IOException {
        Path first;
        Path second;
        try (EmbeddedEchoServer a = EmbeddedEchoServer.builder().transport(Transport.UNIX).start();
             EmbeddedEchoServer b = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            first = ((UnixDomainSocketAddress) a.socketAddress()).getPath();
            second = ((UnixDomainSocketAddress) b.socketAddress()).getPath();
            assertNotEquals(first, second);

            assertEquals("to a", echo(a, "to a"));
            assertEquals("to b", echo(b, "to b"));
            assertEquals("to a", a.awaitConnections(1, java.time.Duration.ofSeconds(5)).get(0).receivedText());
            assertEquals("to b", b.awaitConnections(1, java.time.Duration.ofSeconds(5)).get(0).receivedText());
        }
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
    }

    @Test
    void closeWithConnectionOpenDeletesFileAndEndsThePeersStream() throws IOException {
        Set<String> threadsBefore = unixLoopThreads();
        EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX).start();
        Path file = ((UnixDomainSocketAddress) server.socketAddress()).getPath();
        Set<String> ours = unixLoopThreads();
        ours.removeAll(threadsBefore);
        assertEquals(1, ours.size(), "one new loop thread: " + ours);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.write("open".getBytes(UTF_8));
            assertEquals("open", new String(peer.readExactly(4), UTF_8));

            server.close();

            assertFalse(Files.exists(file), "the socket file is deleted on close");
            assertEquals(0, peer.readToEnd().length, "the peer's stream ends");
        }
        assertFalse(server.connections().get(0).isOpen());
        assertFalse(unixLoopThreads().containsAll(ours), ours + " ended with close()");
    }

    @Test
    void resolvesRelativePathAndDeletesIt(@TempDir(factory = ShortTempDir.class) Path dir) throws IOException {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("relative.sock"));
        assertFalse(relative.isAbsolute());
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX)
                .unixSocketPath(relative).start()) {
            assertEquals(UnixDomainSocketAddress.of(relative.toAbsolutePath()), server.socketAddress());
            assertEquals("unix:" + relative.toAbsolutePath(), server.uri().toString());
            assertEquals("rel", echo(server, "rel"));
        }
        assertFalse(Files.exists(relative));
    }

    @Test
    void pathCanBeReusedOnceTheServerBeforeHasClosed(@TempDir(factory = ShortTempDir.class) Path dir) throws IOException {
        Path file = dir.resolve("again.sock");
        try (EmbeddedEchoServer first = EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(file).start()) {
            assertEquals("first", echo(first, "first"));
        }
        try (EmbeddedEchoServer second = EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(file).start()) {
            assertEquals("second", echo(second, "second"));
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aPathWithSpacesAndPercentSignsRoundTripsThroughTheUri(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path file = Files.createDirectory(dir.resolve("a b%41")).resolve("echo 1.sock");
        Set<String> threadsBefore = unixLoopThreads();
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(file).start()) {
            assertEquals(file.toAbsolutePath(), Path.of(server.uri().getSchemeSpecificPart()), server.uri().toString());
            assertEquals("ping", echo(server, "ping"));
            try (EchoClient client = EchoClient.connect(server.uri())) {
                assertEquals("pong", client.send("pong").get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
        }
        assertFalse(Files.exists(file));
        assertEquals(threadsBefore, unixLoopThreads(), "no loop thread is left behind");
    }
}
