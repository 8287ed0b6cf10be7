package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertNoEchoFixtureThreads;
import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.ports;
import static dev.echofixture.junit.EchoTestKit.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * When servers and clients start and stop, and that nothing is left afterwards, also when a
 * test fails or times out. Isolated: it checks that no {@code echo-fixture} thread is alive at
 * all, which other tests running at the same time would spoil.
 */
@Isolated
@Timeout(60)
class LifecycleTests {

    @Test
    void staticServerRunsFromBeforeAllToAfterAllAndIsClosedAfterIt() {
        EngineExecutionResults results = execute(StaticLifecycleTestCase.class);
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertEquals(1, new HashSet<>(servers(results)).size());
        assertServersClosed(results);
        assertNoEchoFixtureThreads();
    }

    @Test
    void perClassLifecycleMethodsShareOneServerForTheClass() {
        EngineExecutionResults results = execute(PerClassLifecycleTestCase.class);
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertServersClosed(results);
    }

    @Test
    void closesServersAndClientsOfFailingAndTimedOutTests() {
        EngineExecutionResults results = execute(FailingTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).failed(2));
        assertEquals(2, ports(results).size());
        assertServersClosed(results);
        assertNoEchoFixtureThreads();
    }

    @Test
    void closesExplicitlyInAfterEachAndAfterAllNotOnlyThroughTheStore() {
        EngineExecutionResults results = execute(ExplicitCloseTestCase.class);
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(List.of("closed in afterEach", "closed in afterAll"), EchoTestKit.published(results, "seen"));
    }

    /**
     * Registered before the {@code @EchoServer} extension, so its after-callbacks run after the
     * extension's and before JUnit closes the store: it sees whether the extension closed the
     * servers itself.
     */
    static class SeesServersAfterTheExtension implements AfterEachCallback,
            AfterAllCallback {

        @Override
        public void afterEach(ExtensionContext context) {
            ExplicitCloseTestCase instance = (ExplicitCloseTestCase) context.getRequiredTestInstance();
            context.publishReportEntry("seen", instance.perTest.isRunning() ? "running in afterEach" : "closed in afterEach");
        }

        @Override
        public void afterAll(ExtensionContext context) {
            context.publishReportEntry("seen", ExplicitCloseTestCase.perClass.isRunning() ? "running in afterAll" : "closed in afterAll");
        }
    }

    @ExtendWith(SeesServersAfterTheExtension.class)
    @EchoServer
    static class ExplicitCloseTestCase {

        @EchoServer
        static EmbeddedEchoServer perClass;

        @EchoServer
        EmbeddedEchoServer perTest;

        @Test
        void test() {
            assertTrue(perClass.isRunning() && perTest.isRunning());
        }
    }

    static class StaticLifecycleTestCase {

        @EchoServer
        static EmbeddedEchoServer server;

        @BeforeAll
        static void running() {
            assertTrue(server.isRunning());
        }

        @Test
        void first(TestReporter reporter) {
            EchoServerExtensionTests.publishPort(reporter, server);
        }

        @Test
        void second(TestReporter reporter) {
            EchoServerExtensionTests.publishPort(reporter, server);
        }

        @AfterAll
        static void stillRunning(EmbeddedEchoServer parameter) throws Exception {
            assertSame(server, parameter);
            assertTrue(server.isRunning());
            assertEquals("last", EchoTestKit.roundTrip(server, "last"));
        }
    }

    @EchoServer
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassLifecycleTestCase {

        private EmbeddedEchoServer fromBeforeAll;

        @BeforeAll
        void beforeAll(EmbeddedEchoServer server, TestReporter reporter) {
            fromBeforeAll = server;
            EchoServerExtensionTests.publishPort(reporter, server);
        }

        @Test
        void test(EmbeddedEchoServer server, TestReporter reporter) {
            assertTrue(fromBeforeAll.isRunning());
            EchoServerExtensionTests.publishPort(reporter, server);
        }

        @AfterAll
        void afterAll(EmbeddedEchoServer server) {
            assertSame(fromBeforeAll, server);
            assertTrue(server.isRunning());
        }
    }

    @EchoServer
    static class FailingTestCase {

        @Test
        void fails(EmbeddedEchoServer server, EchoClient client, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            assertEquals("x", client.send("x").get(10, TimeUnit.SECONDS));
            fail("on purpose");
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
        void timesOut(EmbeddedEchoServer server, EchoClient client, TestReporter reporter) throws Exception {
            EchoServerExtensionTests.publishPort(reporter, server);
            new CompletableFuture<Void>().get(); // never completes: interrupted by the time-out
        }
    }
}
