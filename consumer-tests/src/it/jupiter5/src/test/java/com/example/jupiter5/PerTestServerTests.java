package com.example.jupiter5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A fresh server per test, from the class's annotation or a parameter's own. */
@EchoServer
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PerTestServerTests {

    @Test
    void echoesWhatTheInjectedClientSent(EmbeddedEchoServer server, EchoClient client) throws Exception {
        assertEquals("hello", client.send("hello").get(10, TimeUnit.SECONDS));
        assertEquals("hello", server.awaitConnections(1, Duration.ofSeconds(10)).get(0).receivedText());
    }

    @Test
    void aParameterAnnotationConfiguresItsOwnServer(@EchoServer(chunkSize = 1) EmbeddedEchoServer chunked)
            throws Exception {
        try (Socket socket = new Socket(chunked.host(), chunked.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("abc".getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            assertEquals("abc", new String(in.readNBytes(3), StandardCharsets.UTF_8));
        }
        assertEquals("abc", chunked.awaitConnections(1, Duration.ofSeconds(10)).get(0).receivedText());
    }
}
