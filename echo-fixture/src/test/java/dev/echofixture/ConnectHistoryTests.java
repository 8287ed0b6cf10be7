package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.ConnectHistory.Ending;
import dev.echofixture.ConnectHistory.Side;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ConnectHistory}: accept times, endings and who ended first, intervals between connects (a retry with backoff: ReadmeCoreExamplesTests). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectHistoryTests {

    @Test
    void anOpenConnectionHasNoEndingAndTheServersCloseIsTheServers() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
             Socket open = new Socket(server.host(), server.port());
             Socket closed = new Socket(server.host(), server.port())) {
            List<EchoConnection> connections = server.awaitConnections(2, Duration.ofSeconds(5));
            connections.get(1).close();
            assertEquals(-1, closed.getInputStream().read());
            ConnectHistory history = server.connectHistory();
            assertEquals(1, history.connects().get(0).number());
            assertEquals(Optional.empty(), history.connects().get(0).ending());
            assertEquals(Optional.of(new Ending(Side.SERVER, ConnectionClose.Kind.ORDERLY)), history.connects().get(1).ending());
            assertEquals(1, history.intervals().size());
            assertTrue(history.toString().startsWith("ConnectHistory[#1 open, +"), history.toString());
        }
    }
}
