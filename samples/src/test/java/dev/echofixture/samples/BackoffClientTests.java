package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.ConnectHistory;
import dev.echofixture.ConnectionClose;
import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.FaultPlan;
import dev.echofixture.FaultSteps;
import dev.echofixture.junit.EchoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link BackoffClient} against fault plans: which connections fail, and how the client came back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackoffClientTests {

    static FaultPlan firstTwoReset() {
        return FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(3));
    }

    static FaultPlan alwaysReset() {
        return FaultPlan.connections().every(1, EchoBehavior.echo().resetAfter(3));
    }

    static FaultPlan firstGoesSilent() {
        return FaultPlan.connections().first(1, FaultSteps.startWith(EchoBehavior.echo().silent()));
    }

    private static BackoffClient client(EmbeddedEchoServer server, int attempts) {
        return new BackoffClient(server.address(), attempts, Duration.ofMillis(40), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofMillis(500), new Random(7));
    }

    @Test
    void succeedsOnTheThirdConnectionAfterTwoResets(@EchoServer(faultPlan = "firstTwoReset") EmbeddedEchoServer server)
            throws Exception {
        assertEquals("hello", client(server, 5).request("hello"));
        server.awaitConnections(3, Duration.ofSeconds(10)).get(2).awaitClosed(Duration.ofSeconds(10));
        ConnectHistory history = server.connectHistory();
        assertEquals(3, history.connects().size());
        for (int i = 0; i < 2; i++) {
            ConnectHistory.Ending ending = history.connects().get(i).ending().orElseThrow();
            assertEquals(ConnectHistory.Side.SERVER, ending.first());
            assertEquals(ConnectionClose.Kind.RESET, ending.kind());
        }
        assertEquals(ConnectHistory.Side.CLIENT, history.connects().get(2).ending().orElseThrow().first());
    }

    @Test
    void backsOffWithinTheJitteredBounds(@EchoServer(faultPlan = "firstTwoReset") EmbeddedEchoServer server) throws Exception {
        BackoffClient client = client(server, 5);
        assertEquals("hello", client.request("hello"));
        BackoffClient same = client(server, 5); // the same seed: the same waits
        long firstWait = same.backoffBefore(2);
        long secondWait = same.backoffBefore(3);
        var gaps = server.connectHistory().intervals();
        assertTrue(gaps.get(0).toMillis() >= firstWait, gaps + " vs " + firstWait);
        assertTrue(gaps.get(1).toMillis() >= secondWait, gaps + " vs " + secondWait);
        assertTrue(firstWait < 40 && secondWait < 80, firstWait + ", " + secondWait);
    }

    @Test
    void givesUpAfterTheLastAttemptWithEveryFailure(@EchoServer(faultPlan = "alwaysReset") EmbeddedEchoServer server) {
        IOException failure = assertThrows(IOException.class, () -> client(server, 3).request("hello"));
        assertEquals(1, failure.getSuppressed().length);
        assertEquals(3, server.awaitConnections(3, Duration.ofSeconds(10)).size());
    }

    @Test
    void aSilentServerCostsOneReadTimeOutThenTheRetryWorks(@EchoServer(faultPlan = "firstGoesSilent") EmbeddedEchoServer server)
            throws Exception {
        assertEquals("hello", client(server, 2).request("hello"));
        assertEquals(0, server.connections().get(0).bytesSent());
        assertEquals("hello\n", server.connections().get(0).receivedText());
    }
}
