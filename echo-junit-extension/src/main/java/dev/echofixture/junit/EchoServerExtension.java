package dev.echofixture.junit;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link EchoServer}, and the way to register a server in code, with
 * {@code @RegisterExtension}, where an annotation cannot say everything (an {@code idleTimeout},
 * a {@code unixSocketPath}, any {@link EchoBehavior}):
 *
 * <pre class="code">{@code
 * class RetryTests {
 *
 *     @RegisterExtension
 *     static EchoServerExtension echo = EchoServerExtension.builder()   // static: one server for the class
 *             .behavior(EchoBehavior.echo().latency(Duration.ofMillis(20)).resetAfter(1024))
 *             .idleTimeout(Duration.ofSeconds(5))
 *             .build();
 *
 *     @Test
 *     void reconnects(EmbeddedEchoServer server, EchoClient client) {  // injected: echo's server
 *         assertSame(echo.server(), server);
 *     }
 * }
 * }</pre>
 *
 * <p>In a static field the extension starts one server before {@code @BeforeAll} and closes it
 * after {@code @AfterAll} ({@code @Nested} classes share it); in an instance field it starts a
 * fresh server for each test, before {@code @BeforeEach}, and closes it after the test. Its server
 * takes part in the choice of the test's default server like an {@code @EchoServer} field of the
 * same kind (instance before static), so unannotated {@code EmbeddedEchoServer} and
 * {@code EchoClient} parameters get it; {@link #server()} returns it. A failed test reports its
 * traffic, and {@code failOnOpenConnections} checks it, as for {@code @EchoServer}.
 * Annotation-driven use is unchanged, and both may be mixed in one class.
 *
 * <p>Settings the builder leaves unset take the defaults of {@link EmbeddedEchoServer.Builder},
 * except the host, the seed and {@code failOnOpenConnections}, which take the run's
 * configuration parameters ({@code echofixture.host}, {@code echofixture.seed},
 * {@code echofixture.failOnOpenConnections}) when those are set; see {@link EchoServer}.
 *
 * <p>Internally, every instance registered for a test (the one {@code @EchoServer} brings
 * through {@code @ExtendWith}, and those of {@code @RegisterExtension} fields) may receive the
 * callbacks; the first one to be called for a class (or a test, if none was for its class)
 * becomes the owner and alone does the annotation-driven work and the after-test work of that
 * scope, so that nothing happens twice. Everything lives in the extension context stores.
 *
 * @since 0.1.0
 */
public final class EchoServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        ParameterResolver {

    /** The store key of the owner of a scope (found from nested scopes too). */
    private static final Resources.Key OWNER = new Resources.Key("owner", null, null);

    /** The server of a builder-made instance; {@code null} for the instance {@code @EchoServer} registers. */
    private final RegisteredServer registered;

    /** The instance {@code @EchoServer} registers through {@code @ExtendWith}. */
    EchoServerExtension() {
        this.registered = null;
    }

    private EchoServerExtension(ServerSettings settings) {
        this.registered = new RegisteredServer(this, settings);
    }

    /**
     * A builder for an extension to register with {@code @RegisterExtension}.
     *
     * @return a builder with nothing set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The server this extension started: the class's server for a static field, the running
     * test's for an instance field (from the extension's {@code beforeEach} on; with tests of
     * one instance running in parallel, take an {@code EmbeddedEchoServer} parameter instead).
     * After the class or test it is the closed server, whose recording stays readable.
     *
     * @return the server
     * @throws IllegalStateException if this extension started no server yet (it is not
     *         registered with {@code @RegisterExtension}, or it is asked before
     *         {@code @BeforeAll}/{@code @BeforeEach}), or it is the instance behind {@code @EchoServer}
     */
    public EmbeddedEchoServer server() {
        if (registered == null) {
            throw new IllegalStateException("this EchoServerExtension is the one behind @EchoServer and has no server of its own;"
                    + " take an EmbeddedEchoServer parameter, or make one with EchoServerExtension.builder()");
        }
        ServerResource current = registered.current();
        if (current == null) {
            throw new IllegalStateException("EchoServerExtension has no server yet: register it with @RegisterExtension;"
                    + " a static field starts its server before @BeforeAll, an instance field before each @BeforeEach");
        }
        return current.server();
    }

    /** The server side of a builder-made instance. */
    Optional<RegisteredServer> registered() {
        return Optional.ofNullable(registered);
    }

    /**
     * Whether this instance does the annotation-driven and after-test work in the context:
     * the first instance asking for a scope becomes its owner, nested scopes inherit it.
     */
    private boolean owns(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(Resources.NAMESPACE);
        Object owner = store.get(OWNER);
        if (owner == null) {
            store.put(OWNER, this); // callbacks of one scope come one after the other, on one thread
            return true;
        }
        return owner == this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owns(context)) {
            FieldInjector.injectStaticFields(context);
        }
        if (registered != null) {
            registered.beforeAll(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (owns(context)) {
            FieldInjector.injectInstanceFields(context);
        }
        if (registered != null) {
            registered.beforeEach(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return ParameterInjector.supports(parameterContext) && owns(extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return ParameterInjector.resolve(parameterContext, extensionContext);
    }

    /** Constructor parameters follow the test instance: per test under PER_METHOD, per class under PER_CLASS. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (owns(context)) {
            AfterTest.afterEach(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owns(context)) {
            AfterTest.afterAll(context);
        }
    }

    /**
     * Builds an {@link EchoServerExtension}: every setting of {@link EmbeddedEchoServer.Builder},
     * plus {@link #failOnOpenConnections(boolean)}. Each setter checks its value at once, as the
     * core's builder does, and throws {@link IllegalArgumentException} naming it; settings that
     * depend on each other (a {@code unixSocketPath} on TCP, {@code resetAfter} on UDP) are
     * checked when the server starts, failing the class or the test with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the field.
     * Not thread-safe; {@link #build()} may be called more than once.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        /** Checks each value as it is set, with the core's own messages. */
        private final EmbeddedEchoServer.Builder check = EmbeddedEchoServer.builder();
        private ServerSettings settings = ServerSettings.NONE;

        private Builder() {
        }

        /**
         * The transport: {@link EmbeddedEchoServer.Builder#transport(Transport)}.
         *
         * @param transport TCP (default), UDP or UNIX
         * @return this builder
         */
        public Builder transport(Transport transport) {
            check.transport(transport);
            settings = settings.withTransport(transport);
            return this;
        }

        /**
         * The host to bind (TCP and UDP): {@link EmbeddedEchoServer.Builder#host(String)}. Unset:
         * the configuration parameter {@code echofixture.host}, else the loopback address.
         *
         * @param host the host
         * @return this builder
         */
        public Builder host(String host) {
            check.host(host);
            settings = settings.withHost(host);
            return this;
        }

        /**
         * The port to bind (TCP and UDP): {@link EmbeddedEchoServer.Builder#port(int)}; keep 0 in tests.
         *
         * @param port 0 (default, an ephemeral port) to 65535
         * @return this builder
         */
        public Builder port(int port) {
            check.port(port);
            settings = settings.withPort(port);
            return this;
        }

        /**
         * The socket file (UNIX only): {@link EmbeddedEchoServer.Builder#unixSocketPath(Path)}.
         * With a fixed path, a per-test server (an instance field) binds the same file for each
         * test, one after the other; tests of one class must then not run in parallel.
         *
         * @param path a file that does not exist yet
         * @return this builder
         */
        public Builder unixSocketPath(Path path) {
            check.unixSocketPath(path);
            settings = settings.withUnixSocketPath(path);
            return this;
        }

        /**
         * The network conditions: {@link EmbeddedEchoServer.Builder#behavior(EchoBehavior)}.
         *
         * @param behavior the behaviour; default plain echo
         * @return this builder
         */
        public Builder behavior(EchoBehavior behavior) {
            check.behavior(behavior);
            settings = settings.withBehavior(behavior);
            return this;
        }

        /**
         * How many connections may be open at once: {@link EmbeddedEchoServer.Builder#maxConnections(int)}.
         *
         * @param maxConnections at least 1; default 1024
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            check.maxConnections(maxConnections);
            settings = settings.withMaxConnections(maxConnections);
            return this;
        }

        /**
         * Closes connections idle for this long: {@link EmbeddedEchoServer.Builder#idleTimeout(Duration)}.
         *
         * @param idleTimeout the time-out; default none
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            check.idleTimeout(idleTimeout);
            settings = settings.withIdleTimeout(idleTimeout);
            return this;
        }

        /**
         * Bytes recorded per connection: {@link EmbeddedEchoServer.Builder#recordLimit(int)}.
         *
         * @param bytes at least 0; default 64 KiB
         * @return this builder
         */
        public Builder recordLimit(int bytes) {
            check.recordLimit(bytes);
            settings = settings.withRecordLimit(bytes);
            return this;
        }

        /**
         * The seed for jitter: {@link EmbeddedEchoServer.Builder#seed(long)}. Unset: the
         * configuration parameter {@code echofixture.seed}, else a random seed per server.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            check.seed(seed);
            settings = settings.withSeed(seed);
            return this;
        }

        /**
         * Serves TLS with these options: {@link EmbeddedEchoServer.Builder#tls(TlsOptions)}. Like
         * the core's builder, this also sets the transport to {@link Transport#TLS}; a later
         * {@link #transport(Transport)} other than TLS fails the server's start with an
         * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming both.
         *
         * @param options the TLS options, for example {@code TlsOptions.defaults().clientAuth(...)}
         * @return this builder
         */
        public Builder tls(TlsOptions options) {
            check.tls(options);
            settings = settings.withTls(options);
            return this;
        }

        /**
         * Whether a connection left open after a test, not opened by an injected
         * {@code EchoClient}, fails the test (see {@link EchoServer#failOnOpenConnections()}).
         * Unset: the configuration parameter {@code echofixture.failOnOpenConnections}, else
         * {@code false}; set here, it wins over that parameter either way.
         *
         * @param fail {@code true} to fail
         * @return this builder
         */
        public Builder failOnOpenConnections(boolean fail) {
            settings = settings.withFailOnOpenConnections(fail);
            return this;
        }

        /**
         * The extension, to assign to a field annotated with {@code @RegisterExtension}.
         *
         * @return a new extension with the settings so far
         */
        public EchoServerExtension build() {
            return new EchoServerExtension(settings);
        }
    }
}
