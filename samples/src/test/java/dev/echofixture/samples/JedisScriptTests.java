package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Exchange;
import dev.echofixture.Framing;
import dev.echofixture.Match;
import dev.echofixture.Reply;
import dev.echofixture.Script;
import dev.echofixture.junit.EchoServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** Jedis, a Redis client no one here wrote, against a scripted server speaking RESP. */
@Timeout(60)
class JedisScriptTests {

    static Script redis() {
        return Script.of(Framing.resp())                                           // a command: an array of bulk strings
                .on(Match.regex("(?i)\\*\\d+\r\n\\$6\r\nCLIENT\r\n.*"), Reply.text("+OK\r\n"))    // what Jedis sends on connect
                .on(Match.regex("(?i)\\*1\r\n\\$4\r\nPING\r\n"), Reply.text("+PONG\r\n"))
                .on(Match.text("*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n"), Reply.text("$5\r\nhello\r\n"))
                .on(Match.prefix("*2\r\n$3\r\nGET\r\n"), Reply.text("$-1\r\n"))   // any other key: nil
                .otherwise(Reply.text("-ERR unknown command\r\n"));
    }

    @Test
    void pingAndGet(@EchoServer(script = "redis") EmbeddedEchoServer server) {
        talk(server);
    }

    @Test
    void oneByteAtATime(@EchoServer(script = "redis", chunkSize = 1) EmbeddedEchoServer server) {
        talk(server);
    }

    @Test
    void overASlowLink(@EchoServer(script = "redis", latencyMillis = 50, chunkSize = 3) EmbeddedEchoServer server) {
        talk(server);
    }

    private static void talk(EmbeddedEchoServer server) {
        try (Jedis jedis = new Jedis(server.host(), server.port(), 10_000)) {
            assertEquals("PONG", jedis.ping());
            assertEquals("hello", jedis.get("greeting"));
            assertEquals(null, jedis.get("missing"));
        }
        EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
        List<String> commands = connection.exchanges().stream().map(Exchange::messageText)
                .map(m -> m.replace("\r\n", " ").trim()).toList();
        int ping = commands.indexOf("*1 $4 PING");
        assertTrue(ping >= 1, () -> "PING after what Jedis sends on connect (CLIENT SETINFO) among " + commands);
        assertTrue(commands.subList(0, ping).stream().allMatch(c -> c.toUpperCase().contains("$6 CLIENT")),
                () -> "before PING only CLIENT commands: " + commands);
        assertEquals(List.of("*2 $3 GET $8 greeting", "*2 $3 GET $7 missing"), commands.subList(ping + 1, ping + 3));
    }
}
