package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.ports;
import static dev.echofixture.junit.EchoTestKit.trafficReports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** When a test fails, its servers' traffic and seeds are published as report entries. */
@Timeout(60)
class FailureReportTests {

    @Test
    void publishesEachConnectionsPeerCountsTextAndHexAndTheSeedWhenATestFails() {
        EngineExecutionResults results = execute(FailingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        List<Map<String, String>> reports = trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        Map<String, String> report = reports.get(0);
        int port = ports(results).get(0);
        assertEquals("method [FailingTestCase.sendsAndFails(EmbeddedEchoServer, TestReporter)] tcp://127.0.0.1:" + port,
                report.get("echo-server"));
        assertEquals("42", report.get("echo-server.seed"));
        assertEquals("1", report.get("echo-server.connections"));
        String connection = report.get("echo-server.connection-1");
        assertTrue(connection.startsWith("peer /127.0.0.1:"), connection);
        // a snapshot taken as the test ends: the server may not have seen the close or counted the echo yet
        assertTrue(connection.matches("peer /127\\.0\\.0\\.1:\\d+ \\(client port \\d+\\), (open|closed), received 7 bytes,"
                + " sent [07] bytes, .*"), connection);
        assertTrue(connection.endsWith("first 7 bytes: text \"hello\\r\\n\" hex 68 65 6c 6c 6f 0d 0a"), connection);
        assertServersClosed(results);
    }

    @Test
    void marksTheInjectedClientsConnection() {
        EngineExecutionResults results = execute(FailingWithClientTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        List<Map<String, String>> reports = trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        String connection = reports.get(0).get("echo-server.connection-1");
        String clientPort = EchoTestKit.published(results, "client-port").get(0);
        assertTrue(connection.contains("(client port " + clientPort + ", the injected EchoClient)"), connection);
        assertTrue(connection.contains("text \"ping\" hex 70 69 6e 67"), connection);
    }

    @Test
    void publishesNothingWhenTheTestPasses() {
        EngineExecutionResults results = execute(PassingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(List.of(), trafficReports(results));
    }

    static class FailingTestCase {

        @Test
        @EchoServer(seed = 42)
        void sendsAndFails(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            assertEquals("hello\r\n", EchoTestKit.roundTrip(server, "hello\r\n"));
            fail("the code under test misbehaved");
        }
    }

    @EchoServer
    static class FailingWithClientTestCase {

        @Test
        void sendsAndFails(EchoClient client, TestReporter reporter) throws Exception {
            reporter.publishEntry("client-port", Integer.toString(((InetSocketAddress) client.localAddress()).getPort()));
            assertEquals("ping", client.send("ping").get(10, TimeUnit.SECONDS));
            fail("the code under test misbehaved");
        }
    }

    @EchoServer
    static class PassingTestCase {

        @Test
        void sends(EmbeddedEchoServer server) throws Exception {
            assertEquals("fine", EchoTestKit.roundTrip(server, "fine"));
        }
    }
}
