package com.example.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tests run inside the named module com.example.tests, and echo-fixture's modules are named too. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModulePathTests {

    @EchoServer
    EmbeddedEchoServer server;

    @Test
    void everyModuleIsNamed() {
        assertEquals("com.example.tests", getClass().getModule().getName());
        assertEquals("dev.echofixture.junit", EchoServer.class.getModule().getName());
        assertEquals("dev.echofixture", EmbeddedEchoServer.class.getModule().getName());
        assertEquals("org.junit.jupiter.api", Test.class.getModule().getName());
    }

    @Test
    void theInstanceFieldIsInjectedAcrossModules(EmbeddedEchoServer injected, EchoClient client) throws Exception {
        assertSame(server, injected);
        assertEquals("across modules", client.send("across modules").get(10, TimeUnit.SECONDS));
        assertEquals("across modules", server.awaitConnections(1, Duration.ofSeconds(10)).get(0).receivedText());
    }

    @Test
    void aMetaAnnotationFromThisModuleConfiguresTheServer(@SlowNetwork EmbeddedEchoServer slow) throws Exception {
        assertEquals(1, slow.behavior().chunkSize());
        try (EchoClient client = slow.newClient()) {
            assertEquals("slow", client.send("slow").get(10, TimeUnit.SECONDS));
        }
    }
}
