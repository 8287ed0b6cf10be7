/**
 * The JUnit Jupiter extension of echo-fixture: annotate a test class, a method, a field or a
 * parameter with {@link dev.echofixture.junit.EchoServer} to get a running echo server, and
 * take an {@link dev.echofixture.EchoClient} parameter for a client connected to it. This
 * package is for <i>users</i> writing tests; {@link dev.echofixture.junit.EchoServer} is the
 * manual. One example per declaration site:
 *
 * <pre class="code">{@code
 * @EchoServer                                         // on the class: a fresh server per test
 * class ClassLevelTests {
 *     @Test
 *     void echoes(EmbeddedEchoServer server, EchoClient client) throws Exception {
 *         assertEquals("hi", client.send("hi").get(5, TimeUnit.SECONDS));
 *     }
 *
 *     @Test
 *     @EchoServer(latencyMillis = 100)                 // on a method: this test's server is slow
 *     void slow(EmbeddedEchoServer server) { }
 * }
 *
 * class ParameterTests {
 *     @Test                                           // on parameters: one server each
 *     void bridges(@EchoServer EmbeddedEchoServer a, @EchoServer(silent = true) EmbeddedEchoServer b) { }
 * }
 *
 * class StaticFieldTests {
 *     @EchoServer
 *     static EmbeddedEchoServer server;               // one for the class, before @BeforeAll
 *
 *     @Nested
 *     class Inner {                                   // sees the same server
 *         @Test
 *         void test() { assertTrue(server.isRunning()); }
 *     }
 * }
 *
 * class InstanceFieldTests {
 *     @EchoServer(failOnOpenConnections = true)
 *     EmbeddedEchoServer server;                      // a fresh one per test
 * }
 *
 * class AddressTests {
 *     @EchoServer
 *     static URI uri;                                 // the address of one server for the class
 *
 *     @Test                                           // the same server, to read its recording
 *     void test(EmbeddedEchoServer server) { assertEquals(server.uri(), uri); }
 * }
 *
 * @TestInstance(TestInstance.Lifecycle.PER_CLASS)
 * class ConstructorTests {
 *     private final EmbeddedEchoServer server;       // one per class under PER_CLASS
 *
 *     ConstructorTests(@EchoServer EmbeddedEchoServer server) {
 *         this.server = server;
 *     }
 * }
 *
 * @Retention(RetentionPolicy.RUNTIME)
 * @Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
 * @EchoServer(latencyMillis = 50, jitterMillis = 20, seed = 42)
 * @interface SlowNetwork { }                            // a meta-annotation: use @SlowNetwork anywhere
 * }</pre>
 */
package dev.echofixture.junit;
