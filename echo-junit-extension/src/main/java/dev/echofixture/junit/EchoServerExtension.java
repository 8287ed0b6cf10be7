package dev.echofixture.junit;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.FaultPlan;
import dev.echofixture.Script;
import dev.echofixture.ProxyOptions;
import dev.echofixture.ServerSettings;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
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
 * <p>Internally, each declaration is resolved in one pass, as JUnit's own {@code @TempDir}
 * does: find the declaration ({@link Declaration}), get or create its server in the extension
 * context's store ({@link Resources}), hand it out (the server, its URI or its address). Every
 * instance registered for a test (the one {@code @EchoServer} brings
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

    /** The lifecycle methods on which {@code @EchoServer} configures nothing. */
    private static final List<Class<? extends Annotation>> LIFECYCLE = List.of(BeforeEach.class, AfterEach.class,
            BeforeAll.class, AfterAll.class);

    /** The settings of a builder-made instance; {@code null} for the instance {@code @EchoServer} registers. */
    private final ServerSettings settings;
    private final Boolean failOnOpenConnections;
    /** The most recent server of a builder-made instance, for {@link #server()}. */
    private volatile ServerResource current;

    /** The instance {@code @EchoServer} registers through {@code @ExtendWith}. */
    EchoServerExtension() {
        this(null, null);
    }

    private EchoServerExtension(ServerSettings settings, Boolean failOnOpenConnections) {
        this.settings = settings;
        this.failOnOpenConnections = failOnOpenConnections;
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
        if (settings == null) {
            throw new IllegalStateException("this EchoServerExtension is the one behind @EchoServer and has no server of its own;"
                    + " take an EmbeddedEchoServer parameter, or make one with EchoServerExtension.builder()");
        }
        ServerResource resource = current;
        if (resource == null) {
            throw new IllegalStateException("EchoServerExtension has no server yet: register it with @RegisterExtension;"
                    + " a static field starts its server before @BeforeAll, an instance field before each @BeforeEach");
        }
        return resource.server();
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
            rejectMisplaced(context.getRequiredTestClass());
            for (Field field : Declaration.annotatedFields(context.getRequiredTestClass(), true)) {
                inject(context, field, null, staticKey(field));
            }
        }
        if (settings != null) {
            Optional<Field> field = ownStaticField(context.getRequiredTestClass(), false);
            if (field.isPresent()) {
                startRegistered(context, field.get(), registeredKey(context, true));
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (owns(context)) {
            rejectMisplaced(context.getRequiredTestClass()); // also where only a test method registers the extension
            for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
                for (Field field : Declaration.annotatedFields(instance.getClass(), false)) {
                    inject(context, field, instance, instanceKey(field, context));
                }
            }
        }
        if (settings != null && ownStaticField(context.getRequiredTestClass(), true).isEmpty()) {
            startRegistered(context, ownInstanceField(context).orElse(null), registeredKey(context, false));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        return (type == EmbeddedEchoServer.class || type == EchoClient.class || Declaration.isAnnotated(parameter))
                && owns(extensionContext);
    }

    /**
     * Resolves a parameter in one pass: its own declaration, else the test's default server;
     * the server's store entry, created on first use; the value of the parameter's type.
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        Optional<Declaration> declared = Declaration.on(parameter);
        if (declared.isPresent()) {
            Declaration declaration = declared.get();
            if (type == EchoClient.class) {
                throw new ParameterResolutionException("@EchoServer does not apply to " + Declaration.describe(parameter)
                        + ": an EchoClient parameter is always connected to the test's default server; remove @EchoServer from it,"
                        + " or declare @EchoServer EmbeddedEchoServer server and call server.newClient()");
            }
            if (!Declaration.SERVER_TYPES.contains(type)) {
                throw new ParameterResolutionException("Can only inject @EchoServer parameters of type EmbeddedEchoServer, URI or"
                        + " InetSocketAddress but " + Declaration.describe(parameter) + " is " + type.getName()
                        + "; change its type to one of these, or use an unannotated EchoClient parameter for a client");
            }
            declaration.checkType(type);
            return declaration.valueFor(type, parameterServer(context, parameter, declaration));
        }
        if (type == EchoClient.class) {
            return client(context, parameter).client();
        }
        return defaultServer(context, parameter).server();
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

    // ---- declarations: parameters and fields ----

    private static ServerResource parameterServer(ExtensionContext context, Parameter parameter, Declaration declaration) {
        return Resources.server(context, new Resources.Key("parameter", parameter, context.getUniqueId()),
                () -> declaration.start(Configuration.of(context)));
    }

    /** The store key of a static field's server (found from any nested context). */
    private static Resources.Key staticKey(Field field) {
        return new Resources.Key("static-field", field, null);
    }

    /** The store key of an instance field's server in one test. */
    private static Resources.Key instanceKey(Field field, ExtensionContext testContext) {
        return new Resources.Key("field", field, testContext.getUniqueId());
    }

    /**
     * Starts a field's server and injects it (or its URI or address).
     *
     * @throws ExtensionConfigurationException naming the field and the fix
     */
    private static void inject(ExtensionContext context, Field field, Object instance, Resources.Key key) {
        Declaration declaration = Declaration.on(field).orElseThrow();
        Class<?> type = field.getType();
        if (!Declaration.SERVER_TYPES.contains(type)) {
            throw new ExtensionConfigurationException("Can only inject @EchoServer fields of type EmbeddedEchoServer, URI or"
                    + " InetSocketAddress but " + Declaration.describe(field) + " is " + type.getName()
                    + "; change its type to one of these (for a client, call server.newClient() or take an EchoClient parameter)");
        }
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException("@EchoServer " + Declaration.describe(field)
                    + " must not be final; remove 'final' so the server can be injected");
        }
        declaration.checkType(type);
        ServerResource resource = Resources.server(context, key, () -> declaration.start(Configuration.of(context)));
        try {
            field.setAccessible(true);
            field.set(instance, declaration.valueFor(type, resource));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("Could not inject @EchoServer " + Declaration.describe(field)
                    + ": " + e + "; make the field accessible (a non-final field; with JPMS, open the package to dev.echofixture.junit)", e);
        }
    }

    /**
     * Rejects {@code @EchoServer} on a lifecycle method itself, where it would configure nothing.
     *
     * @throws ExtensionConfigurationException naming the method and where the annotation may go
     */
    private static void rejectMisplaced(Class<?> testClass) {
        Optional<String> misplaced = MISPLACED.get(testClass);
        if (misplaced.isPresent()) {
            throw new ExtensionConfigurationException(misplaced.get());
        }
    }

    /** Per class: the message about an {@code @EchoServer} on a lifecycle method, if there is one; looked up once. */
    private static final ClassValue<Optional<String>> MISPLACED = new ClassValue<>() {
        @Override
        protected Optional<String> computeValue(Class<?> testClass) {
            for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method method : c.getDeclaredMethods()) {
                    for (Class<? extends Annotation> lifecycle : LIFECYCLE) {
                        if (AnnotationSupport.isAnnotated(method, lifecycle) && Declaration.isAnnotated(method)) {
                            return Optional.of("@EchoServer on method [" + Declaration.describe(method) + "], a @"
                                    + lifecycle.getSimpleName() + " method, configures nothing there: put it on the test class,"
                                    + " a test method, a field, or a parameter of that method (for example " + method.getName()
                                    + "(@EchoServer EmbeddedEchoServer server)), and remove it from the method");
                        }
                    }
                }
            }
            return Optional.empty();
        }
    };

    // ---- the test's default server ----

    /**
     * The test's default server, started now if it is a per-test one. Searching from the test
     * class outwards through the classes enclosing a {@code @Nested} class, at each level: the
     * one {@code @EchoServer} instance field (or {@code @RegisterExtension EchoServerExtension}
     * instance field), else the one static field (of either kind), else (at the innermost level,
     * first) the method's annotation, else the class's annotation. When no level has any, the
     * one {@code @EchoServer} parameter of the test method, and when there is none either, a
     * server with default settings.
     *
     * @param requester the parameter that asks, named in messages
     * @throws ParameterResolutionException when one level has two candidates
     */
    private static ServerResource defaultServer(ExtensionContext context, Parameter requester) {
        List<Class<?>> levels = levels(context.getRequiredTestClass());
        List<Object> instances = context.getTestInstances().map(i -> i.getAllInstances()).orElse(List.of());
        for (int i = 0; i < levels.size(); i++) {
            Class<?> level = levels.get(i);
            if (instances.stream().anyMatch(level::isInstance)) {
                Optional<ServerResource> field = fieldServer(context, level, false, requester, instances);
                if (field.isPresent()) {
                    return field.get();
                }
            }
            Optional<ServerResource> staticField = fieldServer(context, level, true, requester, instances);
            if (staticField.isPresent()) {
                return staticField.get();
            }
            Optional<Declaration> declared = i == 0 ? context.getTestMethod().flatMap(Declaration::on) : Optional.empty();
            if (declared.isEmpty()) {
                declared = Declaration.on(level);
            }
            if (declared.isPresent()) {
                return perTest(context, declared.get());
            }
        }
        Optional<Parameter> parameter = loneAnnotatedParameter(context, requester);
        if (parameter.isPresent()) {
            return parameterServer(context, parameter.get(), Declaration.on(parameter.get()).orElseThrow());
        }
        return perTest(context, Declaration.defaults("the default server of " + context.getDisplayName()));
    }

    /** The test class, then each class it is nested in (as long as it is an inner class). */
    private static List<Class<?>> levels(Class<?> testClass) {
        List<Class<?>> levels = new ArrayList<>();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            levels.add(c);
            if (Modifier.isStatic(c.getModifiers())) {
                break;
            }
        }
        return levels;
    }

    private static Optional<ServerResource> fieldServer(ExtensionContext context, Class<?> level, boolean statics, Parameter requester,
                                                        List<Object> instances) {
        List<Field> annotated = Declaration.annotatedFields(level, statics).stream()
                .filter(f -> Declaration.SERVER_TYPES.contains(f.getType())).collect(Collectors.toList());
        List<Field> registered = registeredFields(level, statics);
        if (annotated.size() + registered.size() > 1) {
            String names = Stream.concat(annotated.stream(), registered.stream()).map(Field::getName).collect(Collectors.joining(", "));
            throw new ParameterResolutionException(Declaration.describe(requester) + " needs the test's default @EchoServer, but class ["
                    + level.getName() + "] has " + (annotated.size() + registered.size()) + (statics ? " static" : " instance")
                    + (registered.isEmpty() ? " @EchoServer fields [" : " @EchoServer or @RegisterExtension EchoServerExtension fields [")
                    + names + "]; keep one such field, or ask for a specific server with an annotated parameter"
                    + " (@EchoServer EmbeddedEchoServer server)" + (registered.isEmpty() ? "" : " or with extension.server()")
                    + " and call server.newClient()");
        }
        if (!annotated.isEmpty()) {
            Resources.Key key = statics ? staticKey(annotated.get(0)) : instanceKey(annotated.get(0), context);
            return Optional.ofNullable(context.getStore(Resources.NAMESPACE).get(key, ServerResource.class));
        }
        if (!registered.isEmpty()) {
            Object instance = statics ? null : instances.stream().filter(level::isInstance).findFirst().orElse(null);
            EchoServerExtension extension = statics || instance != null ? read(registered.get(0), instance) : null;
            return extension == null || extension.settings == null ? Optional.empty()
                    : Optional.ofNullable(context.getStore(Resources.NAMESPACE).get(extension.registeredKey(context, statics), ServerResource.class));
        }
        return Optional.empty();
    }

    private static ServerResource perTest(ExtensionContext context, Declaration declaration) {
        return Resources.server(context, new Resources.Key("default", null, context.getUniqueId()),
                () -> declaration.start(Configuration.of(context)));
    }

    private static Optional<Parameter> loneAnnotatedParameter(ExtensionContext context, Parameter requester) {
        Optional<Method> method = context.getTestMethod();
        if (method.isEmpty()) {
            return Optional.empty();
        }
        List<Parameter> annotated = Arrays.stream(method.get().getParameters())
                .filter(p -> Declaration.SERVER_TYPES.contains(p.getType()) && Declaration.on(p).isPresent())
                .collect(Collectors.toList());
        if (annotated.size() > 1) {
            throw new ParameterResolutionException(Declaration.describe(requester) + " needs the test's default @EchoServer, but method ["
                    + Declaration.describe(method.get()) + "] has " + annotated.size()
                    + " @EchoServer parameters and no @EchoServer field, method or class annotation picks one;"
                    + " annotate the method or the class, or use server.newClient() on the server you want");
        }
        return annotated.stream().findFirst();
    }

    /** The n-th {@code EchoClient} parameter of {@code @BeforeEach}, the test and {@code @AfterEach} is the same client. */
    private static ClientResource client(ExtensionContext context, Parameter parameter) {
        Parameter[] all = parameter.getDeclaringExecutable().getParameters();
        long index = Arrays.stream(all).limit(Arrays.asList(all).indexOf(parameter))
                .filter(p -> p.getType() == EchoClient.class).count();
        return Resources.client(context, new Resources.Key("client", index, context.getUniqueId()),
                () -> ClientResource.connect(defaultServer(context, parameter)));
    }

    // ---- builder-made instances ----

    private void startRegistered(ExtensionContext context, Field field, Resources.Key key) {
        String description = field == null ? "an EchoServerExtension" : Declaration.describe(field);
        current = Resources.server(context, key,
                () -> Declaration.registered(description, settings, failOnOpenConnections).start(Configuration.of(context)));
    }

    /** The store key of this extension's server: per class for a static field, per test otherwise. */
    private Resources.Key registeredKey(ExtensionContext context, boolean perClass) {
        return new Resources.Key("extension", this, perClass ? null : context.getUniqueId());
    }

    /** The static field that holds this extension, in the class and its superclasses, and, if asked, in enclosing classes. */
    private Optional<Field> ownStaticField(Class<?> testClass, boolean enclosing) {
        for (Class<?> level = testClass; level != null; level = enclosing ? level.getEnclosingClass() : null) {
            for (Field field : registeredFields(level, true)) {
                if (read(field, null) == this) {
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Field> ownInstanceField(ExtensionContext testContext) {
        for (Object instance : testContext.getRequiredTestInstances().getAllInstances()) {
            for (Field field : registeredFields(instance.getClass(), false)) {
                if (read(field, instance) == this) {
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code @RegisterExtension} fields of type {@link EchoServerExtension} of a class and its superclasses. */
    private static List<Field> registeredFields(Class<?> type, boolean statics) {
        return (statics ? STATIC_REGISTERED : INSTANCE_REGISTERED).get(type);
    }

    private static boolean isRegistered(Field field) {
        return EchoServerExtension.class.isAssignableFrom(field.getType()) && AnnotationSupport.isAnnotated(field, RegisterExtension.class);
    }

    private static final ClassValue<List<Field>> STATIC_REGISTERED = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return Declaration.fields(type, true, EchoServerExtension::isRegistered);
        }
    };

    private static final ClassValue<List<Field>> INSTANCE_REGISTERED = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return Declaration.fields(type, false, EchoServerExtension::isRegistered);
        }
    };

    /** The extension in a field; {@code null} for a static field when {@code instance} is {@code null}. */
    private static EchoServerExtension read(Field field, Object instance) {
        try {
            field.setAccessible(true);
            return (EchoServerExtension) field.get(instance);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("Could not read " + Declaration.describe(field) + ": " + e
                    + "; with JPMS, open the test package to dev.echofixture.junit", e);
        }
    }

    /**
     * Builds an {@link EchoServerExtension}: every setting of {@link EmbeddedEchoServer.Builder},
     * plus {@link #failOnOpenConnections(boolean)}. Each setter checks its value at once, as the
     * core's builder does, and throws its {@link dev.echofixture.SettingException} naming it;
     * settings that depend on each other (a {@code unixSocketPath} on TCP, {@code resetAfter} or
     * {@code chunkSize} on UDP, a {@code port} on UNIX) are checked when the server starts, failing the class or the test with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the field.
     * Not thread-safe; {@link #build()} may be called more than once.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private ServerSettings settings = ServerSettings.none();
        private Boolean failOnOpenConnections;

        private Builder() {
        }

        /** Adds one builder call; {@link ServerSettings#with} tries it at once, so a bad value fails here. */
        private Builder set(String setting, Object value, Consumer<EmbeddedEchoServer.Builder> call) {
            settings = settings.with(setting, value, call);
            return this;
        }

        /**
         * The transport: {@link EmbeddedEchoServer.Builder#transport(Transport)}.
         *
         * @param transport TCP (default), UDP or UNIX
         * @return this builder
         */
        public Builder transport(Transport transport) {
            return set("transport", transport, b -> b.transport(transport));
        }

        /**
         * The host to bind (TCP and UDP): {@link EmbeddedEchoServer.Builder#host(String)}. Unset:
         * the configuration parameter {@code echofixture.host}, else the loopback address.
         *
         * @param host the host
         * @return this builder
         */
        public Builder host(String host) {
            return set("host", host, b -> b.host(host));
        }

        /**
         * The port to bind (TCP and UDP): {@link EmbeddedEchoServer.Builder#port(int)}; keep 0 in tests.
         *
         * @param port 0 (default, an ephemeral port) to 65535
         * @return this builder
         */
        public Builder port(int port) {
            return set("port", port, b -> b.port(port));
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
            return set("unixSocketPath", path, b -> b.unixSocketPath(path));
        }

        /**
         * The network conditions: {@link EmbeddedEchoServer.Builder#behavior(EchoBehavior)}.
         *
         * @param behavior the behaviour; default plain echo
         * @return this builder
         */
        public Builder behavior(EchoBehavior behavior) {
            return set("behavior", behavior, b -> b.behavior(behavior));
        }

        /**
         * How many connections may be open at once: {@link EmbeddedEchoServer.Builder#maxConnections(int)}.
         *
         * @param maxConnections at least 1; default 1024
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            return set("maxConnections", maxConnections, b -> b.maxConnections(maxConnections));
        }

        /**
         * Closes connections idle for this long: {@link EmbeddedEchoServer.Builder#idleTimeout(Duration)}.
         *
         * @param idleTimeout the time-out; default none
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            return set("idleTimeout", idleTimeout, b -> b.idleTimeout(idleTimeout));
        }

        /**
         * Bytes recorded per connection: {@link EmbeddedEchoServer.Builder#recordLimit(int)}.
         *
         * @param bytes at least 0; default 64 KiB
         * @return this builder
         */
        public Builder recordLimit(int bytes) {
            return set("recordLimit", bytes, b -> b.recordLimit(bytes));
        }

        /**
         * Which connections fail, and how: {@link EmbeddedEchoServer.Builder#faultPlan(FaultPlan)}.
         *
         * @param plan the plan
         * @return this builder
         */
        public Builder faultPlan(FaultPlan plan) {
            return set("faultPlan", plan, b -> b.faultPlan(plan));
        }

        /**
         * The seed for jitter: {@link EmbeddedEchoServer.Builder#seed(long)}. Unset: the
         * configuration parameter {@code echofixture.seed}, else a random seed per server.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            return set("seed", seed, b -> b.seed(seed));
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
            return set("tls", options, b -> b.tls(options));
        }

        /**
         * Answers with scripted replies: {@link EmbeddedEchoServer.Builder#script(Script)}.
         *
         * @param script the script
         * @return this builder
         * @since 0.1.0
         */
        public Builder script(Script script) {
            return set("script", script, b -> b.script(script));
        }

        /**
         * Proxy mode: {@link EmbeddedEchoServer.Builder#proxy(ProxyOptions)}, for conditions on
         * the way to the upstream ({@link ProxyOptions#upstreamBehavior(EchoBehavior)}) or what a
         * failed connect does.
         *
         * @param options where and how to forward
         * @return this builder
         */
        public Builder proxy(ProxyOptions options) {
            return set("proxyTo", options, b -> b.proxy(options));
        }

        /**
         * Proxy mode to the upstream a URI names: {@link EmbeddedEchoServer.Builder#proxyTo(URI)}.
         *
         * @param upstream {@code tcp://host:port} or {@code unix:/path}
         * @return this builder
         */
        public Builder proxyTo(URI upstream) {
            return set("proxyTo", upstream, b -> b.proxyTo(upstream));
        }

        /**
         * Proxy mode to a fixed address: {@link EmbeddedEchoServer.Builder#proxyTo(SocketAddress)}.
         *
         * @param upstream an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
         * @return this builder
         */
        public Builder proxyTo(SocketAddress upstream) {
            return set("proxyTo", upstream, b -> b.proxyTo(upstream));
        }

        /**
         * Proxy mode to the address the supplier gives when each connection arrives:
         * {@link EmbeddedEchoServer.Builder#proxyTo(Supplier)}. The extension starts its servers
         * before {@code @BeforeEach}, so a test that starts its upstream there names it lazily:
         * {@code .proxyTo(() -> upstream.getAddress())}.
         *
         * @param upstream gives the upstream's address
         * @return this builder
         */
        public Builder proxyTo(Supplier<? extends SocketAddress> upstream) {
            return set("proxyTo", upstream, b -> b.proxyTo(upstream));
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
            failOnOpenConnections = fail;
            return this;
        }

        /**
         * The extension, to assign to a field annotated with {@code @RegisterExtension}.
         *
         * @return a new extension with the settings so far
         */
        public EchoServerExtension build() {
            return new EchoServerExtension(settings, failOnOpenConnections);
        }
    }
}
