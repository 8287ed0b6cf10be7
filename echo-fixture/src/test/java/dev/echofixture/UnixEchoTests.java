package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Unix-domain stream sockets: echo, the socket file's lifecycle, and bad paths. */
@Timeout(30)
class UnixEchoTests {

    @Test
    void echoesOverAFreshSocketFileThatCloseDeletes() throws Exception {
        Path file;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            UnixDomainSocketAddress address = assertInstanceOf(UnixDomainSocketAddress.class, server.socketAddress());
            file = address.getPath();
            assertTrue(Files.exists(file), "the socket file exists while running: " + file);
            assertEquals(URI.create("unix:" + file), server.uri());
            assertTrue(server.toString().startsWith("EmbeddedEchoServer[unix:" + file + ", 0 open, seed="),
                    server.toString());
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("echo-fixture-loop-unix-")), "the loop thread is named");
            try (RawPeer peer = RawPeer.connect(server)) {
                peer.write("over unix".getBytes(StandardCharsets.UTF_8));
                assertEquals("over unix", new String(peer.readExactly(9), StandardCharsets.UTF_8));
            }
            assertEquals("over unix", server.awaitConnections(1, java.time.Duration.ofSeconds(5)).get(0).receivedText());
        }
        assertFalse(Files.exists(file), "the socket file is deleted on close");
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(file.getParent()),
                    "the JVM's socket directory is private to its user");
        }
    }

    @Test
    void defaultSocketFilesAreFreshFilesInOneDirectoryOfTheJvm() throws Exception {
        Path first;
        Path second;
        try (EmbeddedEchoServer one = EmbeddedEchoServer.builder().transport(Transport.UNIX).start();
             EmbeddedEchoServer two = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            first = ((UnixDomainSocketAddress) one.socketAddress()).getPath();
            second = ((UnixDomainSocketAddress) two.socketAddress()).getPath();
            assertNotEquals(first, second);
            assertEquals(first.getParent(), second.getParent());
            try (RawPeer peer = RawPeer.connect(two)) {
                peer.write("over two".getBytes(StandardCharsets.UTF_8));
                assertEquals("over two", new String(peer.readExactly(8), StandardCharsets.UTF_8));
            }
        }
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
    }

    @Test
    void usesAndDeletesACustomPath(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path file = dir.resolve("custom.sock");
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX)
                .unixSocketPath(file).start();
             RawPeer peer = RawPeer.connect(UnixDomainSocketAddress.of(file))) {
            assertEquals(UnixDomainSocketAddress.of(file.toAbsolutePath()), server.socketAddress());
            peer.write("x".getBytes(StandardCharsets.UTF_8));
            assertEquals("x", new String(peer.readExactly(1), StandardCharsets.UTF_8));
        }
        assertFalse(Files.exists(file));
        assertTrue(Files.exists(dir), "a directory the user gave is left alone");
    }

    @Test
    void rejectsAPathThatExistsOrIsTooLong(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path existing = Files.createFile(dir.resolve("taken.sock"));
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(existing).start());
        assertTrue(exists.getMessage().contains("unixSocketPath: " + existing), exists.getMessage());

        Path tooLong = dir.resolve("x".repeat(120) + ".sock");
        IllegalArgumentException longPath = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(tooLong).start());
        assertTrue(longPath.getMessage().contains("expected: at most 107 bytes"), longPath.getMessage());
    }

    @Test
    void aMissingFolderIsNamedInTheBindFailure(@TempDir(factory = ShortTempDir.class) Path dir) {
        Path file = dir.resolve("missing").resolve("echo.sock");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(file).start());
        assertTrue(e.getMessage().startsWith("cannot bind unix:" + file), e.getMessage());
        assertTrue(e.getMessage().contains("check that the folder exists"), e.getMessage());
    }

    @Test
    void inetAccessorsExplainThatAUnixServerHasNoPort() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, server::port);
            assertEquals("port() is for TCP and UDP servers; this one is UNIX at " + server.uri()
                    + ": use socketAddress() or uri()", e.getMessage(), "the message names the method called");
            assertTrue(assertThrows(IllegalStateException.class, server::address).getMessage().startsWith("address() is for"));
            assertTrue(assertThrows(IllegalStateException.class, server::host).getMessage().startsWith("host() is for"));
        }
    }
}
