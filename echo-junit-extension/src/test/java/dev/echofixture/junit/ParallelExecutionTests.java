package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.executeInParallel;
import static dev.echofixture.junit.EchoTestKit.ports;
import static dev.echofixture.junit.EchoTestKit.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Tests run in parallel (junit.jupiter.execution.parallel.enabled=true), each with its own server. */
@Timeout(120)
class ParallelExecutionTests {

    @Test
    void manyTestsInParallelEachGetTheirOwnServerAndClient() {
        EngineExecutionResults results = executeInParallel(ParallelTestCase.class, OtherParallelTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(40).succeeded(40));
        List<Integer> ports = ports(results);
        assertEquals(40, ports.size());
        assertEquals(40, new HashSet<>(servers(results)).size(), "no two tests share a server");
        assertServersClosed(results);
    }

    @Test
    void testsSharingAStaticServerInParallelAllEcho() {
        EngineExecutionResults results = executeInParallel(SharedServerTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(20).succeeded(20));
        assertEquals(1, new HashSet<>(servers(results)).size());
        assertServersClosed(results);
    }

    @Test
    void dynamicTestsRunningInParallelUseTheFactorysServerUntilTheyEnd() {
        EngineExecutionResults results = executeInParallel(FactoryTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(10).succeeded(10));
        assertServersClosed(results);
    }

    @EchoServer
    static class ParallelTestCase {

        @RepeatedTest(20)
        void echoes(EmbeddedEchoServer server, EchoClient client, TestReporter reporter) throws Exception {
            String text = "message from " + Thread.currentThread().getName() + " to " + server.port();
            assertEquals(text, client.send(text).get(10, TimeUnit.SECONDS));
            EchoServerExtensionTests.publishPort(reporter, server);
        }
    }

    static class OtherParallelTestCase {

        @EchoServer
        EmbeddedEchoServer server;

        @RepeatedTest(20)
        void echoes(TestReporter reporter) throws Exception {
            assertEquals("other " + server.port(), EchoTestKit.roundTrip(server, "other " + server.port()));
            EchoServerExtensionTests.publishPort(reporter, server);
        }
    }

    static class SharedServerTestCase {

        @EchoServer
        static EmbeddedEchoServer server;

        @RepeatedTest(20)
        void echoes(EchoClient client, TestReporter reporter) throws Exception {
            String text = "shared " + Thread.currentThread().getName();
            assertEquals(text, client.send(text).get(10, TimeUnit.SECONDS));
            EchoServerExtensionTests.publishPort(reporter, server);
        }
    }

    @EchoServer
    static class FactoryTestCase {

        @TestFactory
        Stream<DynamicTest> echoes(EmbeddedEchoServer server, TestReporter reporter) {
            EchoServerExtensionTests.publishPort(reporter, server);
            return IntStream.range(0, 10).mapToObj(i -> DynamicTest.dynamicTest("echo " + i,
                    () -> assertEquals("dyn" + i, EchoTestKit.roundTrip(server, "dyn" + i))));
        }
    }
}
