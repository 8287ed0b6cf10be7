package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.published;
import static dev.echofixture.junit.EchoTestKit.roundTrip;
import static dev.echofixture.junit.EchoTestKit.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Every declaration site of {@link EchoServer} (one {@code @Nested} group each, as in the
 * contract's table), run through the engine; then every misuse and its message.
 */
@Timeout(60)
class EchoServerExtensionTests {

    /** Runs a fixture, asserts all its tests passed and its servers are closed; returns the results. */
    static EngineExecutionResults runPassing(Class<?> fixture, int tests) {
        EngineExecutionResults results = execute(fixture);
        results.testEvents().assertStatistics(stats -> stats.started(tests).succeeded(tests));
        assertServersClosed(results);
        return results;
    }

    /** Publishes the server's port (to check it was closed) and its identity (to count servers). */
    static void publishPort(TestReporter reporter, EmbeddedEchoServer server) {
        reporter.publishEntry("port", Integer.toString(server.port()));
        reporter.publishEntry("server", EchoTestKit.identify(server));
    }

    static int distinct(List<?> values) {
        return new HashSet<>(values).size();
    }

    @Nested
    @DisplayName("@EchoServer on the class")
    class OnTheClass {

        @Test
        void givesEachTestAFreshRunningServer() {
            EngineExecutionResults results = runPassing(ClassAnnotationTestCase.class, 2);
            assertEquals(2, distinct(servers(results)));
            assertEquals(List.of("7", "7"), published(results, "seed"));
        }
    }

    @EchoServer(seed = 7)
    static class ClassAnnotationTestCase {

        @Test
        void first(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            check(server, reporter);
        }

        @Test
        void second(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            check(server, reporter);
        }

        private static void check(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            assertTrue(server.isRunning());
            assertEquals("ping", roundTrip(server, "ping"));
            publishPort(reporter, server);
            reporter.publishEntry("seed", Long.toString(server.seed()));
        }
    }

    @Nested
    @DisplayName("@EchoServer on a test method")
    class OnATestMethod {

        @Test
        void usesTheMethodsAttributesInsteadOfTheClasss() {
            EngineExecutionResults results = runPassing(MethodAnnotationTestCase.class, 2);
            assertEquals(List.of("1", "2"), published(results, "seed").stream().sorted().toList());
        }
    }

    @EchoServer(seed = 1)
    static class MethodAnnotationTestCase {

        @Test
        void classSettings(EmbeddedEchoServer server, TestReporter reporter) {
            assertEquals(1, server.seed());
            publishPort(reporter, server);
            reporter.publishEntry("seed", "1");
        }

        @Test
        @EchoServer(seed = 2)
        void methodSettings(EmbeddedEchoServer server, TestReporter reporter) {
            assertEquals(2, server.seed());
            publishPort(reporter, server);
            reporter.publishEntry("seed", "2");
        }
    }

    @Nested
    @DisplayName("@EchoServer on a test method parameter")
    class OnAParameter {

        @Test
        void givesEachParameterItsOwnServer() {
            EngineExecutionResults results = runPassing(ParameterTestCase.class, 1);
            assertEquals(2, distinct(servers(results)));
        }
    }

    static class ParameterTestCase {

        @Test
        void twoServers(@EchoServer(seed = 3) EmbeddedEchoServer a, @EchoServer(seed = 4) EmbeddedEchoServer b,
                        TestReporter reporter) throws Exception {
            assertEquals(3, a.seed());
            assertEquals(4, b.seed());
            assertEquals("a", roundTrip(a, "a"));
            assertEquals("b", roundTrip(b, "b"));
            publishPort(reporter, a);
            publishPort(reporter, b);
        }
    }

    @Nested
    @DisplayName("EmbeddedEchoServer parameters of lifecycle methods")
    class LifecycleMethodParameters {

        @Test
        void getTheSameServerAsTheTestStillRunningInAfterEach() {
            runPassing(LifecycleParameterTestCase.class, 2);
        }
    }

    @EchoServer
    static class LifecycleParameterTestCase {

        private EmbeddedEchoServer fromBeforeEach;

        @BeforeEach
        void setUp(EmbeddedEchoServer server) {
            fromBeforeEach = server;
        }

        @Test
        void first(EmbeddedEchoServer server, TestReporter reporter) {
            assertSame(fromBeforeEach, server);
            publishPort(reporter, server);
        }

        @Test
        void second(EmbeddedEchoServer server, TestReporter reporter) {
            assertSame(fromBeforeEach, server);
            publishPort(reporter, server);
        }

        @AfterEach
        void tearDown(EmbeddedEchoServer server) throws Exception {
            assertSame(fromBeforeEach, server);
            assertTrue(server.isRunning());
            assertEquals("still", roundTrip(server, "still"));
        }
    }

    @Nested
    @DisplayName("@EchoServer on a constructor parameter")
    class OnAConstructorParameter {

        @Test
        void givesAFreshServerPerTestInstance() {
            EngineExecutionResults results = runPassing(ConstructorPerMethodTestCase.class, 2);
            assertEquals(2, distinct(servers(results)));
        }

        @Test
        void givesOneServerPerClassUnderPerClassLifecycle() {
            EngineExecutionResults results = runPassing(ConstructorPerClassTestCase.class, 2);
            assertEquals(1, distinct(servers(results)));
        }
    }

    static class ConstructorPerMethodTestCase {

        private final EmbeddedEchoServer server;

        ConstructorPerMethodTestCase(@EchoServer EmbeddedEchoServer server) {
            this.server = server;
        }

        @Test
        void first(TestReporter reporter) throws Exception {
            assertEquals("x", roundTrip(server, "x"));
            publishPort(reporter, server);
        }

        @Test
        void second(TestReporter reporter) throws Exception {
            assertEquals("y", roundTrip(server, "y"));
            publishPort(reporter, server);
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class ConstructorPerClassTestCase extends ConstructorPerMethodTestCase {

        ConstructorPerClassTestCase(@EchoServer EmbeddedEchoServer server) {
            super(server);
        }
    }

    @Nested
    @DisplayName("@EchoServer on a static field")
    class OnAStaticField {

        @Test
        void givesOneServerForTheClassStartedBeforeBeforeAll() {
            EngineExecutionResults results = runPassing(StaticFieldTestCase.class, 2);
            assertEquals(1, distinct(servers(results)));
        }
    }

    static class StaticFieldTestCase {

        @EchoServer
        static EmbeddedEchoServer server;

        @BeforeAll
        static void beforeAll(EmbeddedEchoServer parameter) {
            assertTrue(server.isRunning());
            assertSame(server, parameter);
        }

        @Test
        void first(EmbeddedEchoServer parameter, TestReporter reporter) throws Exception {
            assertSame(server, parameter);
            assertEquals("1", roundTrip(server, "1"));
            publishPort(reporter, server);
        }

        @Test
        void second(TestReporter reporter) throws Exception {
            assertEquals("2", roundTrip(server, "2"));
            publishPort(reporter, server);
        }
    }

    @Nested
    @DisplayName("@EchoServer on an instance field")
    class OnAnInstanceField {

        @Test
        void givesAFreshServerForEachTest() {
            EngineExecutionResults results = runPassing(InstanceFieldTestCase.class, 2);
            assertEquals(2, distinct(servers(results)));
        }

        @Test
        void givesAFreshServerForEachTestUnderPerClassLifecycle() {
            EngineExecutionResults results = runPassing(InstanceFieldPerClassTestCase.class, 2);
            assertEquals(2, distinct(servers(results)));
        }
    }

    static class InstanceFieldTestCase {

        @EchoServer
        EmbeddedEchoServer server;

        @Test
        void first(EmbeddedEchoServer parameter, TestReporter reporter) throws Exception {
            assertSame(server, parameter);
            assertEquals("1", roundTrip(server, "1"));
            publishPort(reporter, server);
        }

        @Test
        void second(TestReporter reporter) throws Exception {
            assertEquals("2", roundTrip(server, "2"));
            publishPort(reporter, server);
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class InstanceFieldPerClassTestCase extends InstanceFieldTestCase {
    }

    @Nested
    @DisplayName("@EchoServer through a meta-annotation")
    class ThroughAMetaAnnotation {

        @Test
        void appliesTheComposedAnnotationsAttributes() {
            runPassing(MetaAnnotationTestCase.class, 2);
        }
    }

    @SeededEcho
    static class MetaAnnotationTestCase {

        @SeededEcho
        EmbeddedEchoServer field;

        @Test
        void onTheField(TestReporter reporter) {
            assertEquals(99, field.seed());
            publishPort(reporter, field);
        }

        @Test
        void onTheParameter(@SeededEcho EmbeddedEchoServer parameter, TestReporter reporter) {
            assertEquals(99, parameter.seed());
            publishPort(reporter, parameter);
        }
    }

    @Nested
    @DisplayName("EchoClient parameter")
    class ClientParameter {

        @Test
        void isConnectedToTheDefaultServerAndClosedAfterTheTest() {
            runPassing(ClientTestCase.class, 2);
        }
    }

    @EchoServer
    static class ClientTestCase {

        private EchoClient fromBeforeEach;

        @BeforeEach
        void setUp(EchoClient client) {
            fromBeforeEach = client;
        }

        @Test
        void echoes(EmbeddedEchoServer server, EchoClient client, TestReporter reporter) throws Exception {
            assertSame(fromBeforeEach, client);
            assertEquals("hello", client.send("hello").get(10, TimeUnit.SECONDS));
            InetSocketAddress local = (InetSocketAddress) client.localAddress();
            InetSocketAddress peer = (InetSocketAddress) server.awaitConnections(1, Duration.ofSeconds(10)).get(0).remoteAddress();
            assertEquals(local.getPort(), peer.getPort());
            publishPort(reporter, server);
        }

        @Test
        void twoClientParametersAreTwoClients(EchoClient a, EchoClient b, EmbeddedEchoServer server, TestReporter reporter) {
            assertSame(fromBeforeEach, a);
            assertNotEquals(a.localAddress(), b.localAddress());
            publishPort(reporter, server);
        }

        @AfterEach
        void tearDown(EchoClient client) {
            assertSame(fromBeforeEach, client);
            assertTrue(client.isOpen());
        }
    }

    @Nested
    @DisplayName("@Nested test classes")
    class NestedClasses {

        @Test
        void seeTheOuterStaticServerAndTheEnclosingInstancesFields() {
            runPassing(OuterTestCase.class, 2);
        }

        @Test
        void searchLevelByLevelSoANestedClassesAnnotationComesBeforeTheOuterStaticField() {
            runPassing(OuterStaticTestCase.class, 2);
        }
    }

    static class OuterStaticTestCase {

        @EchoServer(seed = 21)
        static EmbeddedEchoServer shared;

        @Nested
        class UsesTheOuterServer {

            @Test
            void test(EmbeddedEchoServer server, TestReporter reporter) {
                assertSame(shared, server);
                publishPort(reporter, server);
            }
        }

        @Nested
        @EchoServer(seed = 22)
        class HasItsOwn {

            @Test
            void test(EmbeddedEchoServer server, TestReporter reporter) {
                assertEquals(22, server.seed());
                assertNotEquals(shared.port(), server.port());
                publishPort(reporter, server);
            }
        }
    }

    static class OuterTestCase {

        @EchoServer(seed = 11)
        static EmbeddedEchoServer shared;

        @EchoServer(seed = 12)
        EmbeddedEchoServer perTest;

        @Test
        void outer(EmbeddedEchoServer server, TestReporter reporter) {
            assertSame(perTest, server);
            publishPort(reporter, server);
        }

        @Nested
        class Inner {

            @Test
            void inner(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
                assertTrue(shared.isRunning());
                assertSame(perTest, server, "the default server is the enclosing instance's field");
                assertEquals(12, server.seed());
                assertEquals("in", roundTrip(shared, "in"));
                publishPort(reporter, server);
                publishPort(reporter, shared);
            }
        }
    }

    @Nested
    @DisplayName("test templates and factories")
    class TemplatesAndFactories {

        @Test
        void parameterizedTestsGetAServerPerInvocation() {
            EngineExecutionResults results = runPassing(ParameterizedTestCase.class, 2);
            assertEquals(2, distinct(servers(results)));
        }

        @Test
        void repeatedTestsGetAServerPerRepetition() {
            EngineExecutionResults results = runPassing(RepeatedTestCase.class, 3);
            assertEquals(3, distinct(servers(results)));
        }

        @Test
        void dynamicTestsShareTheFactorysServer() {
            EngineExecutionResults results = execute(TestFactoryTestCase.class);
            results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
            assertServersClosed(results);
        }
    }

    @EchoServer
    static class ParameterizedTestCase {

        @ParameterizedTest
        @ValueSource(strings = {"alpha", "beta"})
        void echoes(String text, EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            assertEquals(text, roundTrip(server, text));
            publishPort(reporter, server);
        }
    }

    @EchoServer
    static class RepeatedTestCase {

        @RepeatedTest(3)
        void echoes(EmbeddedEchoServer server, TestReporter reporter) throws Exception {
            assertEquals("r", roundTrip(server, "r"));
            publishPort(reporter, server);
        }
    }

    @EchoServer
    static class TestFactoryTestCase {

        @TestFactory
        Stream<DynamicTest> echoes(EmbeddedEchoServer server, TestReporter reporter) {
            publishPort(reporter, server);
            return Stream.of("one", "two").map(text -> DynamicTest.dynamicTest(text,
                    () -> assertEquals(text, roundTrip(server, text))));
        }
    }

    @Nested
    @DisplayName("attributes")
    class Attributes {

        @Test
        void configureTheServersNetworkConditions() {
            runPassing(LatencyTestCase.class, 1);
        }

        @Test
        void selectTheTransport() {
            EngineExecutionResults results = execute(UnixTestCase.class);
            results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        }
    }

    @EchoServer(transport = Transport.UNIX, failOnOpenConnections = true)
    static class UnixTestCase {

        @Test
        void echoesOverAUnixDomainSocket(EmbeddedEchoServer server, EchoClient client) throws Exception {
            assertEquals(Transport.UNIX, server.transport());
            assertEquals("unix", client.send("unix").get(10, TimeUnit.SECONDS));
            assertEquals("unix", server.awaitConnections(1, Duration.ofSeconds(10)).get(0).receivedText());
        }
    }

    static class LatencyTestCase {

        @Test
        void echoesAfterTheLatency(@EchoServer(latencyMillis = 200) EmbeddedEchoServer server, TestReporter reporter)
                throws Exception {
            publishPort(reporter, server);
            long start = System.nanoTime();
            assertEquals("late", roundTrip(server, "late"));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis >= 200 && elapsedMillis < 2200, "echoed after " + elapsedMillis + " ms");
        }
    }

    @Nested
    @DisplayName("reports failure")
    class Failures {

        private void assertFails(Class<?> fixture, Class<? extends Throwable> type, String message) {
            EngineExecutionResults results = execute(fixture);
            results.allEvents().assertThatEvents().haveExactly(1,
                    event(finishedWithFailure(instanceOf(type), message(message))));
            assertServersClosed(results);
        }

        @Test
        void forAFinalField() {
            assertFails(FinalFieldTestCase.class, ExtensionConfigurationException.class,
                    "@EchoServer field [FinalFieldTestCase.server] must not be final; remove 'final' so the server can be injected");
        }

        @Test
        void forAFieldOfAnotherType() {
            assertFails(WrongFieldTypeTestCase.class, ExtensionConfigurationException.class,
                    "Can only inject @EchoServer fields of type EmbeddedEchoServer, URI or InetSocketAddress but field"
                            + " [WrongFieldTypeTestCase.server] is java.lang.String; change its type to one of these"
                            + " (for a client, call server.newClient() or take an EchoClient parameter)");
        }

        @Test
        void forAParameterOfAnotherType() {
            assertFails(WrongParameterTypeTestCase.class, ParameterResolutionException.class,
                    "Can only inject @EchoServer parameters of type EmbeddedEchoServer, URI or InetSocketAddress but"
                            + " parameter [String arg0] in method [WrongParameterTypeTestCase.test(String)] is java.lang.String;"
                            + " change its type to one of these, or use an unannotated EchoClient parameter for a client");
        }

        @Test
        void forAnAnnotatedClientParameter() {
            assertFails(AnnotatedClientTestCase.class, ParameterResolutionException.class,
                    "@EchoServer does not apply to parameter [EchoClient arg0] in method [AnnotatedClientTestCase.test(EchoClient)]:"
                            + " an EchoClient parameter is always connected to the test's default server; remove @EchoServer"
                            + " from it, or declare @EchoServer EmbeddedEchoServer server and call server.newClient()");
        }

        @Test
        void forTwoDefaultCandidates() {
            assertFails(TwoInstanceFieldsTestCase.class, ParameterResolutionException.class,
                    "parameter [EmbeddedEchoServer arg0] in method [TwoInstanceFieldsTestCase.test(EmbeddedEchoServer, TestReporter)]"
                            + " needs the test's default @EchoServer, but class [" + TwoInstanceFieldsTestCase.class.getName()
                            + "] has 2 instance @EchoServer fields [a, b]; keep one such field, or ask for a specific server"
                            + " with an annotated parameter (@EchoServer EmbeddedEchoServer server) and call server.newClient()");
        }

        @Test
        void forTwoAnnotatedParametersAndAClient() {
            assertFails(TwoParametersAndClientTestCase.class, ParameterResolutionException.class,
                    "parameter [EchoClient arg2] in method [TwoParametersAndClientTestCase.test(EmbeddedEchoServer,"
                            + " EmbeddedEchoServer, EchoClient)] needs the test's default @EchoServer, but method"
                            + " [TwoParametersAndClientTestCase.test(EmbeddedEchoServer, EmbeddedEchoServer, EchoClient)]"
                            + " has 2 @EchoServer parameters and no @EchoServer field, method or class annotation picks one;"
                            + " annotate the method or the class, or use server.newClient() on the server you want");
        }

        @Test
        void forConflictingAnnotations() {
            assertFails(ConflictingAnnotationsTestCase.class, ExtensionConfigurationException.class,
                    "field [ConflictingAnnotationsTestCase.server] is annotated with @EchoServer 2 times with different"
                            + " attributes (directly and through @SeededEcho); keep one");
        }

        @Test
        void forConflictingAnnotationsOnAParameter() {
            assertFails(ConflictingParameterTestCase.class, ParameterResolutionException.class,
                    "parameter [EmbeddedEchoServer arg0] in method [ConflictingParameterTestCase.test(EmbeddedEchoServer)]"
                            + " is annotated with @EchoServer 2 times with different attributes (directly and through"
                            + " @SeededEcho); keep one");
        }

        @Test
        void forAStaticFinalFieldFailingTheClass() {
            EngineExecutionResults results = execute(StaticFinalFieldTestCase.class);
            results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message("@EchoServer field [StaticFinalFieldTestCase.server] must not be final; remove 'final' so"
                            + " the server can be injected"))));
            results.testEvents().assertStatistics(stats -> stats.started(0));
        }

        @Test
        void forABadAttributeOnAField() {
            assertFails(BadPortTestCase.class, ExtensionConfigurationException.class,
                    "@EchoServer on field [BadPortTestCase.server]: port: 70000"
                            + " (expected: 0 to 65535, 0 for an ephemeral port); fix the attribute");
        }

        @Test
        void forABadAttributeOnAParameter() {
            assertFails(BadLatencyTestCase.class, ParameterResolutionException.class,
                    "@EchoServer on parameter [EmbeddedEchoServer arg0] in method [BadLatencyTestCase.test(EmbeddedEchoServer)]:"
                            + " latencyMillis: -5 (expected: 0 to 3600000); fix the attribute");
        }

        @Test
        void forABadAttributeOnTheClassNamingTheClass() {
            EngineExecutionResults results = execute(BadClassAttributeTestCase.class);
            results.allEvents().assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(
                    instanceOf(ParameterResolutionException.class),
                    cause(instanceOf(ExtensionConfigurationException.class),
                            message("@EchoServer on class [" + BadClassAttributeTestCase.class.getName()
                                    + "]: chunkSize: -1 (expected: >= 0, 0 for unlimited); fix the attribute")))));
        }
    }

    static class FinalFieldTestCase {
        @EchoServer
        final EmbeddedEchoServer server = null;

        @Test
        void test() {
        }
    }

    static class WrongFieldTypeTestCase {
        @EchoServer
        String server;

        @Test
        void test() {
        }
    }

    static class WrongParameterTypeTestCase {
        @Test
        void test(@EchoServer String server) {
        }
    }

    @EchoServer
    static class AnnotatedClientTestCase {
        @Test
        void test(@EchoServer EchoClient client) {
        }
    }

    static class TwoInstanceFieldsTestCase {
        @EchoServer
        EmbeddedEchoServer a;

        @EchoServer
        EmbeddedEchoServer b;

        @Test
        void test(EmbeddedEchoServer server, TestReporter reporter) {
            publishPort(reporter, a);
            publishPort(reporter, b);
        }
    }

    static class TwoParametersAndClientTestCase {
        @Test
        void test(@EchoServer EmbeddedEchoServer a, @EchoServer EmbeddedEchoServer b, EchoClient client) {
        }
    }

    static class ConflictingAnnotationsTestCase {
        @EchoServer(seed = 1)
        @SeededEcho
        EmbeddedEchoServer server;

        @Test
        void test() {
        }
    }

    static class ConflictingParameterTestCase {
        @Test
        void test(@EchoServer(seed = 1) @SeededEcho EmbeddedEchoServer server) {
        }
    }

    static class StaticFinalFieldTestCase {
        @EchoServer
        static final EmbeddedEchoServer server = null;

        @Test
        void test() {
        }
    }

    static class BadPortTestCase {
        @EchoServer(port = 70000)
        EmbeddedEchoServer server;

        @Test
        void test() {
        }
    }

    static class BadLatencyTestCase {
        @Test
        void test(@EchoServer(latencyMillis = -5) EmbeddedEchoServer server) {
        }
    }

    @EchoServer(chunkSize = -1)
    static class BadClassAttributeTestCase {
        @Test
        void test(EmbeddedEchoServer server) {
            assertNotNull(server);
        }
    }
}
