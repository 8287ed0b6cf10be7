package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code failOnOpenConnections}: a connection left open by the code under test fails the test. */
@Timeout(60)
class OpenConnectionsTests {

    @Test
    void failsTheTestNamingEachConnectionLeftOpen() {
        EngineExecutionResults results = execute(LeakingTestCase.class);
        results.allEvents().assertThatEvents().haveExactly(1, event(test("leaks"), finishedWithFailure(
                instanceOf(AssertionError.class),
                message(m -> m.startsWith("1 connection still open after the test (failOnOpenConnections, turned on by"
                        + " @EchoServer(failOnOpenConnections = true)): method [LeakingTestCase.leaks(EmbeddedEchoServer, TestReporter)]: peer /127.0.0.1:")
                        && m.contains(", open, received 4 bytes, sent 4 bytes, first 4 bytes: text \"leak\" hex 6c 65 61 6b")
                        && m.endsWith("; close them in the code under test (or in @AfterEach)")))));
        // the failure also publishes the traffic report
        assertFalse(EchoTestKit.trafficReports(results).isEmpty());
        assertServersClosed(results);
    }

    @Test
    void passesWhenTheConnectionWasClosedJustBeforeTheEndOrIsTheInjectedClients() {
        EngineExecutionResults results = execute(CleanTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertEquals(List.of(), EchoTestKit.trafficReports(results));
        assertServersClosed(results);
    }

    @Test
    void passesWhenThePeerClosedWhileItsEchoIsStillDelayed() {
        EngineExecutionResults results = execute(DelayedEchoTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    static class DelayedEchoTestCase {

        @Test
        @EchoServer(failOnOpenConnections = true, latencyMillis = 60_000)
        void sendsAndClosesBeforeTheEcho(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            try (Socket socket = new Socket(server.host(), server.port())) {
                socket.getOutputStream().write("later".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            server.awaitConnections(1, Duration.ofSeconds(10)).get(0).awaitReceived("later", Duration.ofSeconds(10));
        }
    }

    static class LeakingTestCase {

        private static final List<Socket> LEAKED = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Test
        @EchoServer(failOnOpenConnections = true)
        void leaks(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            Socket socket = new Socket(server.host(), server.port());
            LEAKED.add(socket);
            socket.getOutputStream().write("leak".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(4);
        }

        @AfterAll
        static void closeLeaked() throws Exception {
            for (Socket socket : LEAKED) {
                socket.close();
            }
        }
    }

    @EchoServer(failOnOpenConnections = true)
    static class CleanTestCase {

        @Test
        void closesItsConnection(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            assertEquals("bye", EchoTestKit.roundTrip(server, "bye")); // closed as the test ends
        }

        @Test
        void leavesTheInjectedClientOpen(EmbeddedEchoServer server, EchoClient client, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            assertEquals("mine", client.send("mine").get(10, TimeUnit.SECONDS));
            server.awaitConnections(1, Duration.ofSeconds(10));
        }
    }
}
