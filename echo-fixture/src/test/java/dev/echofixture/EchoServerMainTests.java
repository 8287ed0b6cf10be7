package dev.echofixture;

import dev.echofixture.internal.cli.StandaloneEndpoint;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.cli.CommandLine;
import dev.echofixture.internal.tls.Certificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StandaloneEndpoint#run} in this JVM: output streams, exit statuses and a real server.
 * The standalone jar in a child process is tested by {@code StandaloneJarIT}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoServerMainTests {

    private static final Pattern FIRST_LINE = Pattern.compile("echo-fixture listening on (tcp://127\\.0\\.0\\.1:(\\d+))\\R");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StandaloneEndpoint.run(args, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), () -> { });
    }

    private String out() {
        return out.toString(UTF_8);
    }

    private String err() {
        return err.toString(UTF_8);
    }

    @Test
    void helpPrintsTheUsageToStdoutAndExitsZero() {
        assertEquals(0, run("--help"));
        assertEquals(CommandLine.USAGE, out());
        assertEquals("", err());
    }

    @Test
    void versionPrintsNameAndVersionToStdoutAndExitsZero() {
        assertEquals(0, run("--version"));
        assertTrue(out().matches("echo-fixture \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), out());
        assertEquals("", err());
    }

    @Test
    void badOptionExitsTwoNamingTheOptionThenTheUsageOnStderr() {
        assertEquals(2, run("--latency", "5xs"));
        assertEquals("", out());
        assertTrue(err().startsWith("echo-fixture: --latency: 5xs (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)"), err());
        assertTrue(err().endsWith(CommandLine.USAGE), err());
    }

    @Test
    void aMissingTlsKeyStoreExitsTwoNamingTheOption(@TempDir Path dir) {
        Path missing = dir.resolve("server.p12");
        assertEquals(2, run("--tls", "--port", "0", "--tls-key-store", missing.toString(), "--tls-key-store-password", "pw"));
        assertEquals("", out());
        assertTrue(err().startsWith("echo-fixture: --tls-key-store: " + missing
                + " (expected: a PKCS12 key store file; there is no such file)"), err());
        assertTrue(err().endsWith(CommandLine.USAGE), err());
    }

    @Test
    void portInUseExitsOneNamingTheAddressAndTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, run("--port", String.valueOf(port), "--quiet"));
            assertEquals("", out());
            assertTrue(err().startsWith("echo-fixture: cannot listen on tcp://127.0.0.1:" + port + ": "), err());
            // the reason is the OS's, in the OS's language (strerror follows LC_MESSAGES): compare with a bind of our own
            String reason;
            try (java.nio.channels.ServerSocketChannel again = java.nio.channels.ServerSocketChannel.open()) {
                again.bind(taken.getLocalSocketAddress());
                throw new AssertionError("the port was free");
            } catch (java.net.BindException e) {
                reason = e.getMessage();
            }
            assertTrue(err().contains(reason), "'" + err() + "' names the reason: " + reason);
            assertTrue(err().endsWith("(use another --port, or --port 0 for an ephemeral one)" + System.lineSeparator()), err());
            assertEquals(2, err().split("ephemeral|another port", -1).length, "the advice is given once: " + err());
        }
    }

    @Test
    void socketFileLeftBehindExitsOneNamingTheFix(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path file = dir.resolve("echo.sock");
        try (java.nio.channels.ServerSocketChannel killed =
                     java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(file)); // closing leaves the file behind, as kill -9 does
        }
        assertEquals(1, run("--unix", file.toString(), "--quiet"));
        assertEquals("", out());
        assertEquals("echo-fixture: cannot listen on unix:" + file.toAbsolutePath() + ": the socket file exists, left behind"
                + " by a server that was killed (delete it: rm " + file + ", or choose another path, or give --unix alone"
                + " for a fresh one)" + System.lineSeparator(), err());
    }

    @Test
    void unixAloneListensOnAFreshSocketFileNamedInTheFirstLine() throws Exception {
        Path file;
        try (Running running = new Running("--unix", "--quiet")) {
            assertEquals("unix", running.uri.getScheme());
            file = Path.of(running.uri.getSchemeSpecificPart());
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
                channel.write(ByteBuffer.wrap("fresh".getBytes(UTF_8)));
                ByteBuffer echo = ByteBuffer.allocate(5);
                while (echo.hasRemaining() && channel.read(echo) >= 0) {
                    // bounded by the class time-out; the server echoes 5 bytes
                }
                assertEquals("fresh", new String(echo.array(), UTF_8));
            }
        }
        assertFalse(Files.exists(file), "socket file deleted on stop");
    }

    /** Regression: a duration too long for nanoseconds used to kill the listener at the first connection. */
    @Test
    void hugeIdleTimeoutKeepsServingEveryConnection() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--idle-timeout", "999999999999999m")) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = running.connect()) {
                    socket.getOutputStream().write(("hi" + i).getBytes(UTF_8));
                    assertEquals("hi" + i, new String(socket.getInputStream().readNBytes(3), UTF_8));
                }
            }
        }
    }

    @Test
    void unixSocketInAMissingFolderExitsOneNamingThePath(@TempDir(factory = ShortTempDir.class) Path dir) {
        Path file = dir.resolve("missing").resolve("echo.sock");
        assertEquals(1, run("--unix", file.toString(), "--quiet"));
        assertEquals("", out());
        assertTrue(err().startsWith("echo-fixture: cannot listen on unix:" + file.toAbsolutePath() + ": "), err());
    }

    @Test
    void printsTheListeningLineFirstThenEchoesUntilStopped() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        PipedLines lines = new PipedLines();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() ->
                StandaloneEndpoint.run(new String[] {"--port", "0", "--quiet"}, lines.stream(), new PrintStream(err, true, UTF_8), stop::await));
        try {
            String first = lines.firstLine(status, 10, TimeUnit.SECONDS);
            Matcher m = FIRST_LINE.matcher(first);
            assertTrue(m.matches(), first);
            URI uri = URI.create(m.group(1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
                socket.setSoTimeout(5_000);
                byte[] sent = "hello, echo\n".getBytes(UTF_8);
                OutputStream o = socket.getOutputStream();
                o.write(sent);
                o.flush();
                InputStream in = socket.getInputStream();
                assertArrayEquals(sent, in.readNBytes(sent.length));
            }
        } finally {
            stop.countDown();
        }
        assertEquals(0, status.get(10, TimeUnit.SECONDS));
        assertTrue(err().matches("echo-fixture seed -?\\d+\\R"), err()); // quiet: the seed only, to replay a failure
    }

    /** A server run by {@link StandaloneEndpoint#run} on another thread, stopped by {@link #close()}. */
    private final class Running implements AutoCloseable {
        final CountDownLatch stop = new CountDownLatch(1);
        final CompletableFuture<Integer> status;
        final URI uri;

        Running(String... args) throws Exception {
            PipedLines lines = new PipedLines();
            status = CompletableFuture.supplyAsync(() ->
                    StandaloneEndpoint.run(args, lines.stream(), new PrintStream(err, true, UTF_8), stop::await));
            String first = lines.firstLine(status, 10, TimeUnit.SECONDS);
            assertTrue(first.startsWith("echo-fixture listening on "), first);
            uri = URI.create(first.substring("echo-fixture listening on ".length()).trim());
        }

        Socket connect() throws Exception {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(5_000);
            return socket;
        }

        @Override
        public void close() throws Exception {
            stop.countDown();
            assertEquals(0, status.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFaultPlanClosesTheFirstConnectionAndEchoesOnTheSecondAndTheSeedIsPrintedEvenQuiet() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--seed", "42",
                "--fault-plan", "first 1: close-after 4; nth 3: echo, after-bytes 2: silent")) {
            try (Socket socket = running.connect()) {
                socket.getOutputStream().write("hello!".getBytes(UTF_8));
                assertEquals("hell", new String(socket.getInputStream().readAllBytes(), UTF_8));
            }
            try (Socket socket = running.connect()) {
                socket.getOutputStream().write("hello!".getBytes(UTF_8));
                assertEquals("hello!", new String(socket.getInputStream().readNBytes(6), UTF_8));
            }
            assertTrue(err().contains("echo-fixture seed 42"), err());
        }
    }

    @Test
    void proxyToForwardsToTheUpstreamWithTheConditionsOnTheAnswers() throws Exception {
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.start();
             Running running = new Running("--port", "0", "--quiet", "--proxy-to", upstream.uri().toString(), "--close-after", "4");
             Socket socket = running.connect()) {
            socket.getOutputStream().write("hello!".getBytes(UTF_8));
            assertEquals("hell", new String(socket.getInputStream().readAllBytes(), UTF_8));
            upstream.awaitConnections(1, java.time.Duration.ofSeconds(5)).get(0).awaitReceived("hel", java.time.Duration.ofSeconds(5));
        }
    }

    @Test
    void aBadProxyToExitsTwoNamingTheOption() {
        assertEquals(2, run("--proxy-to", "udp://127.0.0.1:9"));
        assertTrue(err().startsWith("echo-fixture: --proxy-to: udp://127.0.0.1:9 (expected: tcp://host:port or unix:/path"), err());
        assertTrue(err().endsWith(CommandLine.USAGE), err());
    }

    @Test
    void aBadFaultPlanExitsTwoNamingTheOptionAndThePart() {
        assertEquals(2, run("--port", "0", "--fault-plan", "first 2: reset-after 10; sometimes: silent"));
        assertTrue(err().startsWith("echo-fixture: --fault-plan: 'sometimes: silent' (expected: 'first N'"), err());
        assertEquals(2, run("--port", "0", "--fault-plan", "probability 1.5: silent"));
        assertTrue(err().contains("--fault-plan: 1.5 (expected: a probability above 0 and at most 1)"), err());
        assertEquals(2, run("--udp", "--port", "0", "--fault-plan", "first 1: reset-after 1"));
        assertTrue(err().contains("--fault-plan: 'first 1' with resetAfter: 1"), err());
    }

    @Test
    void closeAfterEchoesThatManyBytesThenCloses() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--close-after", "4");
             Socket socket = running.connect()) {
            socket.getOutputStream().write("hello!".getBytes(UTF_8));
            assertEquals("hell", new String(socket.getInputStream().readAllBytes(), UTF_8));
        }
    }

    @Test
    void latencyDelaysTheEcho() throws Exception {
        try (Running running = new Running("--port=0", "--quiet", "--latency=300ms", "--seed=1");
             Socket socket = running.connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write('x');
            assertEquals('x', socket.getInputStream().read());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 300 && millis < 300 + 2_000, "echo after " + millis + " ms");
        }
    }

    @Test
    void chunkSizeEchoesInShortWrites() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--chunk-size", "1");
             Socket socket = running.connect()) {
            // 100 bytes at one per millisecond: even a reader starved for a while on a loaded machine sees several reads
            byte[] sent = "chunked!! ".repeat(10).getBytes(UTF_8);
            socket.getOutputStream().write(sent);
            InputStream in = socket.getInputStream();
            byte[] echoed = new byte[sent.length];
            int reads = 0;
            for (int n = 0; n < sent.length; reads++) {
                int r = in.read(echoed, n, sent.length - n);
                assertTrue(r > 0, "end of stream after " + n + " bytes");
                n += r;
            }
            assertArrayEquals(sent, echoed);
            assertTrue(reads > 1, "one byte per write: the reader needed " + reads + " read(s)");
        }
    }

    @Test
    void resetAfterEchoesAtMostThatManyBytesThenResets() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--reset-after", "4");
             Socket socket = running.connect()) {
            socket.getOutputStream().write("hello, reset".getBytes(UTF_8));
            java.io.ByteArrayOutputStream echoed = new java.io.ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            assertThrows(java.net.SocketException.class, () -> {
                for (int b; (b = in.read()) != -1; ) {
                    echoed.write(b);
                }
            });
            assertTrue("hell".startsWith(echoed.toString(UTF_8)), "echoed before the reset: " + echoed);
        }
    }

    @Test
    void bandwidthAndJitterPaceTheEcho() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--bandwidth", "8k", "--jitter", "50ms", "--seed", "7");
             Socket socket = running.connect()) {
            byte[] sent = new byte[16 * 1024];
            new java.util.Random(7).nextBytes(sent);
            long start = System.nanoTime();
            socket.getOutputStream().write(sent);
            assertArrayEquals(sent, socket.getInputStream().readNBytes(sent.length));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // 16 KiB at 8 KiB/s with a burst of a tenth of a second: about 1.9 s
            assertTrue(millis >= 1_500 && millis < 1_900 + 4_000, "16 KiB at 8 KiB/s took " + millis + " ms");
        }
    }

    @Test
    void silentEchoesNothing() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--silent", "--idle-timeout", "500ms");
             Socket socket = running.connect()) {
            socket.getOutputStream().write("anyone?".getBytes(UTF_8));
            assertEquals(-1, socket.getInputStream().read(), "idle timeout closes without an echo");
        }
    }

    @Test
    void maxConnectionsClosesTheConnectionsBeyondIt() throws Exception {
        try (Running running = new Running("--port", "0", "--quiet", "--max-connections", "1");
             Socket first = running.connect();
             Socket second = running.connect()) {
            first.getOutputStream().write('a');
            assertEquals('a', first.getInputStream().read());
            second.getOutputStream().write('b');
            int read;
            try {
                read = second.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertEquals(-1, read, "the second connection is closed at once");
        }
    }

    @Test
    void udpEchoesEachDatagramToItsSender() throws Exception {
        try (Running running = new Running("--udp", "--port", "0", "--quiet");
             DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertEquals("udp", running.uri.getScheme());
            socket.setSoTimeout(5_000);
            byte[] sent = "one datagram".getBytes(UTF_8);
            socket.send(new DatagramPacket(sent, sent.length, new InetSocketAddress(running.uri.getHost(), running.uri.getPort())));
            DatagramPacket echo = new DatagramPacket(new byte[100], 100);
            socket.receive(echo);
            assertEquals("one datagram", new String(echo.getData(), 0, echo.getLength(), UTF_8));
        }
    }

    @Test
    void tlsListensWithAGeneratedCertificateSignedByTheJvmsTestCa() throws Exception {
        java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", Certificates.ca().leaf()); // the CA the endpoint logs in PEM
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (Running running = new Running("--tls", "--port", "0", "--quiet");
             EchoClient client = EchoClient.connect(running.uri, context)) {
            assertEquals("tls", running.uri.getScheme());
            assertEquals("over tls", client.send("over tls").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void caFileHoldsTheCaInPemBeforeTheFirstLineAndClientsTrustingItConnect(@TempDir Path dir) throws Exception {
        Path caFile = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(caFile, "an older file, replaced");
        try (Running running = new Running("--tls", "--port", "0", "--quiet", "--ca-file", caFile.toString())) {
            String pem = java.nio.file.Files.readString(caFile, UTF_8); // complete once the first line is out
            assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n") && pem.endsWith("-----END CERTIFICATE-----\n"), pem);
            java.security.cert.X509Certificate ca;
            try (InputStream in = java.nio.file.Files.newInputStream(caFile)) {
                ca = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in);
            }
            java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", ca);
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (EchoClient client = EchoClient.connect(running.uri, context)) { // verifies the chain and the host name
                assertEquals("trusted by the file", client.sendAndAwait("trusted by the file"));
            }
        }
        assertTrue(err().matches("echo-fixture seed -?\\d+\\R"), err()); // quiet: the seed only, to replay a failure
    }

    @Test
    void caFileWithoutTlsOrInAMissingFolderExitsTwoNamingIt(@TempDir Path dir) {
        Path caFile = dir.resolve("ca.pem");
        assertEquals(2, run("--port", "0", "--ca-file", caFile.toString()));
        assertTrue(err().startsWith("echo-fixture: --ca-file: " + caFile
                + " (expected: --tls with it, for a TLS server whose CA it writes; add --tls)"), err());
        assertTrue(err().endsWith(CommandLine.USAGE), err());
        err.reset();
        Path missing = dir.resolve("no-such-folder").resolve("ca.pem");
        assertEquals(2, run("--tls", "--port", "0", "--ca-file", missing.toString()));
        assertTrue(err().startsWith("echo-fixture: --ca-file: " + missing + " (expected: a file in an existing folder; "
                + missing.getParent() + " is no folder)"), err());
        err.reset();
        assertEquals(2, run("--tls", "--port", "0", "--ca-file", dir.toString()));
        assertTrue(err().startsWith("echo-fixture: --ca-file: " + dir + " (expected: a file; this is a folder"), err());
        assertEquals("", out());
    }

    @Test
    void unixListensOnTheSocketFileAndDeletesItOnStop(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path file = dir.resolve("echo.sock");
        try (Running running = new Running("--unix", file.toString(), "--quiet")) {
            assertEquals(URI.create("unix:" + file.toAbsolutePath()), running.uri);
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
                channel.write(ByteBuffer.wrap("over unix".getBytes(UTF_8)));
                ByteBuffer echo = ByteBuffer.allocate(9);
                while (echo.hasRemaining() && channel.read(echo) >= 0) {
                    // bounded by the class time-out; the server echoes 9 bytes
                }
                assertEquals("over unix", new String(echo.array(), UTF_8));
            }
        }
        assertFalse(Files.exists(file), "socket file deleted on stop");
    }

    /** Collects what {@code run} prints and hands out the first complete line. */
    private static final class PipedLines extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> firstLine = new CompletableFuture<>();

        PrintStream stream() {
            return new PrintStream(this, false, UTF_8);
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (b == '\n') {
                firstLine.complete(bytes.toString(UTF_8));
            }
        }

        /** The first line, or a failure as soon as {@code run} ended without printing one. */
        String firstLine(CompletableFuture<Integer> status, long timeout, TimeUnit unit) throws Exception {
            CompletableFuture.anyOf(firstLine, status).get(timeout, unit);
            if (!firstLine.isDone()) {
                throw new AssertionError("run ended with status " + status.join() + " before printing a line");
            }
            return firstLine.get();
        }
    }
}
