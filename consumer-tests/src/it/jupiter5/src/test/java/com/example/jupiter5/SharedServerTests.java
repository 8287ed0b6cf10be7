package com.example.jupiter5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One server for the class, injected into a static field before {@code @BeforeAll}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedServerTests {

    @EchoServer
    static EmbeddedEchoServer server;

    @BeforeAll
    static void serverRunsBeforeAll() {
        assertTrue(server.isRunning());
    }

    @Test
    void theClientIsConnectedToTheSharedServer(EmbeddedEchoServer injected, EchoClient client) throws Exception {
        assertSame(server, injected);
        assertEquals("ping", client.send("ping").get(10, TimeUnit.SECONDS));
    }
}
