package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.executeWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.SettingException;
import dev.echofixture.Transport;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Settings that do not apply to the transport fail with the core's one message on every
 * surface, attribute defaults and configuration parameters never do; a misplaced
 * {@code @EchoServer} says where it may go.
 */
@Timeout(60)
class ApplicabilityTests {

    /** The core's message, which every surface repeats under its own name for the setting. */
    private static final String PORT_ON_UNIX = "1234 (expected: no port with transport UNIX, which listens on a socket file;"
            + " drop port, or use unixSocketPath)";

    @Test
    void aPortOnAUnixServerFailsWithTheCoresMessageOnEverySurface() {
        SettingException core = assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).port(1234).start());
        assertEquals("port: " + PORT_ON_UNIX, core.getMessage());

        EngineExecutionResults annotation = execute(UnixPortTestCase.class);
        annotation.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message("@EchoServer on parameter [EmbeddedEchoServer arg0] in method [UnixPortTestCase.test(EmbeddedEchoServer)]:"
                        + " port: " + PORT_ON_UNIX + "; fix the @EchoServer attributes"))));
        assertServersClosed(annotation);

        EngineExecutionResults builder = execute(UnixPortBuilderTestCase.class);
        builder.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("EchoServerExtension in field [UnixPortBuilderTestCase.echo]: port: " + PORT_ON_UNIX
                        + "; fix the builder's settings"))));
    }

    @Test
    void aChunkSizeOnAUdpServerFailsNamingTheAttribute() {
        EngineExecutionResults results = execute(UdpChunkSizeTestCase.class);
        results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.endsWith(": @EchoServer on class [" + UdpChunkSizeTestCase.class.getName() + "]: chunkSize: 4"
                        + " (expected: no chunkSize with transport UDP, which echoes each datagram whole; drop chunkSize);"
                        + " fix the @EchoServer attributes")))));
    }

    @Test
    void theHostParameterLeavesUnixServersAloneAndDefaultsNeverTriggerTheCheck() {
        EngineExecutionResults results = executeWith(Map.of(Configuration.HOST, "127.0.0.1"), MixedTransportsTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void anAnnotationOnALifecycleMethodSaysWhereItMayGo() {
        EngineExecutionResults results = execute(AnnotatedBeforeEachTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@EchoServer on method [AnnotatedBeforeEachTestCase.setUp(EmbeddedEchoServer)], a @BeforeEach method,"
                        + " configures nothing there: put it on the test class, a test method, a field, or a parameter of that"
                        + " method (for example setUp(@EchoServer EmbeddedEchoServer server)), and remove it from the method"))));
    }

    @Test
    void anAnnotationOnALifecycleMethodIsFoundAlsoWhenOnlyATestMethodRegistersTheExtension() {
        EngineExecutionResults results = execute(ParameterOnlyTestCase.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@EchoServer on method [ParameterOnlyTestCase.setUp(EmbeddedEchoServer)], a @BeforeEach")))));
    }

    static class UnixPortTestCase {

        @Test
        void test(@EchoServer(transport = Transport.UNIX, port = 1234) EmbeddedEchoServer server) {
        }
    }

    static class UnixPortBuilderTestCase {

        @RegisterExtension
        static EchoServerExtension echo = EchoServerExtension.builder().transport(Transport.UNIX).port(1234).build();

        @Test
        void test() {
        }
    }

    @EchoServer(transport = Transport.UDP, chunkSize = 4)
    static class UdpChunkSizeTestCase {

        @Test
        void test(EmbeddedEchoServer server) {
        }
    }

    static class MixedTransportsTestCase {

        @Test
        void test(@EchoServer(transport = Transport.UNIX) EmbeddedEchoServer unix,
                  @EchoServer(transport = Transport.UDP, closeAfter = 4) EmbeddedEchoServer udp,
                  @EchoServer EmbeddedEchoServer tcp) throws Exception {
            assertEquals(Transport.UNIX, unix.transport());
            assertEquals("127.0.0.1", udp.host());
            assertEquals("ok", EchoTestKit.roundTrip(tcp, "ok"));
        }
    }

    @EchoServer
    static class AnnotatedBeforeEachTestCase {

        @BeforeEach
        @EchoServer(latencyMillis = 5)
        void setUp(EmbeddedEchoServer server) {
        }

        @Test
        void test(EmbeddedEchoServer server) {
        }
    }

    static class ParameterOnlyTestCase {

        @BeforeEach
        @EchoServer(latencyMillis = 5)
        void setUp(EmbeddedEchoServer server) {
        }

        @Test
        void test(@EchoServer EmbeddedEchoServer server) {
        }
    }
}
