package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.trafficReports;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoClient;
import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.FaultPlan;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Fault plans through {@code @EchoServer(faultPlan = ...)} and the extension's builder, and in the failure report. */
@Timeout(60)
class FaultPlanExtensionTests {

    static FaultPlan resetFirst() {
        return FaultPlan.connections().first(1, EchoBehavior.echo().resetAfter(3));
    }

    /** Sends {@code hello} on a new connection; returns what came back before the end, and whether it was a reset. */
    static String exchange(EmbeddedEchoServer server) throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.socketAddress();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("hello".getBytes(US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            try {
                while (got.length() < 5) {
                    int b = in.read();
                    if (b < 0) {
                        return got + " (end)";
                    }
                    got.append((char) b);
                }
            } catch (SocketException e) {
                return got + " (reset)";
            }
            return got.toString();
        }
    }

    @Test
    void theAnnotationNamesAStaticFactoryMethodOfTheTestClass() {
        EngineExecutionResults results = execute(AnnotatedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    static class AnnotatedTestCase {

        @Test
        void firstConnectionIsReset(@EchoServer(faultPlan = "resetFirst") EmbeddedEchoServer server) throws IOException {
            assertEquals("hel (reset)", exchange(server));
            assertEquals("hello", exchange(server));
            assertEquals(resetFirst(), server.faultPlan());
        }
    }

    @Test
    void theAnnotationNamesAMethodOfAnotherClassWithAHash() {
        EngineExecutionResults results = execute(OtherClassTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    static class OtherClassTestCase {

        @Test
        void firstConnectionIsReset(@EchoServer(faultPlan = "dev.echofixture.junit.FaultPlanExtensionTests#resetFirst")
                                    EmbeddedEchoServer server) throws IOException {
            assertEquals("hel (reset)", exchange(server));
        }
    }

    @Test
    void theExtensionsBuilderTakesAPlan() {
        EngineExecutionResults results = execute(BuilderTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    static class BuilderTestCase {

        @RegisterExtension
        static EchoServerExtension echo = EchoServerExtension.builder()
                .faultPlan(FaultPlan.connections().nth(2, EchoBehavior.echo().closeAfter(2)))
                .build();

        @Test
        void secondConnectionIsClosed(EmbeddedEchoServer server) throws IOException {
            assertEquals("hello", exchange(server));
            assertEquals("he (end)", exchange(server));
        }
    }

    @Test
    void theInjectedClientIsAConnectionLikeAnyOther() {
        EngineExecutionResults results = execute(InjectedClientTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    static class InjectedClientTestCase {

        static FaultPlan silentFirst() {
            return FaultPlan.connections().first(1, EchoBehavior.echo().silent());
        }

        @Test
        void theClientIsConnectionOne(@EchoServer(faultPlan = "silentFirst") EmbeddedEchoServer server, EchoClient client)
                throws Exception {
            EchoConnection first = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
            assertEquals(List.of("EchoBehavior.echo().silent() (plan: first 1)"), first.faults());
            assertEquals("hello", exchange(server));
            client.send("ping");
            first.awaitReceived("ping", Duration.ofSeconds(10));
            assertEquals(0, first.bytesSent());
        }
    }

    @Test
    void theFailureReportShowsThePlanAndWhatItDidToEachConnection() {
        EngineExecutionResults results = execute(FailingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Map<String, String> report = trafficReports(results).get(0);
        assertEquals(resetFirst().toString(), report.get("echo-server.faultPlan"));
        String connection = report.get("echo-server.connection-1");
        assertTrue(connection.contains(", faults [EchoBehavior.echo().resetAfter(3) (plan: first 1),"
                + " reset after 3 bytes echoed (plan: first 1)], received 5 bytes"), connection);
        assertServersClosed(results);
    }

    static class FailingTestCase {

        @Test
        void fails(@EchoServer(faultPlan = "resetFirst") EmbeddedEchoServer server) throws Exception {
            assertEquals("hel (reset)", exchange(server));
            server.awaitConnections(1, Duration.ofSeconds(10)).get(0).awaitClosed(Duration.ofSeconds(10));
            fail("the code under test misbehaved");
        }
    }

    @Test
    void aMissingMethodFailsNamingTheAttribute() {
        execute(MissingMethodTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("faultPlan: \"noSuchPlan\" (expected: the name of a static method with no parameters"
                        + " returning FaultPlan, in dev.echofixture.junit.FaultPlanExtensionTests$MissingMethodTestCase")))));
    }

    static class MissingMethodTestCase {

        @Test
        void test(@EchoServer(faultPlan = "noSuchPlan") EmbeddedEchoServer server) {
        }
    }

    @Test
    void aBadPlanFailsNamingTheAttributeAndTheRule() {
        execute(BadPlanTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("faultPlan: \"badPlan\" (expected: a method that returns a plan; it threw"
                        + " dev.echofixture.SettingException: withProbability: 1.5")))));
    }

    static class BadPlanTestCase {

        static FaultPlan badPlan() {
            return FaultPlan.connections().withProbability(1.5, EchoBehavior.echo().silent());
        }

        @EchoServer(faultPlan = "badPlan")
        EmbeddedEchoServer server;

        @Test
        void test() {
        }
    }

    @Test
    void aPlanTheTransportCannotCarryOutFailsAtStartNamingTheAttribute() {
        execute(UdpResetTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("faultPlan: 'first 1' with resetAfter: 3")))));
    }

    static class UdpResetTestCase {

        @Test
        void test(@EchoServer(transport = dev.echofixture.Transport.UDP, faultPlan = "dev.echofixture.junit.FaultPlanExtensionTests#resetFirst")
                  EmbeddedEchoServer server) {
        }
    }

    @Test
    void theBuilderRejectsNoPlan() {
        assertThrows(IllegalArgumentException.class, () -> EchoServerExtension.builder().faultPlan(null));
    }
}
