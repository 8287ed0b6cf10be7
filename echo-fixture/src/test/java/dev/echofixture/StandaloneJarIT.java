package dev.echofixture;

import dev.echofixture.internal.cli.StandaloneEndpoint;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar, {@code target/echo-fixture-standalone.jar}, run with {@code java -jar} as
 * a child process, the way scripts and the benchmark harness run it. Runs in {@code verify}
 * (failsafe), after {@code package} built the jar. Every wait is bounded; every child is
 * killed after each test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StandaloneJarIT {

    private static final Pattern FIRST_LINE = Pattern.compile("echo-fixture listening on (tcp://127\\.0\\.0\\.1:(\\d+))");

    @RegisterExtension
    final ChildJvm.Children children = new ChildJvm.Children();

    @TempDir(factory = ShortTempDir.class)
    Path dir;

    private static Path jar() {
        String path = System.getProperty("echo.standalone.jar", "target/echo-fixture-standalone.jar");
        Path jar = Path.of(path);
        assertTrue(Files.isRegularFile(jar), "standalone jar missing: " + jar.toAbsolutePath() + " (run ./mvnw verify)");
        return jar;
    }

    /**
     * Starts {@code java -jar standalone.jar args} with SIGINT at its default disposition;
     * stderr goes to a file, read by {@link ChildJvm#stderr()}.
     */
    private ChildJvm start(String... args) throws IOException {
        return start(SigintLauncher.defaultDisposition(), args);
    }

    /** Starts {@code launcher java -jar standalone.jar args}; stderr goes to a file. */
    private ChildJvm start(List<String> launcher, String... args) throws IOException {
        return children.start(ChildJvm.jar(jar(), args).launcher(launcher), Files.createTempFile(dir, "stderr", ".txt"));
    }

    private static byte[] echoThrough(URI uri, byte[] sent) throws IOException {
        return echoThrough(uri, sent, new Socket());
    }

    private static byte[] echoThrough(URI uri, byte[] sent, Socket socket) throws IOException {
        try (socket) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(sent);
            out.flush();
            InputStream in = socket.getInputStream();
            return in.readNBytes(sent.length);
        }
    }

    @Test
    void printsTheListeningLineEchoesAndExitsZeroOnSigterm() throws Exception {
        ChildJvm child = start("--port", "0");
        String first = child.line();
        Matcher m = FIRST_LINE.matcher(first);
        assertTrue(m.matches(), "first line: " + first);

        byte[] sent = new byte[100_000];
        new java.util.Random(7).nextBytes(sent);
        Socket socket = new Socket();
        assertArrayEquals(sent, echoThrough(URI.create(m.group(1)), sent, socket));
        String peer = "127.0.0.1:" + socket.getLocalPort();
        Await.until(Duration.ofSeconds(10), () -> child.stderr().split(Pattern.quote(peer), -1).length >= 3,
                () -> "the connection's open and close are logged, naming " + peer + ":\n" + child.stderr());

        child.signal("TERM");   // not Process.destroy(), which also closes our end of stdout
        assertEquals(0, child.exitStatus(), child.stderr());
        assertEquals("", child.stdoutToEnd(), "stdout after the first line");
        String stderr = child.stderr();
        assertTrue(stderr.contains("seed"), "start is logged to stderr: " + stderr);
        assertTrue(stderr.contains("stopped: 1 connection accepted"), "stop is logged to stderr: " + stderr);
        assertTrue(stderr.contains("connection 1 from /" + peer + " opened"), stderr);
        assertFalse(stderr.contains("DEBUG"), "default-verbosity lines are not labelled DEBUG: " + stderr);
    }

    @Test
    void unixConnectionLinesNameTheClientAndSocketFileLeftBehindExitsOne() throws Exception {
        Path file = dir.resolve("echo.sock");
        ChildJvm child = start("--unix", file.toString());
        assertEquals("echo-fixture listening on unix:" + file.toAbsolutePath(), child.line());
        try (java.nio.channels.SocketChannel channel =
                     java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(file))) {
            channel.write(java.nio.ByteBuffer.wrap("ping".getBytes(UTF_8)));
            java.nio.ByteBuffer echo = java.nio.ByteBuffer.allocate(4);
            while (echo.hasRemaining() && channel.read(echo) >= 0) {
                // bounded by the class time-out
            }
            assertEquals("ping", new String(echo.array(), UTF_8));
        }
        Await.until(Duration.ofSeconds(10), () -> child.stderr().contains("connection 1 from a unix client closed"),
                () -> "the unix connection's close is logged:\n" + child.stderr());
        child.process().destroyForcibly();   // kill -9: the socket file stays behind
        child.process().waitFor(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(Files.exists(file), "kill -9 leaves the socket file");

        ChildJvm again = start("--unix", file.toString());
        assertEquals(1, again.exitStatus(), again.stderr());
        assertTrue(again.stderr().contains("left behind by a server that was killed (delete it: rm " + file), again.stderr());
    }

    /**
     * Ctrl-C. The child is started with SIGINT at its default disposition, whatever ours is: a
     * build started in the background ({@code ./mvnw verify &}, nohup, CI runners) inherits
     * SIGINT as ignored, and so would the child, which then (rightly) ignores it too.
     */
    @Test
    void exitsZeroOnSigintWhenStartedWithSigintAtItsDefault() throws Exception {
        ChildJvm child = start("--port", "0", "--quiet");
        assertTrue(FIRST_LINE.matcher(child.line()).matches());
        SigintLauncher.ignoredSignals(child.process().pid()).ifPresent(ignored ->
                assertFalse(ignored.contains("INT"), "the launcher reset SIGINT, yet the child ignores: " + ignored));
        child.signal("INT");
        assertEquals(0, child.exitStatus(), child.stderr());
    }

    /**
     * Started as a background job of a non-interactive shell is (SIGINT ignored), the endpoint
     * keeps serving through a SIGINT, like every Unix program, and still stops on SIGTERM.
     */
    @Test
    void keepsServingThroughSigintWhenStartedWithSigintIgnored() throws Exception {
        ChildJvm child = start(SigintLauncher.ignoring(), "--port", "0", "--quiet");
        Matcher m = FIRST_LINE.matcher(child.line());
        assertTrue(m.matches());
        SigintLauncher.ignoredSignals(child.process().pid()).ifPresent(ignored ->
                assertTrue(ignored.contains("INT"), "the child inherited SIGINT as ignored: " + ignored));
        child.signal("INT");   // an ignored signal is discarded when sent: nothing is pending after kill returns
        assertArrayEquals("still here".getBytes(UTF_8), echoThrough(URI.create(m.group(1)), "still here".getBytes(UTF_8)));
        assertTrue(child.process().isAlive(), "still running after SIGINT");
        child.signal("TERM");
        assertEquals(0, child.exitStatus(), child.stderr());
    }

    @Test
    void sigtermClosesOpenConnectionsThenExitsZero() throws Exception {
        ChildJvm child = start("--port", "0", "--quiet");
        Matcher m = FIRST_LINE.matcher(child.line());
        assertTrue(m.matches());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write('x');
            assertEquals('x', socket.getInputStream().read());
            child.signal("TERM");
            assertEquals(-1, socket.getInputStream().read(), "the open connection is closed (FIN) on SIGTERM");
        }
        assertEquals(0, child.exitStatus(), child.stderr());
    }

    @Test
    void quietLogsOnlyTheSeedWhenAllGoesWell() throws Exception {
        ChildJvm child = start("--port", "0", "--quiet");
        Matcher m = FIRST_LINE.matcher(child.line());
        assertTrue(m.matches());
        assertArrayEquals("ping".getBytes(UTF_8), echoThrough(URI.create(m.group(1)), "ping".getBytes(UTF_8)));
        child.process().destroy();   // SIGTERM on Linux and macOS
        assertEquals(0, child.exitStatus());
        assertTrue(child.stderr().matches("echo-fixture seed -?\\d+\\R"), child.stderr()); // to replay a failure
    }

    @Test
    void badOptionExitsTwoNamingTheOptionThenTheUsage() throws Exception {
        ChildJvm child = start("--latency", "5xs");
        assertEquals(2, child.exitStatus());
        assertEquals("", child.stdoutToEnd());
        String stderr = child.stderr();
        assertTrue(stderr.startsWith("echo-fixture: --latency: 5xs (expected: "), stderr);
        assertTrue(stderr.contains("Usage: java -jar echo-fixture-standalone.jar"), stderr);
    }

    @Test
    void portInUseExitsOneNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ChildJvm child = start("--port", String.valueOf(port));
            assertEquals(1, child.exitStatus());
            assertEquals("", child.stdoutToEnd());
            String stderr = child.stderr();
            assertTrue(stderr.startsWith("echo-fixture: cannot listen on tcp://127.0.0.1:" + port + ": "), stderr);
            assertTrue(stderr.contains("(use another --port, or --port 0 for an ephemeral one)"), stderr);
            assertEquals(2, stderr.split("ephemeral", -1).length, "the advice is given once: " + stderr);
        }
    }

    @Test
    void helpPrintsTheUsageToStdoutAndExitsZero() throws Exception {
        ChildJvm child = start("--help");
        assertEquals(0, child.exitStatus());
        String stdout = child.stdoutToEnd();
        assertTrue(stdout.startsWith("Usage: java -jar echo-fixture-standalone.jar [options]"), stdout);
        assertTrue(stdout.contains("--reset-after SIZE"), stdout);
        assertEquals("", child.stderr());
    }

    @Test
    void versionPrintsNameAndVersionToStdoutAndExitsZero() throws Exception {
        ChildJvm child = start("--version");
        assertEquals(0, child.exitStatus());
        assertEquals("echo-fixture " + StandaloneEndpoint.version() + System.lineSeparator(), child.stdoutToEnd());
        assertEquals("", child.stderr());
    }

    @Test
    void jarHoldsOnlyEchoFixtureAndSlf4j() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            assertEquals(EchoServerMain.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> foreign = jar.stream()
                    .map(e -> e.getName())
                    .filter(n -> !n.startsWith("dev/echofixture/") && !n.startsWith("org/slf4j/") && !n.startsWith("META-INF/"))
                    .filter(n -> !n.equals("dev/") && !n.equals("org/"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), foreign);
            assertTrue(jar.getEntry("org/slf4j/simple/SimpleLogger.class") != null, "slf4j-simple is bundled");
            assertTrue(jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null, "provider registered");
        }
    }
}
