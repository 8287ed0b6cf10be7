package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @EchoServer} on a parameter or field of type {@code URI} or {@code InetSocketAddress}:
 * the address of the server that an {@code EmbeddedEchoServer} declared in that place would get.
 */
@Timeout(60)
class AddressInjectionTests {

    @Test
    void anAnnotatedParameterGetsItsOwnServersAddressWhichIsTheDefaultServer() {
        EngineExecutionResults results = execute(ParameterTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void annotatedFieldsGetTheAddressOfTheFieldsServerWhichIsTheDefaultServer() {
        EngineExecutionResults results = execute(StaticFieldTestCase.class, InstanceFieldTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        assertServersClosed(results);
    }

    @Test
    void anInetSocketAddressOfAUnixServerFailsNamingTheParameterAndTheFix() {
        EngineExecutionResults results = execute(UnixAddressTestCase.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ParameterResolutionException.class),
                message("@EchoServer parameter [InetSocketAddress arg0] in method [UnixAddressTestCase.test(InetSocketAddress)]"
                        + " is of type InetSocketAddress, but its server is a UNIX server, which listens on a socket file and has"
                        + " no InetSocketAddress; declare it as URI (unix:...) or as EmbeddedEchoServer (socketAddress())"))));
        EngineExecutionResults field = execute(UnixAddressFieldTestCase.class);
        field.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@EchoServer field [UnixAddressFieldTestCase.address] is of type InetSocketAddress,")))));
        assertServersClosed(field);
    }

    static class ParameterTestCase {

        @Test
        void test(@EchoServer(transport = Transport.UNIX) URI uri, EmbeddedEchoServer server, EchoClient client) throws Exception {
            // the one annotated parameter is the test's default server: its recording is one parameter away
            assertEquals(server.uri(), uri);
            assertTrue(uri.toString().startsWith("unix:"), uri.toString());
            assertEquals("via the uri", client.sendAndAwait("via the uri"));
            try (EchoClient own = EchoClient.connect(uri)) {
                assertEquals("again", own.sendAndAwait("again"));
            }
            assertEquals("via the uri", server.awaitConnections(1, Duration.ofSeconds(10)).get(0).receivedText());
        }
    }

    static class StaticFieldTestCase {

        @EchoServer(seed = 5)
        static InetSocketAddress address;

        @Test
        void test(EmbeddedEchoServer server) throws Exception {
            assertEquals(server.address(), address);
            assertEquals(5, server.seed());
            assertEquals("hi", EchoTestKit.roundTrip(server, "hi"));
        }
    }

    static class InstanceFieldTestCase {

        @EchoServer
        URI uri;

        static URI previous;

        @Test
        void first(EmbeddedEchoServer server) {
            check(server);
        }

        @Test
        void second(EmbeddedEchoServer server) {
            check(server);
        }

        private synchronized void check(EmbeddedEchoServer server) {
            assertEquals(server.uri(), uri);
            assertTrue(uri.toString().startsWith("tcp://127.0.0.1:"), uri.toString());
            assertTrue(previous == null || !previous.equals(uri), "a fresh server per test");
            previous = uri;
            assertSame(Transport.TCP, server.transport());
        }
    }

    static class UnixAddressTestCase {

        @Test
        void test(@EchoServer(transport = Transport.UNIX) InetSocketAddress address) {
        }
    }

    static class UnixAddressFieldTestCase {

        @EchoServer(transport = Transport.UNIX)
        InetSocketAddress address;

        @Test
        void test(TestReporter reporter) {
        }
    }
}
