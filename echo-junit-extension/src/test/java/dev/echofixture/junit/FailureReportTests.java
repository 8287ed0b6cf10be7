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
    void attachesTheReportToTheFailureAsASuppressedExceptionSoThatEveryToolShowsIt() {
        EngineExecutionResults results = execute(FailingTestCase.class);
        Throwable failure = EchoTestKit.failures(results).get(0);
        assertEquals("the code under test misbehaved", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length, () -> List.of(failure.getSuppressed()).toString());
        Throwable report = failure.getSuppressed()[0];
        assertEquals(TrafficReportException.class, report.getClass());
        assertEquals(0, report.getStackTrace().length, "only the message matters");
        String[] lines = report.getMessage().split("\\R");
        assertEquals("traffic of the echo servers of FailingTestCase > sendsAndFails(EmbeddedEchoServer, TestReporter):", lines[0]);
        int port = ports(results).get(0);
        assertEquals("  echo-server              = method [FailingTestCase.sendsAndFails(EmbeddedEchoServer, TestReporter)]"
                + " tcp://127.0.0.1:" + port, lines[1]);
        assertEquals("  echo-server.behavior     = EchoBehavior.echo()", lines[2]);
        assertEquals("  echo-server.seed         = 42", lines[3]);
        assertEquals("  echo-server.connections  = 1", lines[4]);
        assertTrue(lines[5].startsWith("  echo-server.connection-1 = peer /127.0.0.1:"), lines[5]);
        assertTrue(lines[5].endsWith("first 7 bytes: text \"hello\\r\\n\" hex 68 65 6c 6c 6f 0d 0a"), lines[5]);
        assertEquals(6, lines.length, report.getMessage());
    }

    /** Regression (issue 22): the header read "... > repetition 1 of 2" without the method's name. */
    @Test
    void theHeaderOfARepetitionNamesTheMethod() {
        EngineExecutionResults results = execute(FailingRepeatedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).failed(2));
        String header = EchoTestKit.failures(results).get(0).getSuppressed()[0].getMessage().split("\\R")[0];
        assertEquals("traffic of the echo servers of FailingRepeatedTestCase > fails(EmbeddedEchoServer) > repetition 1 of 2:",
                header);
    }

    @Test
    void givesEachServerOfOneTestItsOwnKeys() {
        EngineExecutionResults results = execute(TwoServersTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        List<Map<String, String>> reports = trafficReports(results);
        assertEquals(2, reports.size(), () -> "reports: " + reports);
        List<String> ports = EchoTestKit.published(results, "port");
        assertEquals(List.of("echo-server", "echo-server.behavior", "echo-server.seed", "echo-server.connections",
                "echo-server.connection-1"), List.copyOf(reports.get(0).keySet()));
        assertEquals(List.of("echo-server-2", "echo-server-2.behavior", "echo-server-2.seed", "echo-server-2.connections"),
                List.copyOf(reports.get(1).keySet()));
        // the server's behaviour is the first thing to know about a failure
        assertEquals(dev.echofixture.EchoBehavior.echo().silent().toString(), reports.get(1).get("echo-server-2.behavior"));
        assertTrue(reports.get(0).get("echo-server").endsWith("tcp://127.0.0.1:" + ports.get(0)), reports.get(0).toString());
        assertTrue(reports.get(1).get("echo-server-2").endsWith("tcp://127.0.0.1:" + ports.get(1)), reports.get(1).toString());
        assertEquals("7", reports.get(1).get("echo-server-2.seed"));
        String message = EchoTestKit.failures(results).get(0).getSuppressed()[0].getMessage();
        assertTrue(message.matches("(?s).*\\R  echo-server-2 += parameter \\[EmbeddedEchoServer arg1] .*"), message);
        assertTrue(message.matches("(?s).*\\R  echo-server-2\\.seed += 7(\\R.*|$)"), message);
        assertServersClosed(results);
    }

    @Test
    void publishesNothingWhenTheTestPasses() {
        EngineExecutionResults results = execute(PassingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(List.of(), trafficReports(results));
    }

    @Test
    void showsTheTlsHandshakeOfEachConnectionCompletedOrFailed() {
        EngineExecutionResults results = execute(FailingTlsTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        List<Map<String, String>> reports = trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        Map<String, String> report = reports.get(0);
        assertEquals("2", report.get("echo-server.connections"), () -> "report: " + report);
        String trusted = report.get("echo-server.connection-1");
        assertTrue(trusted.matches(".*, (open|closed), TlsHandshake\\[COMPLETED, TLSv1\\.3, TLS_.*"), trusted); // no SNI: the JDK sends none for "localhost"
        assertTrue(trusted.endsWith("first 6 bytes: text \"secret\" hex 73 65 63 72 65 74"), trusted);
        String untrusted = report.get("echo-server.connection-2");
        // the server marks the handshake failed before it closes the connection: the snapshot may still say "open"
        assertTrue(untrusted.matches(".*, (open|closed), TlsHandshake\\[FAILED, .*"), untrusted);
        assertTrue(untrusted.contains("received 0 bytes"), untrusted);
        assertServersClosed(results);
    }

    static class FailingTlsTestCase {

        @Test
        @EchoServer(transport = dev.echofixture.Transport.TLS)
        void trustsOnceThenNotAndFails(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            java.net.URI uri = java.net.URI.create("tls://localhost:" + server.port());
            try (EchoClient trusted = EchoClient.connect(uri, server.sslContextForClients())) {
                assertEquals("secret", trusted.send("secret").get(10, TimeUnit.SECONDS));
            }
            javax.net.ssl.SSLContext jvmDefault = javax.net.ssl.SSLContext.getDefault(); // does not trust the test CA
            try (EchoClient untrusted = EchoClient.connect(uri, jvmDefault)) {
                fail("connected without trusting the server: " + untrusted);
            } catch (RuntimeException expected) {
                // the handshake failed on the client's side; the server records it
            }
            server.awaitConnections(2, java.time.Duration.ofSeconds(10)).get(1).awaitTls(java.time.Duration.ofSeconds(10));
            fail("fails on purpose");
        }
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

    static class FailingRepeatedTestCase {

        @org.junit.jupiter.api.RepeatedTest(2)
        void fails(@EchoServer EmbeddedEchoServer server) {
            fail("the code under test misbehaved");
        }
    }

    static class TwoServersTestCase {

        @Test
        void usesTwoServersAndFails(@EchoServer(seed = 6) EmbeddedEchoServer first,
                                    @EchoServer(seed = 7, silent = true) EmbeddedEchoServer second,
                                    TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, first);
            EchoServerExtensionTests.publishPort(reporter, second);
            assertEquals("one", EchoTestKit.roundTrip(first, "one"));
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
