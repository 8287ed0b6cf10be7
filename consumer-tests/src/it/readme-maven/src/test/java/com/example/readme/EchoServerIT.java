package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An integration test, run by Failsafe in integration-test. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoServerIT {

    @Test
    void echoesOverAFreshServer() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             EchoClient client = EchoClient.connect(server.socketAddress(), Duration.ofSeconds(5))) {
            assertEquals("from failsafe", client.sendAndAwait("from failsafe"));
            assertEquals("from failsafe", server.takeConnection(Duration.ofSeconds(5)).receivedText());
        }
    }
}
