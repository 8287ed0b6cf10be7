package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's shortest test, run by Surefire. */
@EchoServer
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoTests {

    @Test
    void echoes(EmbeddedEchoServer server, EchoClient client) throws Exception {
        assertEquals("hello", client.send("hello").get(5, TimeUnit.SECONDS));
        assertEquals("hello", server.awaitConnections(1, Duration.ofSeconds(5)).get(0).receivedText());
    }
}
