package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoServerExtensionTests.distinct;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @RegisterExtension EchoServerExtension}: built in code, one server per class or per test. */
@Timeout(60)
class RegisterExtensionTests {

    @Test
    void aStaticFieldGivesOneServerForTheClassInjectedAndReachableFromTheField() {
        EngineExecutionResults results = execute(StaticTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        assertEquals(1, distinct(servers(results)), () -> "one server for the class: " + servers(results));
        assertServersClosed(results);
    }

    @Test
    void anInstanceFieldGivesAFreshServerForEachTest() {
        EngineExecutionResults results = execute(InstanceTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertEquals(2, distinct(servers(results)), () -> "one server per test: " + servers(results));
        assertServersClosed(results);
    }

    @Test
    void takesSettingsTheAnnotationCannotExpress() {
        EngineExecutionResults results = execute(SettingsTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void servesTlsWithTheGivenOptionsTheInjectedClientTrustingTheServer() {
        EngineExecutionResults results = execute(TlsTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void mixesWithAnnotationsTheInstanceFieldBeingTheDefault() {
        EngineExecutionResults results = execute(MixedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void reportsTheTrafficOfAFailedTestNamingTheField() {
        EngineExecutionResults results = execute(FailingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        List<Map<String, String>> reports = EchoTestKit.trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        assertTrue(reports.get(0).get("echo-server").startsWith("field [FailingTestCase.echo] tcp://127.0.0.1:"), reports.toString());
        assertEquals("7", reports.get(0).get("echo-server.seed"));
        assertServersClosed(results);
    }

    @Test
    void failsOnOpenConnectionsWhenAsked() {
        EngineExecutionResults results = execute(LeakingTestCase.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(AssertionError.class),
                message(m -> m.startsWith("1 connection still open after the test (failOnOpenConnections, turned on by"
                        + " EchoServerExtension.builder().failOnOpenConnections(true)): ")
                        && m.contains("field [LeakingTestCase.echo]")))));
        LeakingTestCase.closeLeaked();
        assertServersClosed(results);
    }

    @Test
    void twoDefaultCandidatesAtOneLevelAreAnError() {
        EngineExecutionResults results = execute(TwoStaticTestCase.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("has 2 static @EchoServer or @RegisterExtension EchoServerExtension fields [first, second]; keep one")))));
    }

    @Test
    void aBadSettingFailsWhereItIsWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EchoServerExtension.builder().port(70000));
        assertEquals("port: 70000 (expected: 0 to 65535, 0 for an ephemeral port)", e.getMessage());
    }

    @Test
    void serverBeforeAnyStartSaysWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EchoServerExtension.builder().build().server());
        assertTrue(e.getMessage().startsWith("EchoServerExtension has no server yet: register it with @RegisterExtension"), e.getMessage());
    }

    static class StaticTestCase {

        @RegisterExtension
        static EchoServerExtension echo = EchoServerExtension.builder().seed(5).build();

        static EmbeddedEchoServer seenInBeforeAll;

        @BeforeAll
        static void before() {
            seenInBeforeAll = echo.server();
            assertTrue(seenInBeforeAll.isRunning());
        }

        @Test
        void injectsTheServer(EmbeddedEchoServer server, TestReporter reporter) {
            assertSame(echo.server(), server);
            assertSame(seenInBeforeAll, server);
            assertEquals(5, server.seed());
            EchoServerExtensionTests.publishPort(reporter, server);
        }

        @Test
        void connectsAnInjectedClient(EchoClient client, TestReporter reporter) {
            assertEquals("hi", client.sendAndAwait("hi"));
            EchoServerExtensionTests.publishPort(reporter, echo.server());
        }

        @Nested
        class Inner {
            @Test
            void seesTheSameServer(EmbeddedEchoServer server, TestReporter reporter) {
                assertSame(seenInBeforeAll, server);
                EchoServerExtensionTests.publishPort(reporter, server);
            }
        }

        @AfterAll
        static void after() {
            assertTrue(echo.server().isRunning(), "still running in @AfterAll");
        }
    }

    static class InstanceTestCase {

        @RegisterExtension
        EchoServerExtension echo = EchoServerExtension.builder().build();

        @Test
        void first(EmbeddedEchoServer server, TestReporter reporter) {
            assertSame(echo.server(), server);
            EchoServerExtensionTests.publishPort(reporter, server);
        }

        @Test
        void second(EmbeddedEchoServer server, EchoClient client, TestReporter reporter) {
            assertSame(echo.server(), server);
            assertEquals("hi", client.sendAndAwait("hi"));
            EchoServerExtensionTests.publishPort(reporter, server);
        }
    }

    static class SettingsTestCase {

        @RegisterExtension
        EchoServerExtension echo = EchoServerExtension.builder()
                .transport(Transport.UNIX)
                .idleTimeout(Duration.ofSeconds(30))
                .behavior(EchoBehavior.echo().chunkSize(2))
                .recordLimit(3)
                .maxConnections(2)
                .build();

        @Test
        void usesThem(EmbeddedEchoServer server, EchoClient client) {
            assertEquals(Transport.UNIX, server.transport());
            assertTrue(server.socketAddress() instanceof UnixDomainSocketAddress);
            assertEquals(EchoBehavior.echo().chunkSize(2), server.behavior());
            assertEquals("hello", client.sendAndAwait("hello"));
            server.connections().get(0).awaitReceived("hel", Duration.ofSeconds(10));
            assertEquals("hel", server.connections().get(0).receivedText());
        }
    }

    static class TlsTestCase {

        @RegisterExtension
        EchoServerExtension echo = EchoServerExtension.builder()
                .tls(TlsOptions.defaults().protocols("TLSv1.3"))
                .build();

        @Test
        void echoesOverTls(EmbeddedEchoServer server, EchoClient client) {
            assertEquals(Transport.TLS, server.transport());
            assertTrue(server.uri().toString().startsWith("tls://"), server.uri().toString());
            assertEquals("secret", client.sendAndAwait("secret"));
            assertEquals("TLSv1.3", server.connections().get(0).awaitTls(Duration.ofSeconds(10)).protocol());
            server.connections().get(0).awaitReceived("secret", Duration.ofSeconds(10));
        }
    }

    @EchoServer(seed = 1)
    static class MixedTestCase {

        @RegisterExtension
        EchoServerExtension echo = EchoServerExtension.builder().seed(2).build();

        @EchoServer(seed = 3)
        static EmbeddedEchoServer shared;

        @Test
        void test(EmbeddedEchoServer server, @EchoServer(seed = 4) EmbeddedEchoServer own) {
            assertSame(echo.server(), server, "the instance field is the default");
            assertEquals(2, server.seed());
            assertEquals(3, shared.seed());
            assertEquals(4, own.seed());
        }
    }

    static class FailingTestCase {

        @RegisterExtension
        static EchoServerExtension echo = EchoServerExtension.builder().seed(7).build();

        @Test
        void fails(EchoClient client) {
            client.sendAndAwait("oops");
            throw new AssertionError("the code under test misbehaved");
        }
    }

    static class LeakingTestCase {

        private static final List<java.net.Socket> LEAKED = new java.util.concurrent.CopyOnWriteArrayList<>();

        @RegisterExtension
        EchoServerExtension echo = EchoServerExtension.builder().failOnOpenConnections(true).build();

        @Test
        void leaks() throws Exception {
            java.net.Socket socket = new java.net.Socket(echo.server().host(), echo.server().port());
            LEAKED.add(socket);
            echo.server().awaitConnections(1, Duration.ofSeconds(10));
        }

        static void closeLeaked() {
            for (java.net.Socket socket : LEAKED) {
                try {
                    socket.close();
                } catch (java.io.IOException e) {
                    // already closed
                }
            }
        }
    }

    static class TwoStaticTestCase {

        @RegisterExtension
        static EchoServerExtension first = EchoServerExtension.builder().build();

        @RegisterExtension
        static EchoServerExtension second = EchoServerExtension.builder().build();

        @Test
        void test(EmbeddedEchoServer server) {
        }
    }
}
