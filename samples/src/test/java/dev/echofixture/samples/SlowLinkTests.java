package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServerExtension;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

// tag::register-extension[]
@Timeout(60)
class SlowLinkTests {

    @RegisterExtension
    static EchoServerExtension echo = EchoServerExtension.builder()   // static: one server for the class
            .behavior(EchoBehavior.echo().latency(Duration.ofMillis(20)).chunkSize(3))
            .idleTimeout(Duration.ofSeconds(30))                      // what an annotation cannot say
            .build();

    @Test
    void answersThroughASlowChoppyLink(EmbeddedEchoServer server) throws IOException {
        try (LineClient client = new LineClient(echo.server().address(), Duration.ofSeconds(5))) {
            assertEquals("PING", client.request("PING"));
        }
        assertSame(echo.server(), server);                            // injected as well
    }
}
// end::register-extension[]
