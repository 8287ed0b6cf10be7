package dev.echofixture.junit;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test a running {@link EmbeddedEchoServer}: started before the test, closed after it,
 * on an ephemeral loopback port, with the network conditions given by the attributes. This
 * page is the user manual of the extension.
 *
 * <pre class="code">{@code
 * @EchoServer
 * class LineClientTests {
 *
 *     @Test
 *     void sendsOneLinePerCommand(EmbeddedEchoServer server, EchoClient client) throws Exception {
 *         LineClient lines = new LineClient(server.address());      // the code under test
 *         assertEquals("PING", lines.call("PING"));
 *         assertEquals("hello", client.send("hello").get(5, TimeUnit.SECONDS));
 *         EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
 *         assertEquals("PING\r\n", connection.receivedText());
 *     }
 *
 *     @Test
 *     @EchoServer(latencyMillis = 200, chunkSize = 1)
 *     void copesWithASlowChoppyServer(EmbeddedEchoServer server) {
 *         // this test's server echoes one byte per write, 200 ms late
 *     }
 * }
 * }</pre>
 *
 * <h2>Declaration sites</h2>
 * <table class="striped">
 * <caption>Where {@code @EchoServer} may be declared, and the server each declaration gives</caption>
 * <thead><tr><th>declaration</th><th>server</th></tr></thead>
 * <tbody>
 * <tr><td>on the test class, plus a test method parameter {@code EmbeddedEchoServer server}</td>
 *     <td>a fresh server for each test, closed after it</td></tr>
 * <tr><td>on a test method</td>
 *     <td>that method's server uses the method's attributes instead of the class's</td></tr>
 * <tr><td>on a parameter: {@code @EchoServer(...) EmbeddedEchoServer s}</td>
 *     <td>its own server for that test, configured by that annotation; several per test are
 *         fine; one per declaration, so a {@code @BeforeEach} parameter declared the same way is
 *         another server (use an unannotated parameter or a field to share one)</td></tr>
 * <tr><td>on a static field: {@code @EchoServer static EmbeddedEchoServer server;}</td>
 *     <td>one for the class: started before {@code @BeforeAll}, closed after {@code @AfterAll};
 *         {@code @Nested} classes see it</td></tr>
 * <tr><td>on an instance field: {@code @EchoServer EmbeddedEchoServer server;}</td>
 *     <td>a fresh one for each test (also under {@code @TestInstance(PER_CLASS)}); fields of
 *         the instances enclosing a {@code @Nested} test are injected too</td></tr>
 * <tr><td>on a constructor parameter</td>
 *     <td>follows the test instance: a fresh one per test by default, one per class under
 *         {@code @TestInstance(PER_CLASS)}</td></tr>
 * <tr><td>none: a parameter {@code EchoClient client}</td>
 *     <td>a client connected to the test's default server, closed after the test; the n-th
 *         {@code EchoClient} parameter of {@code @BeforeEach}, the test and {@code @AfterEach}
 *         is the same client, two in one method are two clients</td></tr>
 * <tr><td>on a parameter or field of type {@code URI} or {@code InetSocketAddress}</td>
 *     <td>the address ({@code server.uri()}, {@code server.address()}) of the server an
 *         {@code EmbeddedEchoServer} declared in that place would get; it takes part in the
 *         choice of the default server the same way, so an unannotated {@code EmbeddedEchoServer}
 *         parameter reaches that server and its recording. An {@code InetSocketAddress} of a
 *         UNIX server fails (it has none: declare a {@code URI})</td></tr>
 * <tr><td>on an annotation type (a meta-annotation)</td>
 *     <td>the composed annotation works wherever {@code @EchoServer} does, with its attributes</td></tr>
 * </tbody>
 * </table>
 *
 * <p>On a {@code @BeforeEach}, {@code @AfterEach}, {@code @BeforeAll} or {@code @AfterAll}
 * method itself the annotation configures nothing; the class fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} saying where it may
 * go, once anything else registers the extension (JUnit does not register it from a lifecycle
 * method). A setting the transport would ignore ({@code transport = UNIX, port = 1234},
 * {@code transport = UDP, chunkSize = 4}) fails with the core's message under the attribute's
 * name; attributes at their defaults never do.
 *
 * <p>Lifecycle methods take parameters too: {@code EmbeddedEchoServer} and {@code EchoClient}
 * parameters of {@code @BeforeEach} and {@code @AfterEach} get the test's instances,
 * those of {@code @BeforeAll} and {@code @AfterAll} the class's. {@code @ParameterizedTest}
 * and {@code @RepeatedTest} invocations are tests of their own, each with its servers; the
 * dynamic tests of a {@code @TestFactory} share the factory method's servers.
 *
 * <h2>The default server</h2>
 * Unannotated {@code EmbeddedEchoServer} and {@code EchoClient} parameters get the test's
 * default server, which is, in order:
 * <ol>
 * <li>the one {@code @EchoServer} instance field;</li>
 * <li>else the one static {@code @EchoServer} field;</li>
 * <li>else a per-test server configured by the method's annotation, or else the class's.</li>
 * </ol>
 * In a {@code @Nested} class the search continues into the enclosing classes, level by level
 * (each level in the order above). When no level has any of these, the one
 * {@code @EchoServer EmbeddedEchoServer} parameter of the test method is the default. A
 * parameter of a {@code @BeforeAll} or {@code @AfterAll} method, or of a constructor, gets a
 * server for the class in the same way, without the instance fields and the method.
 *
 * <h2>Lifecycle</h2>
 * {@code @BeforeEach}, the test method and {@code @AfterEach} of one test get the same
 * instances, still running in {@code @AfterEach}. After the test (after the {@code @AfterEach}
 * methods) the extension closes its clients, then its servers; a static server is closed after
 * {@code @AfterAll}. This happens whether the test passed, failed or timed out, and JUnit's
 * store closes every server and client once more at the end of its scope (closing is
 * idempotent), so that nothing is left running even if the explicit close was skipped. After
 * a test class, no server, client or {@code echo-fixture} thread is left and every port is
 * free again.
 *
 * <p>With {@code failOnOpenConnections = true}, a connection to the server that is still open
 * after the test and was not opened by an injected {@code EchoClient} fails the test with an
 * {@link AssertionError} naming each such connection (its peer, byte counts and first bytes)
 * and what turned the check on (the attribute, the builder, or the configuration parameter).
 * The check asks the server for {@link dev.echofixture.EmbeddedEchoServer#connectionsLeftOpen(java.time.Duration)}:
 * a connection the code under test has just closed passes, one it left open fails after about
 * 20 ms, and only a connection the server has stopped reading (its peer does not read the echo)
 * gets up to a second to show its close. UDP has no close, so the check never fails for UDP.
 *
 * <h2>Failure report</h2>
 * When a test fails (or fails the open-connections check), the traffic of each of its servers,
 * including a static one and those of the enclosing classes, is attached to the failure as a
 * suppressed exception, so that it shows wherever the failure shows (Maven Surefire's console
 * and reports, Gradle, IDEs), without a logging provider:
 * <pre class="code">{@code
 * Suppressed: dev.echofixture.junit.TrafficReportException: traffic of the echo servers of LineClientTests > sendsOneLinePerCommand(EmbeddedEchoServer):
 *   echo-server              = method [LineClientTests.sendsOneLinePerCommand(EmbeddedEchoServer)] tcp://127.0.0.1:40313
 *   echo-server.seed         = -4964420948893066024
 *   echo-server.connections  = 1
 *   echo-server.connection-1 = peer /127.0.0.1:52844 (client port 52844), closed, received 6 bytes, sent 6 bytes, first 6 bytes: text "PING\r\n" hex 50 49 4e 47 0d 0a
 * }</pre>
 * It says what the code under test actually sent, and the seed to replay the jitter with
 * {@code @EchoServer(seed = ...)}. The keys of a second server start with
 * {@code echo-server-2}, of a third with {@code echo-server-3}. Each server's entry also
 * gives its behaviour ({@code echo-server.behavior = EchoBehavior.echo().silent()}); the
 * header names an invocation of a {@code @RepeatedTest} as {@code Class > method > repetition 1 of 3}. The same pairs are published as
 * report entries ({@code ExtensionContext#publishReportEntry}, shown by IDEs) and logged at
 * INFO through SLF4J.
 *
 * <h2>Configuration parameters</h2>
 * Set in {@code junit-platform.properties} or as system properties, they give defaults to every
 * server of the run: {@code echofixture.seed} (the seed of every server that sets none, to
 * replay the jitter of a whole run), {@code echofixture.host} (the bind host of every TCP or UDP
 * server that sets none, for example {@code ::1}) and {@code echofixture.failOnOpenConnections}
 * ({@code true} or {@code false}). Attributes win, but an attribute at its default value
 * ({@code seed = 0}, {@code host = "127.0.0.1"}, {@code failOnOpenConnections = false}) counts
 * as not set, as an annotation cannot tell it from one left out; settings of
 * {@link EchoServerExtension#builder()} win once called. The host applies to TCP, UDP and TLS
 * servers only. A bad value fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the parameter,
 * and so does an {@code echofixture.*} key the extension does not read (naming the nearest
 * known key), as far as it can be seen: in a {@code junit-platform.properties} on the class path
 * and among the system properties.
 *
 * <h2>In code</h2>
 * Where an annotation cannot say it ({@code idleTimeout}, {@code unixSocketPath}, any
 * {@code EchoBehavior}), register an {@link EchoServerExtension} made by its builder with
 * {@code @RegisterExtension}.
 *
 * <h2>Parallel execution</h2>
 * Tests may run in parallel ({@code junit.jupiter.execution.parallel.enabled=true}): every
 * per-test server and client belongs to its own test, each server binds its own ephemeral
 * port, and the extension keeps no state of its own. A static server is shared by the tests
 * of its class, which may use it at the same time: that is safe, but their connections and
 * recordings mix, so tests that inspect {@code connections()} want a per-test server. For the
 * same reason, {@code failOnOpenConnections} on a static server, which is checked after each
 * test, also sees the connections of the tests running next to it.
 *
 * <h2>Errors</h2>
 * A declaration that cannot work fails the test (or the class) with a message that names
 * the field or parameter and the fix:
 * <ul>
 * <li>{@link org.junit.jupiter.api.extension.ExtensionConfigurationException}: a {@code final}
 *     field; a field of another type than {@code EmbeddedEchoServer}; an element that carries
 *     {@code @EchoServer} twice with different attributes (directly and through a
 *     meta-annotation); a bad attribute of a field, method or class annotation (a negative
 *     latency, a port outside 0..65535, a host that does not resolve, {@code resetAfter} with
 *     UDP...), naming the attribute; a server that cannot bind (a fixed port in use).</li>
 * <li>{@link org.junit.jupiter.api.extension.ParameterResolutionException}: a parameter of
 *     another type; {@code @EchoServer} on an {@code EchoClient} parameter; a bad attribute of
 *     a parameter annotation; two default candidates (two {@code @EchoServer} instance fields,
 *     or two static ones, at one level; or, without any field or annotation to decide, two
 *     annotated parameters) when a default is asked for. An exception from a method or class
 *     annotation reaches the test wrapped in JUnit's
 *     {@code ParameterResolutionException("Failed to resolve parameter ...")}.</li>
 * </ul>
 *
 * @see EmbeddedEchoServer
 * @see dev.echofixture.EchoClient
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EchoServerExtension.class)
public @interface EchoServer {

    /**
     * The transport: {@link EmbeddedEchoServer.Builder#transport(Transport)}. UNIX binds a fresh
     * socket file in a temp folder, deleted on close. TLS presents a certificate made at start;
     * the injected {@code EchoClient} trusts it, and {@code server.sslContextForClients()} gives
     * the code under test a context that does.
     *
     * @return TCP (default), UDP, UNIX or TLS
     */
    Transport transport() default Transport.TCP;

    /**
     * The host to bind (TCP and UDP): {@link EmbeddedEchoServer.Builder#host(String)}. Any other
     * address than loopback, such as {@code 0.0.0.0}, must be asked for here.
     *
     * @return the host; default the loopback address
     */
    String host() default "127.0.0.1";

    /**
     * The port to bind (TCP and UDP): {@link EmbeddedEchoServer.Builder#port(int)}. Tests should
     * keep 0: a fixed port fails tests that run in parallel or next to another program.
     *
     * @return the port; default 0, an ephemeral port
     */
    int port() default 0;

    /**
     * Latency of each echoed chunk, in milliseconds:
     * {@link dev.echofixture.EchoBehavior#latency(java.time.Duration)}.
     *
     * @return the latency; default 0
     */
    long latencyMillis() default 0;

    /**
     * Extra random delay of each chunk, 0 to this many milliseconds, drawn from the {@link #seed()}:
     * {@link dev.echofixture.EchoBehavior#jitter(java.time.Duration)}.
     *
     * @return the jitter; default 0
     */
    long jitterMillis() default 0;

    /**
     * The seed for jitter: {@link EmbeddedEchoServer.Builder#seed(long)}. Copy the seed of a failed
     * run from its failure report to replay its delays.
     *
     * @return the seed; 0 (default) for a random seed, shown in the failure report
     */
    long seed() default 0;

    /**
     * Echo rate limit in bytes per second per connection:
     * {@link dev.echofixture.EchoBehavior#bandwidth(long)}.
     *
     * @return the bandwidth; 0 (default) for unlimited
     */
    long bandwidth() default 0;

    /**
     * Largest single write of the echo: {@link dev.echofixture.EchoBehavior#chunkSize(int)}.
     *
     * @return the chunk size; 0 (default) for unlimited
     */
    int chunkSize() default 0;

    /**
     * Bytes echoed before a graceful close (FIN): {@link dev.echofixture.EchoBehavior#closeAfter(long)};
     * 0 closes on accept.
     *
     * @return the byte count; -1 (default) for never
     */
    long closeAfter() default -1;

    /**
     * Bytes echoed at most before a reset (RST): {@link dev.echofixture.EchoBehavior#resetAfter(long)};
     * 0 resets on accept. Not with UDP.
     *
     * @return the byte count; -1 (default) for never
     */
    long resetAfter() default -1;

    /**
     * Whether to read and record but echo nothing: {@link dev.echofixture.EchoBehavior#silent()}.
     *
     * @return {@code true} for silence; default {@code false}
     */
    boolean silent() default false;

    /**
     * UDP: the share of datagrams dropped: {@link dev.echofixture.EchoBehavior#udpLoss(double)}.
     *
     * @return 0.0 (default, none) to 1.0
     */
    double udpLoss() default 0;

    /**
     * UDP: the share of datagrams echoed twice: {@link dev.echofixture.EchoBehavior#udpDuplication(double)}.
     *
     * @return 0.0 (default, none) to 1.0
     */
    double udpDuplication() default 0;

    /**
     * UDP: the share of datagrams echoed after the next one:
     * {@link dev.echofixture.EchoBehavior#udpReordering(double)}.
     *
     * @return 0.0 (default, none) to 1.0
     */
    double udpReordering() default 0;

    /**
     * The share of echoed bytes corrupted (every bit flipped), drawn from the seed:
     * {@link dev.echofixture.EchoBehavior#corruptRate(double)}. Not with UDP.
     *
     * @return 0.0 (default, none) to 1.0
     */
    double corruptRate() default 0;

    /**
     * Offsets of each connection's echoed stream whose byte is corrupted:
     * {@link dev.echofixture.EchoBehavior#corruptAt(long...)}. Not with UDP.
     *
     * @return the offsets, each at least 0; none (default) for no corruption at fixed offsets
     */
    long[] corruptAt() default {};

    /**
     * Answer the first bytes of each connection with this many random bytes, then close:
     * {@link dev.echofixture.EchoBehavior#randomDataThenClose(int)}. Not with UDP.
     *
     * @return the byte count, at least 1; -1 (default) for none
     */
    int randomDataThenClose() default -1;

    /**
     * Delay of the server's close (FIN) after the last echo, in milliseconds:
     * {@link dev.echofixture.EchoBehavior#slowClose(java.time.Duration)}. Not with UDP.
     *
     * @return the delay; 0 (default) for none
     */
    long slowCloseMillis() default 0;

    /**
     * How many connections may be open at once: {@link EmbeddedEchoServer.Builder#maxConnections(int)}.
     * Further connections are accepted and closed at once.
     *
     * @return the limit; default 1024
     */
    int maxConnections() default 1024;

    /**
     * Bytes recorded per connection: {@link EmbeddedEchoServer.Builder#recordLimit(int)}; 0 records
     * nothing (the counters still count).
     *
     * @return the limit; default 65536
     */
    int recordLimit() default 65536;

    /**
     * Which connections fail, and how: the name of a static factory method with no parameters
     * that returns a {@link dev.echofixture.FaultPlan}, as {@code @MethodSource} names one:
     * {@code "plan"} in the test class (its superclasses, then its enclosing classes), or
     * {@code "com.example.Plans#plan"} in another class. See
     * {@link EmbeddedEchoServer.Builder#faultPlan(dev.echofixture.FaultPlan)}.
     *
     * @return the method's name; default {@code ""} for no plan
     */
    String faultPlan() default "";

    /**
     * Whether a connection left open after a test, not opened by an injected {@code EchoClient},
     * fails the test with an {@link AssertionError} naming each such connection. See "Lifecycle".
     *
     * @return {@code true} to fail; default {@code false}
     */
    boolean failOnOpenConnections() default false;

    /**
     * Scripted replies: the name of a static method with no parameters that returns the
     * {@link dev.echofixture.Script} ({@link EmbeddedEchoServer.Builder#script(dev.echofixture.Script)}),
     * as {@code @MethodSource} names its factory: {@code "smtp"} for a method of the class that
     * declares the server (or one of its superclasses), {@code "com.example.Scripts#smtp"} for
     * one elsewhere. The method is called when the server starts.
     *
     * @return the method's name; default {@code ""}, no script (echo)
     * @since 0.1.0
     */
    String script() default "";

    /**
     * Proxy mode ({@link EmbeddedEchoServer.Builder#proxyTo(java.util.function.Supplier)}): the
     * server forwards each connection to an upstream instead of echoing, and the attributes'
     * conditions apply to the upstream's answers. Either a URI ({@code tcp://127.0.0.1:5432},
     * {@code unix:/tmp/app.sock}) or the name of a static field or static no-argument method of
     * the test class (or an enclosing class) that gives the upstream as a
     * {@link java.net.SocketAddress}, a {@link java.net.URI} or an {@link EmbeddedEchoServer}.
     * The member is read each time a connection arrives, so the test may start its upstream after
     * the extension started the proxy (in {@code @BeforeEach}, say).
     *
     * @return the upstream's URI or a member's name; default {@code ""}: echo, no proxy
     */
    String proxyTo() default "";
}
