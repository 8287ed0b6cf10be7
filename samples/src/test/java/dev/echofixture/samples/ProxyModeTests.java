package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.echofixture.DialogueEntry;
import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoClient;
import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.ProxyOptions;
import dev.echofixture.junit.EchoServerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proxy mode in front of real components: the README's snippets, and the JDK's HTTP client and server through the proxy. */
@Timeout(60)
class ProxyModeTests {

    @Test
    void proxyInFrontOfAnUpstream() {
        // tag::proxy-core[]
        try (EmbeddedEchoServer upstream = EmbeddedEchoServer.start();                  // stands in for a real service
             EmbeddedEchoServer proxy = EmbeddedEchoServer.builder()
                     .proxy(ProxyOptions.to(upstream.uri())                            // tcp://host:port or unix:/path
                             .upstreamBehavior(EchoBehavior.echo().bandwidth(64 * 1024))) // client to upstream
                     .behavior(EchoBehavior.echo().latency(Duration.ofMillis(50)))     // upstream to client
                     .start();
             EchoClient client = EchoClient.connect(proxy.uri())) {                    // the code under test
            assertEquals("SELECT 1", client.sendAndAwait("SELECT 1"));

            EchoConnection connection = proxy.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("SELECT 1", connection.receivedText());                       // what the client sent
            assertEquals("SELECT 1", connection.sentText());                           // what the upstream answered
            List<DialogueEntry> dialogue = connection.dialogue();                      // both ways, in order, timed
            assertEquals(DialogueEntry.Direction.TO_UPSTREAM, dialogue.get(0).direction());
        }
        // end::proxy-core[]
    }

    @Nested
    class JdkHttpThroughTheProxy {

        // tag::proxy-junit[]
        HttpServer upstream;                                   // started by the test, after the extension's servers

        @RegisterExtension
        EchoServerExtension proxy = EchoServerExtension.builder()
                .proxyTo(() -> upstream.getAddress())          // asked when each connection arrives
                .behavior(EchoBehavior.echo().latency(Duration.ofMillis(100)))
                .build();

        @BeforeEach
        void startUpstream() throws IOException {
            upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            upstream.createContext("/hello", exchange -> {
                byte[] body = "hi there".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            upstream.start();
        }
        // end::proxy-junit[]

        @AfterEach
        void stopUpstream() {
            upstream.stop(0);
        }

        @Test
        void theJdkHttpClientGetsTheAnswerLate(EmbeddedEchoServer server) throws Exception {
            long start = System.nanoTime();
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hello"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hi there", response.body());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos(), "the answer came through the latency");

            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertTrue(connection.receivedText().startsWith("GET /hello HTTP/1.1"), connection.receivedText());
            assertTrue(connection.sentText().startsWith("HTTP/1.1 200"), connection.sentText());
            assertTrue(connection.sentText().endsWith("hi there"), connection.sentText());
        }
    }
}
