package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's core, conditions and Unix-socket snippets, run. Each sits between
 * {@code // tag::name[]} and {@code // end::name[]};
 * {@link #everyTaggedSnippetAppearsVerbatimInTheReadme()} checks that the README shows exactly
 * this code (indentation aside).
 */
@Timeout(30)
class ReadmeCoreExamplesTests {

    private static final Path SOURCE = Path.of("src/test/java/dev/echofixture/ReadmeCoreExamplesTests.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void quickStart() throws IOException {
        // tag::core-quick-start[]
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();           // TCP, 127.0.0.1, ephemeral port
             Socket socket = new Socket(server.host(), server.port())) {         // stands in for the code under test
            socket.getOutputStream().write("HELLO\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("HELLO\r\n", new String(socket.getInputStream().readNBytes(7), StandardCharsets.UTF_8));

            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("HELLO\r\n", connection.receivedText());                  // what it sent, byte for byte
            assertEquals(7, connection.bytesReceived());
        }
        // end::core-quick-start[]
    }

    @Test
    void faults() throws IOException {
        // tag::core-faults[]
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .behavior(EchoBehavior.echo().corruptAt(1))          // flip every bit of the second byte echoed
                .seed(42)                                            // the faults drawn at a rate replay from it
                .start();
             Socket socket = new Socket(server.host(), server.port())) {
            socket.getOutputStream().write("hey".getBytes(StandardCharsets.US_ASCII));
            byte[] echo = socket.getInputStream().readNBytes(3);
            assertEquals((byte) ~'e', echo[1]);                       // the client sees exactly the byte changed

            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals(List.of("byte 1 corrupted: 0x65 -> 0x9a (corruptAt)"), connection.faults());
        }
        // end::core-faults[]
    }

    @Test
    void builder() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Ipv6.loopbackAvailable(), "no IPv6 loopback on this machine");
        // tag::core-builder[]
        EmbeddedEchoServer server = EmbeddedEchoServer.builder()
                .transport(Transport.TCP)             // TCP (default), UDP, UNIX
                .host("::1")                          // default 127.0.0.1; never all interfaces unless asked
                .port(0)                              // default 0: an ephemeral port (keep it in tests)
                .maxConnections(1024)                 // more are accepted and closed at once, counted as rejected
                .idleTimeout(Duration.ofSeconds(30))  // default: none
                .recordLimit(64 * 1024)               // bytes recorded per connection; counters always count all
                .seed(42)                             // drives jitter; default random, shown by toString()
                .start();
        // end::core-builder[]
        try (server) {
            assertTrue(server.toString().endsWith(", 0 open, seed=42]"), server.toString());
        }
    }

    @Test
    void conditions() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            // tag::conditions[]
            server.behavior(EchoBehavior.echo().latency(Duration.ofMillis(50)));   // each chunk goes out 50 ms after it arrived
            server.behavior(EchoBehavior.echo().jitter(Duration.ofMillis(20)));    // plus 0..20 ms, drawn from server.seed()
            server.behavior(EchoBehavior.echo().bandwidth(32 * 1024));             // 32 KiB/s per connection (burst: a tenth)
            server.behavior(EchoBehavior.echo().chunkSize(1));                     // one byte per write: the peer sees short reads
            server.behavior(EchoBehavior.echo().closeAfter(1024));                 // echo 1,024 bytes, then FIN (0: close on accept)
            server.behavior(EchoBehavior.echo().resetAfter(1024));                 // echo at most 1,024 bytes, then RST (0: on accept)
            server.behavior(EchoBehavior.echo().silent());                         // read and record, echo nothing
            server.behavior(EchoBehavior.echo());                                  // back to plain echo
            // end::conditions[]
            assertEquals(EchoBehavior.echo(), server.behavior());
        }
    }

    @Test
    void awaitReceived() throws IOException {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             Socket socket = new Socket(server.host(), server.port())) {
            Thread codeUnderTest = new Thread(() -> {
                try {
                    socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            codeUnderTest.start();
            // tag::await-received[]
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            connection.awaitReceived("PING\r\n", Duration.ofSeconds(5));   // returns once the recording contains it
            // end::await-received[]
            assertEquals("PING\r\n", connection.receivedText());
        }
    }

    @Test
    void takeConnectionAndAwaitClosed() throws IOException {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            try (Socket socket = new Socket(server.host(), server.port())) {   // stands in for the code under test
                socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.UTF_8));
            }
            // tag::take-and-await-closed[]
            EchoConnection connection = server.takeConnection(Duration.ofSeconds(5));   // the next one, each handed out once
            ConnectionClose close = connection.awaitClosed(Duration.ofSeconds(5));      // once the peer has ended it
            assertEquals(ConnectionClose.Kind.ORDERLY, close.kind());                   // closed (FIN), not reset (RST)
            // end::take-and-await-closed[]
            assertEquals("QUIT\r\n", connection.receivedText());
        }
    }

    @Test
    void clearRecording() throws IOException {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             Socket socket = new Socket(server.host(), server.port())) {   // stands in for the code under test
            socket.getOutputStream().write("LOGIN\r\n".getBytes(StandardCharsets.UTF_8));
            socket.getInputStream().readNBytes(7);
            // tag::clear-recording[]
            server.clearRecording();   // next phase: closed connections and every byte so far are forgotten
            socket.getOutputStream().write("DATA\r\n".getBytes(StandardCharsets.UTF_8));
            server.connections().get(0).awaitReceived("DATA\r\n", Duration.ofSeconds(5));
            assertEquals("DATA\r\n", server.connections().get(0).receivedText());   // only this phase's bytes
            // end::clear-recording[]
        }
    }

    @Test
    void connectToASocketAddress() {
        for (Transport transport : new Transport[] {Transport.TCP, Transport.UNIX}) {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start()) {
                // tag::client-socket-address[]
                try (EchoClient client = EchoClient.connect(server.socketAddress(), Duration.ofSeconds(2))) {  // TCP or UNIX
                    assertEquals("hello", client.sendAndAwait("hello"));
                }
                // end::client-socket-address[]
            }
        }
    }

    @Test
    void faultPlan() throws IOException {
        // tag::fault-plan[]
        FaultPlan plan = FaultPlan.connections()
                .first(2, EchoBehavior.echo().resetAfter(10))          // connections 1 and 2: 10 bytes, then RST
                .every(5, FaultSteps.startWith(EchoBehavior.echo())      // connections 5, 10, ...: echo for 200 ms,
                        .after(Duration.ofMillis(200), EchoBehavior.echo().silent()))   // then silence
                .withProbability(0.1, EchoBehavior.echo().latency(Duration.ofMillis(300))); // 1 in 10, from the seed
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).seed(42).start()) {
            // ... the code under test connects, retries ...
            try (Socket socket = new Socket(server.host(), server.port())) {
                socket.getOutputStream().write("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().readNBytes(10);
            }
            EchoConnection first = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("EchoBehavior.echo().resetAfter(10) (plan: first 2)", first.faults().get(0)); // then "reset after 10 bytes echoed ..."
        }
        // end::fault-plan[]
    }

    /** A client under test: retries with a doubling backoff until one exchange works. */
    private static String sendWithRetries(String host, int port, String message, int attempts) throws Exception {
        long backoffMillis = 50;
        for (int attempt = 1; ; attempt++) {
            try (Socket socket = new Socket(host, port)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
                byte[] reply = socket.getInputStream().readNBytes(message.length());
                if (reply.length == message.length()) {
                    return new String(reply, StandardCharsets.US_ASCII);
                }
            } catch (IOException e) {
                if (attempt == attempts) {
                    throw e;
                }
            }
            Thread.sleep(backoffMillis); // the client's own backoff, the behaviour under test
            backoffMillis *= 2;
        }
    }

    @Test
    void retryWithBackoff() throws Exception {
        // tag::connect-history[]
        FaultPlan plan = FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(1));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            assertEquals("hello", sendWithRetries(server.host(), server.port(), "hello", 5));

            server.awaitConnections(3, Duration.ofSeconds(5)).get(2).awaitClosed(Duration.ofSeconds(5));
            ConnectHistory history = server.connectHistory();
            assertEquals(3, history.connects().size());                      // two failures, one success
            ConnectHistory.Ending first = history.connects().get(0).ending().orElseThrow();
            assertEquals(ConnectHistory.Side.SERVER, first.first());             // the plan reset it
            assertEquals(ConnectionClose.Kind.RESET, first.kind());
            assertEquals(ConnectHistory.Side.CLIENT, history.connects().get(2).ending().orElseThrow().first());
            List<Duration> gaps = history.intervals();                       // between connects 1-2 and 2-3
            assertTrue(gaps.get(0).compareTo(Duration.ofMillis(50)) >= 0, history.toString());   // backed off 50 ms,
            assertTrue(gaps.get(1).compareTo(Duration.ofMillis(100)) >= 0, history.toString());  // then 100 ms
        }
        // end::connect-history[]
    }

    @Test
    void unixDomainSockets() {
        // tag::unix[]
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            Path socketFile = ((UnixDomainSocketAddress) server.socketAddress()).getPath();
            URI uri = server.uri();   // unix:/tmp/echo-fixture-1234/echo.sock
        }
        // end::unix[]
    }

    @Test
    void scriptedReplies() throws IOException {
        // tag::script[]
        Script smtp = Script.of(Framing.lines())                          // messages are lines (\n or \r\n)
                .greeting(Reply.lines("220 mail.example.com ESMTP"))       // sent on connect
                .on(Match.prefix("HELO"), Reply.lines("250 mail.example.com"))
                .on(Match.regex("MAIL FROM:<.+>"), Reply.lines("250 OK"))
                .on(Match.text("QUIT"), Reply.lines("221 Bye").thenClose())
                .otherwise(Reply.lines("502 Command not implemented"));    // default: echo
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().script(smtp).start();
             Socket socket = new Socket(server.host(), server.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("220 mail.example.com ESMTP", in.readLine());
            socket.getOutputStream().write("HELO me\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("250 mail.example.com", in.readLine());

            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            // each message as framed, with what was answered: (connect) -> "220 ...", "HELO me" -> "250 ..."
            Await.until(() -> connection.exchanges().size() == 2, "two exchanges");
            assertEquals("HELO me", connection.exchanges().get(1).messageText());
        }
        // end::script[]
    }

    @Test
    void theFirstCommandBuildsTheStandaloneJarShowingProgressAndSaysHowLongItTakes() throws IOException {
        String readme = Files.readString(README);
        Matcher first = Pattern.compile("```sh\\R(.*?)\\R```\\R\\R(.*?)\\R\\R", Pattern.DOTALL).matcher(readme);
        assertTrue(first.find(), "no sh block in README.md");
        String command = first.group(1);
        assertTrue(command.startsWith("./mvnw -B package -pl echo-fixture -DskipTests && java -jar "), command);
        assertTrue(!command.contains(" -q"), "a quiet build is a minute of silence on a first run: " + command);
        assertTrue(first.group(2).contains("A first run also downloads Maven"), first.group(2));
    }

    @Test
    void everyTaggedSnippetAppearsVerbatimInTheReadme() throws IOException {
        String source = Files.readString(SOURCE);
        String readme = Files.readString(README);
        Matcher tags = Pattern.compile("// tag::([\\w-]+)\\[]\\R(.*?)\\R\\s*// end::\\1\\[]", Pattern.DOTALL)
                .matcher(source);
        int found = 0;
        while (tags.find()) {
            found++;
            String snippet = dedent(tags.group(2));
            assertTrue(readme.contains(snippet), "README.md lacks the snippet '" + tags.group(1) + "':\n" + snippet);
        }
        assertEquals(12, found, "tagged snippets in " + SOURCE);
    }

    private static String dedent(String block) {
        String[] lines = block.split("\\R", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(lines[i].isBlank() ? "" : lines[i].substring(indent));
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
