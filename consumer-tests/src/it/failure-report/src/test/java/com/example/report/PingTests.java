package com.example.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fails on purpose: the code under test sends CRLF where LF is expected. */
@EchoServer
class PingTests {

    @Test
    void sendsPing(EmbeddedEchoServer server) throws Exception {
        try (Socket socket = new Socket(server.host(), server.port())) {   // stands in for the code under test
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.UTF_8));
            socket.getInputStream().readNBytes(6);
        }
        EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
        connection.awaitReceived("PING", Duration.ofSeconds(5));
        assertEquals("PING\n", connection.receivedText());
    }
}
