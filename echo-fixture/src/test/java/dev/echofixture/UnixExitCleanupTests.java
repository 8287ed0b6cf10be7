package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 19, item 6): a JVM that ends while a UNIX server runs (SIGTERM,
 * {@code System.exit}), and the standalone endpoint stopped by SIGTERM, leave no socket file and
 * no {@code echo-fixture-<n>} folder behind. Each case runs in a child JVM whose
 * {@code java.io.tmpdir} is a fresh folder, so that what it leaves there can be seen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnixExitCleanupTests {

    @RegisterExtension
    final ChildJvm.Children children = new ChildJvm.Children();

    @TempDir(factory = ShortTempDir.class)
    Path tmp;

    /**
     * Run in the child JVM: starts a UNIX server (in the temp folder, or at {@code args[1]}),
     * prints its socket file, then ends the JVM without closing it: {@code exit} at once with
     * {@code System.exit(0)}, {@code wait} when signalled (bounded: 60 s).
     */
    public static void main(String[] args) throws Exception {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder().transport(Transport.UNIX);
        if (args.length > 1) {
            builder.unixSocketPath(Path.of(args[1]));
        }
        EmbeddedEchoServer server = builder.start();
        try (EchoClient client = server.newClient()) {
            System.out.println("echoed " + client.sendAndAwait("ping"));
        }
        System.out.println(server.uri());
        System.out.flush();
        if (args[0].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(60_000);
    }

    @Test
    void systemExitDeletesTheSocketFileAndItsFolder() throws Exception {
        ChildJvm child = start(UnixExitCleanupTests.class.getName(), "exit");
        Path socket = socketInTmp(child);
        assertEquals(0, child.exitStatus(), child.stderr());
        assertNothingLeft(socket);
    }

    @Test
    void sigtermDeletesTheSocketFileAndItsFolder() throws Exception {
        ChildJvm child = start(UnixExitCleanupTests.class.getName(), "wait");
        Path socket = socketInTmp(child);
        assertTrue(Files.exists(socket), "the server is running");
        child.process().destroy(); // SIGTERM
        assertEquals(143, child.exitStatus(), child.stderr());
        assertNothingLeft(socket);
    }

    @Test
    void sigtermDeletesASocketFileAtTheUsersPathAndNothingElse() throws Exception {
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Path other = Files.writeString(mine.resolve("other.txt"), "not the server's");
        Path socket = mine.resolve("s.sock");
        ChildJvm child = start(UnixExitCleanupTests.class.getName(), "wait", socket.toString());
        assertEquals("echoed ping", child.line());
        assertEquals("unix:" + socket, child.line());
        child.process().destroy(); // SIGTERM
        assertEquals(143, child.exitStatus(), child.stderr());
        assertFalse(Files.exists(socket), socket + " is left");
        assertTrue(Files.exists(other), "a file that is not the server's stays");
        assertEquals(List.of("mine"), leftInTmp(), "the user's folder stays");
    }

    @Test
    void standaloneUnixStoppedBySigtermLeavesNoFolder() throws Exception {
        ChildJvm child = start(EchoServerMain.class.getName(), "--unix", "--quiet");
        String first = child.line();
        assertTrue(first.startsWith("echo-fixture listening on unix:"), first);
        Path socket = Path.of(URI.create(first.substring("echo-fixture listening on ".length())).getSchemeSpecificPart());
        assertTrue(socket.startsWith(tmp), socket + " in the child's temp folder " + tmp);
        child.process().destroy(); // SIGTERM
        assertEquals(0, child.exitStatus(), child.stderr());
        assertNothingLeft(socket);
    }

    /** Reads the child's two lines (its echo, its server's URI) and returns the socket file, in the temp folder. */
    private Path socketInTmp(ChildJvm child) throws Exception {
        assertEquals("echoed ping", child.line());
        Path socket = Path.of(URI.create(child.line()).getSchemeSpecificPart());
        assertTrue(socket.startsWith(tmp), socket + " in the child's temp folder " + tmp);
        return socket;
    }

    private void assertNothingLeft(Path socket) throws IOException {
        assertFalse(Files.exists(socket), socket + " is left");
        assertEquals(List.of(), leftInTmp(), "left in java.io.tmpdir");
    }

    private List<String> leftInTmp() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("stderr")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private ChildJvm start(String mainClass, String... args) throws IOException {
        return children.start(ChildJvm.main(mainClass, args).jvmOptions("-Djava.io.tmpdir=" + tmp),
                Files.createTempFile(tmp, "stderr", ".txt"));
    }
}
