package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.executeWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EmbeddedEchoServer;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The configuration parameters echofixture.seed, echofixture.host and echofixture.failOnOpenConnections. */
@Timeout(60)
class ConfigurationTests {

    @Test
    void theSeedAppliesToEveryServerThatSetsNoneAndAnAttributeWins() {
        EngineExecutionResults results = executeWith(Map.of(Configuration.SEED, "1234"), SeedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(List.of("1234", "1234", "1234", "77", "88"), EchoTestKit.published(results, "seed"));
    }

    @Test
    void theHostIsTheDefaultBindHostAndAnAttributeWins() {
        assumeTrue(bindable("127.0.0.2"), "127.0.0.2 is not a loopback address here");
        EngineExecutionResults results = executeWith(Map.of(Configuration.HOST, "127.0.0.2"), HostTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(List.of("127.0.0.2", "127.0.0.2", "127.0.0.1", "127.0.0.1"), EchoTestKit.published(results, "host"));
    }

    private static boolean bindable(String host) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress(host, 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void failOnOpenConnectionsBecomesTheDefaultAndABuilderSettingWins() {
        EngineExecutionResults results = executeWith(Map.of(Configuration.FAIL_ON_OPEN_CONNECTIONS, "true"), LeakTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(AssertionError.class),
                message(m -> m.startsWith("1 connection still open after the test (failOnOpenConnections, turned on by the"
                        + " configuration parameter echofixture.failOnOpenConnections=true): parameter [EmbeddedEchoServer arg0]"
                        + " in method [LeakTestCase.leaksOnAnAnnotatedServer")))));
        LeakTestCase.closeLeaked();
    }

    @Test
    void aBadValueNamesTheParameterAndTheFix() {
        EngineExecutionResults results = executeWith(Map.of(Configuration.SEED, "forty-two"), SeedTestCase.class);
        results.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                message("Configuration parameter echofixture.seed: forty-two (expected: a whole number such as 42, the seed shown"
                        + " in a failure report); fix it in junit-platform.properties or -Dechofixture.seed=..., or remove it"))));
        EngineExecutionResults bool = executeWith(Map.of(Configuration.FAIL_ON_OPEN_CONNECTIONS, "yes"), LeakTestCase.class);
        bool.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("Configuration parameter echofixture.failOnOpenConnections: yes (expected: true or false)")))));
    }

    @Test
    void anUnknownKeyFailsNamingTheNearestKnownKeyAndWhereItIs() {
        Configuration.checkKeys(Map.of(Configuration.SEED, "the system property -Dechofixture.seed"));
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class, () -> Configuration.checkKeys(
                Map.of("echofixture.failOnOpenConnection", "file:/project/target/test-classes/junit-platform.properties")));
        assertEquals("Configuration parameter echofixture.failOnOpenConnection (in file:/project/target/test-classes/"
                + "junit-platform.properties) is not one echo-fixture reads: did you mean echofixture.failOnOpenConnections?"
                + " (expected one of echofixture.seed, echofixture.host, echofixture.failOnOpenConnections); fix or remove it",
                e.getMessage());
        ExtensionConfigurationException caseOnly = assertThrows(ExtensionConfigurationException.class,
                () -> Configuration.checkKeys(Map.of("echofixture.Seed", "the system property -Dechofixture.Seed")));
        assertTrue(caseOnly.getMessage().contains("did you mean echofixture.seed?"), caseOnly.getMessage());
        assertEquals(1, Configuration.distance("abc", "abd"));
        assertEquals(1, Configuration.distance("failOnOpenConnection", "failOnOpenConnections"));
    }

    /** Regression (issue 22): echofixture.failOnOpenConnection=true (singular) did nothing and the leak passed. */
    @Test
    void aMistypedKeyInJunitPlatformPropertiesFailsTheRun(@TempDir Path classPath) throws Exception {
        Files.writeString(classPath.resolve("junit-platform.properties"), "echofixture.failOnOpenConnection=true\n");
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classPath.toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader); // this thread only: the engine kit runs the fixture here
            EngineExecutionResults results = EchoTestKit.execute(LeakTestCase.class);
            results.allEvents().assertThatEvents().haveAtLeast(1, event(finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(m -> m.startsWith("Configuration parameter echofixture.failOnOpenConnection (in file:")
                            && m.contains("did you mean echofixture.failOnOpenConnections?")))));
            results.testEvents().assertStatistics(stats -> stats.succeeded(0));
        } finally {
            thread.setContextClassLoader(original);
            LeakTestCase.closeLeaked();
        }
    }

    static class SeedTestCase {

        @RegisterExtension
        static EchoServerExtension unset = EchoServerExtension.builder().build();

        @RegisterExtension
        static EchoServerExtension set = EchoServerExtension.builder().seed(88).build();

        @Test
        void seeds(@EchoServer EmbeddedEchoServer plain, @EchoServer(latencyMillis = 1) EmbeddedEchoServer slow,
                   @EchoServer(seed = 77) EmbeddedEchoServer seeded, TestReporter reporter) {
            for (EmbeddedEchoServer server : List.of(plain, slow, unset.server(), seeded, set.server())) {
                reporter.publishEntry("seed", Long.toString(server.seed()));
            }
        }
    }

    static class HostTestCase {

        @RegisterExtension
        EchoServerExtension unset = EchoServerExtension.builder().build();

        @RegisterExtension
        static EchoServerExtension set = EchoServerExtension.builder().host("127.0.0.1").build();

        @Test
        void hosts(@EchoServer EmbeddedEchoServer plain, @EchoServer(host = "localhost") EmbeddedEchoServer other,
                   TestReporter reporter) {
            for (EmbeddedEchoServer server : List.of(plain, unset.server(), other, set.server())) {
                reporter.publishEntry("host", server.host());
            }
        }
    }

    static class LeakTestCase {

        private static final List<Socket> LEAKED = new java.util.concurrent.CopyOnWriteArrayList<>();

        @RegisterExtension
        EchoServerExtension lenient = EchoServerExtension.builder().failOnOpenConnections(false).build();

        @Test
        void leaksOnTheLenientServer() throws Exception {
            LEAKED.add(new Socket(lenient.server().host(), lenient.server().port()));
            lenient.server().awaitConnections(1, Duration.ofSeconds(10));
        }

        @Test
        void leaksOnAnAnnotatedServer(@EchoServer EmbeddedEchoServer server) throws Exception {
            LEAKED.add(new Socket(server.host(), server.port()));
            server.awaitConnections(1, Duration.ofSeconds(10));
        }

        static void closeLeaked() {
            for (Socket socket : LEAKED) {
                try {
                    socket.close();
                } catch (java.io.IOException e) {
                    // already closed
                }
            }
        }
    }
}
