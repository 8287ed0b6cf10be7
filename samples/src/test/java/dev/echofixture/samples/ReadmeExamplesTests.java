package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoClient;
import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsHandshake;
import dev.echofixture.Transport;
import dev.echofixture.junit.EchoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's code snippets, run (here and in the other test classes of the samples). Each one
 * sits between {@code // tag::name[]} and
 * {@code // end::name[]}; {@link #everyTaggedSnippetAppearsVerbatimInTheReadme()} checks that
 * the README still shows exactly this code (indentation aside), so the docs cannot rot.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExamplesTests {

    private static final Path SOURCES = Path.of("src/test/java/dev/echofixture/samples");
    private static final Path README = Path.of("../README.md");

    @Test
    void asyncClient() throws Exception {
        byte[] payload = "any bytes".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            // tag::client[]
            try (EchoClient client = EchoClient.connect(server.uri(), Duration.ofSeconds(2))) {
                CompletableFuture<byte[]> first = client.send(payload);      // byte[] or ByteBuffer
                CompletableFuture<String> second = client.send("hello");     // UTF-8
                assertArrayEquals(payload, first.get(5, TimeUnit.SECONDS));  // sends complete in order
                assertEquals("hello", second.get(5, TimeUnit.SECONDS));
            }
            // end::client[]
        }
    }

    @Test
    void tlsClient() throws Exception {
        // tag::tls-client[]
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start();
             LineClient client = LineClient.overTls(server.address(), Duration.ofSeconds(2),
                     server.sslContextForClients())) {                    // trusts the server's generated certificate
            assertEquals("PING", client.request("PING"));                   // through a real TLS handshake

            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("PING\n", connection.receivedText());             // the plaintext the client sent
            TlsHandshake tls = connection.awaitTls(Duration.ofSeconds(5));
            assertEquals("TLSv1.3", tls.protocol());                        // also cipherSuite(), serverName(), ...
        }
        // end::tls-client[]
    }

    @Test
    void tlsFailure() throws Exception {
        // tag::tls-failure[]
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start();
             LineClient client = LineClient.overTls(server.address(), Duration.ofSeconds(2),
                     SSLContext.getDefault())) {                            // the JDK's CAs: not the test CA
            assertThrows(SSLHandshakeException.class, () -> client.request("PING"));

            TlsHandshake tls = server.awaitConnections(1, Duration.ofSeconds(5)).get(0).awaitTls(Duration.ofSeconds(5));
            assertEquals(TlsHandshake.Status.FAILED, tls.status());         // recorded, not lost
            assertEquals(Optional.of("certificate_unknown"), tls.alert());  // what the client told the server
        }
        // end::tls-failure[]
    }

    @Test
    void blockingClient() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            // tag::client-blocking[]
            try (EchoClient client = server.newClient()) {
                assertEquals("hello", client.sendAndAwait("hello"));   // blocks, at most the client's time-out
            }
            // end::client-blocking[]
        }
    }

    // tag::address-injection[]
    @Test
    void connectsByUri(@EchoServer(latencyMillis = 20) URI uri, EmbeddedEchoServer server) {
        try (EchoClient client = EchoClient.connect(uri)) {            // the code under test gets only the URI
            assertEquals("hello", client.sendAndAwait("hello"));
        }
        assertEquals("hello", server.awaitConnections(1, Duration.ofSeconds(5)).get(0).receivedText());  // the same server
    }
    // end::address-injection[]

    @Test
    void everyTaggedSnippetAppearsVerbatimInTheReadme() throws IOException {
        String source;
        try (java.util.stream.Stream<Path> files = Files.list(SOURCES)) {   // this class and the samples' tests
            source = files.filter(f -> f.toString().endsWith(".java")).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(java.util.stream.Collectors.joining("\n"));
        }
        String readme = Files.readString(README);
        Matcher tags = Pattern.compile("// tag::([\\w-]+)\\[]\\R(.*?)\\R\\s*// end::\\1\\[]", Pattern.DOTALL)
                .matcher(source);
        int found = 0;
        while (tags.find()) {
            found++;
            String snippet = dedent(tags.group(2));
            assertTrue(readme.contains(snippet), "README.md lacks the snippet '" + tags.group(1) + "':\n" + snippet);
        }
        assertTrue(found > 0, "no tagged snippets in " + SOURCES);
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
