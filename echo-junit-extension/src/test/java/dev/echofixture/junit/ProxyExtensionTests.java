package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoClient;
import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.ProxyOptions;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Proxy mode from the extension: the upstream taken lazily from the builder or a member the annotation names. */
@Timeout(60)
class ProxyExtensionTests {

    @Test
    void theBuildersSupplierIsAskedWhenAConnectionArrivesAfterBeforeEachStartedTheUpstream() {
        EngineExecutionResults results = execute(BuilderTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void theAnnotationNamesAStaticFieldOrMethodReadWhenAConnectionArrives() {
        EngineExecutionResults results = execute(AnnotationTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertServersClosed(results);
    }

    @Test
    void anUnknownMemberFailsNamingTheAttribute() {
        EngineExecutionResults results = execute(UnknownMemberTestCase.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("proxyTo: \"nowhere\" (expected: the name of a static field or static no-argument method")))));
    }

    @Test
    void aUdpProxyFailsNamingTheAttribute() {
        EngineExecutionResults results = execute(UdpProxyTestCase.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("@EchoServer on class [") && m.contains(": proxyTo: ")
                        && m.contains("expected: transport TCP or UNIX")))));
    }

    @Test
    void theFailureReportShowsTheDialogue() {
        EngineExecutionResults results = execute(FailingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        List<Map<String, String>> reports = EchoTestKit.trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        String connection = reports.get(0).get("echo-server.connection-1");
        assertTrue(connection.contains(", dialogue: +"), connection);
        assertTrue(connection.contains("ms > 5 B \"hello\""), connection);
        assertTrue(connection.contains("ms < 5 B \"hello\""), connection);
        assertServersClosed(results);
    }

    static class BuilderTestCase {

        static EmbeddedEchoServer upstream;

        @RegisterExtension
        EchoServerExtension proxy = EchoServerExtension.builder()
                .proxyTo(() -> upstream.socketAddress())
                .behavior(EchoBehavior.echo().latency(Duration.ofMillis(20)))
                .build();

        @BeforeEach
        void startUpstream() {
            upstream = EmbeddedEchoServer.start();
        }

        @AfterEach
        void stopUpstream() {
            upstream.close();
        }

        @Test
        void reachesTheUpstream(EchoClient client) {
            assertEquals("through", client.sendAndAwait("through"));
            EchoConnection connection = proxy.server().awaitConnections(1, Duration.ofSeconds(5)).get(0);
            assertEquals("through", connection.sentText());
        }
    }

    static class AnnotationTestCase {

        static EmbeddedEchoServer upstream;

        static SocketAddress upstreamAddress() {
            return upstream.socketAddress();
        }

        @BeforeEach
        void startUpstream() {
            upstream = EmbeddedEchoServer.start();
        }

        @AfterEach
        void stopUpstream() {
            upstream.close();
        }

        @Test
        void fromAField(@EchoServer(proxyTo = "upstream") EmbeddedEchoServer proxy) {
            try (EchoClient client = proxy.newClient()) {
                assertEquals("field", client.sendAndAwait("field"));
            }
        }

        @Test
        void fromAMethod(@EchoServer(proxyTo = "upstreamAddress") EmbeddedEchoServer proxy) {
            try (EchoClient client = proxy.newClient()) {
                assertEquals("method", client.sendAndAwait("method"));
            }
        }
    }

    static class UnknownMemberTestCase {
        @Test
        void test(@EchoServer(proxyTo = "nowhere") EmbeddedEchoServer proxy) {
        }
    }

    @EchoServer(transport = dev.echofixture.Transport.UDP, proxyTo = "tcp://127.0.0.1:9")
    static class UdpProxyTestCase {
        @Test
        void test(EmbeddedEchoServer proxy) {
        }
    }

    static class FailingTestCase {

        static EmbeddedEchoServer upstream = null;

        @RegisterExtension
        EchoServerExtension proxy = EchoServerExtension.builder()
                .proxy(ProxyOptions.to(() -> upstream.socketAddress()))
                .build();

        @BeforeEach
        void startUpstream() {
            upstream = EmbeddedEchoServer.start();
        }

        @AfterEach
        void stopUpstream() {
            upstream.close();
        }

        @Test
        void fails(EmbeddedEchoServer server) throws Exception {
            try (EchoClient client = server.newClient()) {
                assertEquals("hello", client.sendAndAwait("hello"));
            }
            throw new AssertionError("the code under test misbehaved");
        }
    }
}
