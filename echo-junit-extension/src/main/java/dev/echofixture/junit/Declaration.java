package dev.echofixture.junit;

import dev.echofixture.EchoBehavior;
import dev.echofixture.FaultPlan;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.ServerSettings;
import dev.echofixture.SettingException;
import dev.echofixture.Transport;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.JUnitException;

/**
 * One server declaration: where it is, and its settings as {@link ServerSettings} (only those
 * the user set) plus {@code failOnOpenConnections}. Made by one of two parsers, the
 * {@code @EchoServer} annotation's ({@link #of(EchoServer, String, boolean)}) or the
 * {@link EchoServerExtension.Builder}'s ({@link #registered}); {@link #start(Configuration)}
 * layers the run's configuration parameters under it and starts the server, turning a bad
 * setting into an exception that names it in the declaration's own terms. Also finds
 * {@code @EchoServer} on elements (directly or through meta-annotations; on classes also on
 * superclasses, as it is {@code @Inherited}) and names elements for messages. Immutable; any
 * thread.
 *
 * @param description the element, for example {@code field [MyTests.server]}
 * @param kind        which surface declared it, for messages and exception types
 * @param settings    the server settings the declaration sets
 * @param failOnOpen  {@code failOnOpenConnections} as declared; {@code null} when not set
 */
record Declaration(String description, Kind kind, ServerSettings settings, Boolean failOnOpen) {

    /** Which surface declared a server. */
    enum Kind {
        /** {@code @EchoServer} on a class, method or field: {@link ExtensionConfigurationException}. */
        ANNOTATION,
        /** {@code @EchoServer} on a parameter: {@link ParameterResolutionException}. */
        PARAMETER,
        /** {@code EchoServerExtension.builder()}: {@link ExtensionConfigurationException}. */
        BUILDER
    }

    /** The types a declaration may be injected as: the server, or its address. */
    static final List<Class<?>> SERVER_TYPES = List.of(EmbeddedEchoServer.class, URI.class, InetSocketAddress.class);

    /** The longest latency or jitter an attribute accepts, in milliseconds: an hour, as the core's. */
    static final long MAX_DELAY_MILLIS = Duration.ofHours(1).toMillis();

    /** An annotation with every attribute at its default: an attribute at its default is not set. */
    @EchoServer
    private static final class Defaults {
    }

    private static final EchoServer DEFAULTS = Defaults.class.getAnnotation(EchoServer.class);

    /** The annotation's parser: the attributes not at their defaults, as settings. */
    static Declaration of(EchoServer a, String description, boolean parameter) {
        return of(a, description, parameter, null);
    }

    /**
     * The annotation's parser, with the class the annotated element belongs to: where a
     * {@code faultPlan} or {@code script} method is looked up, and whose static members
     * {@code proxyTo} may name.
     */
    static Declaration of(EchoServer a, String description, boolean parameter, Class<?> owner) {
        Declaration declaration = new Declaration(description, parameter ? Kind.PARAMETER : Kind.ANNOTATION,
                ServerSettings.none(), a.failOnOpenConnections() ? Boolean.TRUE : null);
        declaration.check("port", a.port(), 0, 65_535, "0 to 65535, 0 for an ephemeral port");
        declaration.check("maxConnections", a.maxConnections(), 1, Integer.MAX_VALUE, ">= 1");
        declaration.check("recordLimit", a.recordLimit(), 0, Integer.MAX_VALUE, ">= 0, 0 to record nothing");
        declaration.check("latencyMillis", a.latencyMillis(), 0, MAX_DELAY_MILLIS, "0 to " + MAX_DELAY_MILLIS);
        declaration.check("jitterMillis", a.jitterMillis(), 0, MAX_DELAY_MILLIS, "0 to " + MAX_DELAY_MILLIS);
        declaration.check("bandwidth", a.bandwidth(), 0, Long.MAX_VALUE, ">= 0, 0 for unlimited");
        declaration.check("chunkSize", a.chunkSize(), 0, Integer.MAX_VALUE, ">= 0, 0 for unlimited");
        declaration.check("closeAfter", a.closeAfter(), -1, Long.MAX_VALUE, ">= -1, -1 for never");
        declaration.check("resetAfter", a.resetAfter(), -1, Long.MAX_VALUE, ">= -1, -1 for never");
        declaration.checkFaults(a);
        ServerSettings s = ServerSettings.none();
        if (a.transport() != DEFAULTS.transport()) {
            s = s.with("transport", a.transport(), b -> b.transport(a.transport()));
        }
        if (!a.host().equals(DEFAULTS.host())) {
            s = s.with("host", a.host(), b -> b.host(a.host()));
        }
        if (a.port() != DEFAULTS.port()) {
            s = s.with("port", a.port(), b -> b.port(a.port()));
        }
        if (a.maxConnections() != DEFAULTS.maxConnections()) {
            s = s.with("maxConnections", a.maxConnections(), b -> b.maxConnections(a.maxConnections()));
        }
        if (a.recordLimit() != DEFAULTS.recordLimit()) {
            s = s.with("recordLimit", a.recordLimit(), b -> b.recordLimit(a.recordLimit()));
        }
        if (a.seed() != DEFAULTS.seed()) {
            s = s.with("seed", a.seed(), b -> b.seed(a.seed()));
        }
        if (!a.proxyTo().isEmpty()) {
            try {
                if (UpstreamMember.isUri(a.proxyTo())) {
                    URI upstream = URI.create(a.proxyTo());
                    s = s.with("proxyTo", a.proxyTo(), b -> b.proxyTo(upstream));
                } else {
                    UpstreamMember member = UpstreamMember.find(owner, a.proxyTo());
                    s = s.with("proxyTo", member, b -> b.proxyTo(member));
                }
            } catch (IllegalArgumentException e) {
                String detail = e instanceof SettingException bad ? bad.detail() : a.proxyTo() + " (" + e.getMessage() + ")";
                throw declaration.fail(declaration.prefix() + "proxyTo: " + detail + "; fix the attribute", e);
            }
        }
        EchoBehavior behavior = behavior(a);
        if (!behavior.equals(EchoBehavior.echo())) {
            s = s.with("behavior", behavior, b -> b.behavior(behavior));
        }
        if (!a.faultPlan().equals(DEFAULTS.faultPlan())) {
            FaultPlan plan;
            try {
                plan = FaultPlanMethod.call(a.faultPlan(), owner == null ? Object.class : owner);
            } catch (IllegalArgumentException e) {
                throw declaration.fail(declaration.prefix() + "faultPlan: " + e.getMessage() + "; fix the attribute", e.getCause());
            }
            s = s.with("faultPlan", plan, b -> b.faultPlan(plan));
        }
        return new Declaration(description, declaration.kind(), s, declaration.failOnOpen());
    }

    private static EchoBehavior behavior(EchoServer a) {
        EchoBehavior behavior = EchoBehavior.echo();
        if (a.latencyMillis() > 0) {
            behavior = behavior.latency(Duration.ofMillis(a.latencyMillis()));
        }
        if (a.jitterMillis() > 0) {
            behavior = behavior.jitter(Duration.ofMillis(a.jitterMillis()));
        }
        if (a.bandwidth() > 0) {
            behavior = behavior.bandwidth(a.bandwidth());
        }
        if (a.chunkSize() > 0) {
            behavior = behavior.chunkSize(a.chunkSize());
        }
        if (a.closeAfter() >= 0) {
            behavior = behavior.closeAfter(a.closeAfter());
        }
        if (a.resetAfter() >= 0) {
            behavior = behavior.resetAfter(a.resetAfter());
        }
        behavior = a.silent() ? behavior.silent() : behavior;
        return withFaults(behavior, a);
    }

    /** The builder's declaration: its settings, already checked one by one as they were set. */
    static Declaration registered(String description, ServerSettings settings, Boolean failOnOpen) {
        return new Declaration(description, Kind.BUILDER, settings, failOnOpen);
    }

    /** A server with all defaults, for a default server that nothing configured. */
    static Declaration defaults(String description) {
        return of(DEFAULTS, description, false);
    }

    /**
     * Starts the server: these settings over the run's configuration parameters over the core's
     * defaults.
     *
     * @throws JUnitException naming the setting in the declaration's terms for a bad value, or
     *         the element when the server cannot bind
     */
    ServerResource start(Configuration configuration) {
        ServerSettings effective = settings.orElse(configuration.defaults(settings.transport()));
        EmbeddedEchoServer server;
        try {
            server = effective.applyTo(EmbeddedEchoServer.builder()).start();
        } catch (SettingException e) {
            String source = e.setting().equals("host") && !settings.isSet("host") && configuration.host().isPresent()
                    ? " (from the configuration parameter " + Configuration.HOST + ")" : "";
            throw fail(prefix() + name(e.setting()) + ": " + e.detail() + source
                    + (kind == Kind.BUILDER ? "; fix the builder's settings" : "; fix the @EchoServer attributes"), e);
        } catch (UncheckedIOException e) {
            throw fail("Could not start the " + surface() + " server of " + description + ": " + e.getMessage()
                    + (kind == Kind.BUILDER ? "; leave the port unset (or 0) for a free ephemeral port"
                    : "; use port = 0 (the default) for a free ephemeral port"), e);
        } catch (RuntimeException e) {
            throw fail("Could not start the " + surface() + " server of " + description + ": " + e.getMessage(), e);
        }
        return new ServerResource(server, description, failOnOpenConnectionsSource(configuration));
    }

    /** What turns {@code failOnOpenConnections} on for this declaration, or {@code null} when it is off. */
    String failOnOpenConnectionsSource(Configuration configuration) {
        if (failOnOpen != null) {
            return !failOnOpen ? null : kind == Kind.BUILDER
                    ? "EchoServerExtension.builder().failOnOpenConnections(true)"
                    : "@EchoServer(failOnOpenConnections = true)";
        }
        return configuration.failOnOpenConnections() ? "the configuration parameter " + Configuration.FAIL_ON_OPEN_CONNECTIONS + "=true" : null;
    }

    /** The setting's name where the user wrote it: the attribute for an annotation, the builder method otherwise. */
    private String name(String setting) {
        if (kind == Kind.BUILDER) {
            return setting;
        }
        return switch (setting) {
            case "latency" -> "latencyMillis";
            case "jitter" -> "jitterMillis";
            case "slowClose" -> "slowCloseMillis";
            default -> setting;
        };
    }

    private String surface() {
        return kind == Kind.BUILDER ? "EchoServerExtension" : "@EchoServer";
    }

    private String prefix() {
        return kind == Kind.BUILDER ? "EchoServerExtension in " + description + ": " : "@EchoServer on " + description + ": ";
    }

    /** The exception for this declaration's element, with the message as is. */
    JUnitException fail(String message, Throwable cause) {
        if (kind == Kind.PARAMETER) {
            return cause == null ? new ParameterResolutionException(message) : new ParameterResolutionException(message, cause);
        }
        return cause == null ? new ExtensionConfigurationException(message) : new ExtensionConfigurationException(message, cause);
    }

    /** The fault attributes not at their defaults, added to {@code behavior}. */
    private static EchoBehavior withFaults(EchoBehavior behavior, EchoServer a) {
        if (a.udpLoss() > 0) {
            behavior = behavior.udpLoss(a.udpLoss());
        }
        if (a.udpDuplication() > 0) {
            behavior = behavior.udpDuplication(a.udpDuplication());
        }
        if (a.udpReordering() > 0) {
            behavior = behavior.udpReordering(a.udpReordering());
        }
        if (a.corruptRate() > 0) {
            behavior = behavior.corruptRate(a.corruptRate());
        }
        if (a.corruptAt().length > 0) {
            behavior = behavior.corruptAt(a.corruptAt());
        }
        if (a.randomDataThenClose() > 0) {
            behavior = behavior.randomDataThenClose(a.randomDataThenClose());
        }
        if (a.slowCloseMillis() > 0) {
            behavior = behavior.slowClose(Duration.ofMillis(a.slowCloseMillis()));
        }
        return behavior;
    }

    /** Rejects a fault attribute outside its range, like {@link #check}. */
    private void checkFaults(EchoServer a) {
        checkRate("udpLoss", a.udpLoss());
        checkRate("udpDuplication", a.udpDuplication());
        checkRate("udpReordering", a.udpReordering());
        checkRate("corruptRate", a.corruptRate());
        for (long offset : a.corruptAt()) {
            if (offset < 0) {
                throw fail(prefix() + "corruptAt: " + java.util.Arrays.toString(a.corruptAt())
                        + " (expected: byte offsets >= 0); fix the attribute", null);
            }
        }
        if (a.randomDataThenClose() != -1) {
            check("randomDataThenClose", a.randomDataThenClose(), 1, Integer.MAX_VALUE, ">= 1, -1 for none");
        }
        check("slowCloseMillis", a.slowCloseMillis(), 0, MAX_DELAY_MILLIS, "0 to " + MAX_DELAY_MILLIS);
    }

    private void checkRate(String attribute, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw fail(prefix() + attribute + ": " + value + " (expected: 0.0 to 1.0, such as 0.1); fix the attribute", null);
        }
    }

    /** Rejects an attribute outside its range, in the annotation's own terms: {@code latencyMillis: -5 (expected: 0 to 3600000)}. */
    private void check(String attribute, long value, long min, long max, String expected) {
        if (value < min || value > max) {
            throw fail(prefix() + attribute + ": " + value + " (expected: " + expected + "); fix the attribute", null);
        }
    }

    // ---- finding declarations ----

    /** Per class: the declaration found on it and on its methods, parameters and fields, by element. */
    private static final ClassValue<Map<Object, Optional<Declaration>>> FOUND = new ClassValue<>() {
        @Override
        protected Map<Object, Optional<Declaration>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** The declaration on a field. */
    static Optional<Declaration> on(Field field) {
        return FOUND.get(field.getDeclaringClass()).computeIfAbsent(field, f -> find(field, describe(field), false));
    }

    /** The declaration on a parameter. */
    static Optional<Declaration> on(Parameter parameter) {
        return FOUND.get(parameter.getDeclaringExecutable().getDeclaringClass())
                .computeIfAbsent(parameter, p -> find(parameter, describe(parameter), true));
    }

    /** The declaration on a method. */
    static Optional<Declaration> on(Method method) {
        return FOUND.get(method.getDeclaringClass())
                .computeIfAbsent(method, m -> find(method, "method [" + describe(method) + "]", false));
    }

    /** The declaration on a class or, as it is {@code @Inherited}, on its nearest annotated superclass. */
    static Optional<Declaration> on(Class<?> type) {
        return FOUND.get(type).computeIfAbsent(type, t -> {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                Optional<Declaration> found = find(c, "class [" + type.getName() + "]", false);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        });
    }

    /** Whether an element carries {@code @EchoServer}, directly or through meta-annotations. */
    static boolean isAnnotated(AnnotatedElement element) {
        return !collect(element).isEmpty();
    }

    private static Optional<Declaration> find(AnnotatedElement element, String description, boolean parameter) {
        Map<EchoServer, String> found = collect(element);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            String how = String.join(" and ", found.values());
            throw new Declaration(description, parameter ? Kind.PARAMETER : Kind.ANNOTATION, ServerSettings.none(), null)
                    .fail(description + " is annotated with @EchoServer " + found.size()
                            + " times with different attributes (" + how + "); keep one", null);
        }
        EchoServer annotation = found.keySet().iterator().next();
        Declaration declaration = of(annotation, description, parameter, owner(element));
        if (annotation.script().isEmpty()) {
            return Optional.of(declaration);
        }
        ScriptFactory factory = ScriptFactory.find(annotation.script(), owner(element),
                message -> declaration.fail(declaration.prefix() + "script: " + message, null));
        return Optional.of(new Declaration(description, declaration.kind(),
                declaration.settings().with("script", annotation.script(), factory::applyTo), declaration.failOnOpen()));
    }

    /** The class an annotated element belongs to: where its {@code faultPlan} and {@code script} methods are looked up. */
    private static Class<?> owner(AnnotatedElement element) {
        if (element instanceof Class<?> type) {
            return type;
        }
        if (element instanceof Parameter parameter) {
            return parameter.getDeclaringExecutable().getDeclaringClass();
        }
        return element instanceof java.lang.reflect.Member member ? member.getDeclaringClass() : Object.class;
    }

    private static Map<EchoServer, String> collect(AnnotatedElement element) {
        Map<EchoServer, String> found = new LinkedHashMap<>();
        collect(element.getDeclaredAnnotations(), "directly", found, new HashSet<>());
        return found;
    }

    private static void collect(Annotation[] annotations, String via, Map<EchoServer, String> found, Set<Class<?>> visited) {
        for (Annotation annotation : annotations) {
            Class<? extends Annotation> type = annotation.annotationType();
            if (annotation instanceof EchoServer echoServer) {
                found.putIfAbsent(echoServer, via);
            } else if (!type.getName().startsWith("java.lang.annotation.") && visited.add(type)) {
                collect(type.getDeclaredAnnotations(), "through @" + type.getSimpleName(), found, visited);
            }
        }
    }

    /**
     * The {@code @EchoServer} fields of a class and its superclasses, superclass first; computed
     * once per class ({@link ClassValue} is thread-safe).
     */
    static List<Field> annotatedFields(Class<?> type, boolean statics) {
        return (statics ? STATIC_FIELDS : INSTANCE_FIELDS).get(type);
    }

    private static final ClassValue<List<Field>> STATIC_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return fields(type, true, Declaration::isAnnotated);
        }
    };

    private static final ClassValue<List<Field>> INSTANCE_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return fields(type, false, Declaration::isAnnotated);
        }
    };

    /** The fields of a class and its superclasses, superclass first, that are static (or not) and match. */
    static List<Field> fields(Class<?> type, boolean statics, java.util.function.Predicate<Field> matches) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) == statics && !field.isSynthetic() && matches.test(field)) {
                    fields.add(field);
                }
            }
        }
        return List.copyOf(fields);
    }

    // ---- naming elements ----

    /** {@code field [MyTests.server]}. */
    static String describe(Field field) {
        return "field [" + field.getDeclaringClass().getSimpleName() + "." + field.getName() + "]";
    }

    /** {@code parameter [EmbeddedEchoServer arg0] in method [MyTests.test(EmbeddedEchoServer)]}. */
    static String describe(Parameter parameter) {
        Executable executable = parameter.getDeclaringExecutable();
        String kind = executable instanceof Method ? "method" : "constructor";
        return "parameter [" + parameter.getType().getSimpleName() + " " + parameter.getName() + "] in "
                + kind + " [" + describe(executable) + "]";
    }

    /** {@code MyTests.test(EmbeddedEchoServer, EchoClient)}. */
    static String describe(Executable executable) {
        String params = Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String name = executable instanceof Method ? executable.getName() : executable.getDeclaringClass().getSimpleName();
        return executable.getDeclaringClass().getSimpleName() + "." + name + "(" + params + ")";
    }

    /**
     * The value a declaration of this type gets from its server: the server, its URI, or its
     * {@link InetSocketAddress}.
     *
     * @throws JUnitException for an {@code InetSocketAddress} of a UNIX server, naming the element and the fix
     */
    Object valueFor(Class<?> type, ServerResource resource) {
        EmbeddedEchoServer server = resource.server();
        if (type == URI.class) {
            return server.uri();
        }
        if (type == InetSocketAddress.class) {
            return server.address();
        }
        return server;
    }

    /**
     * Rejects an {@code InetSocketAddress} declaration of a UNIX server before it starts.
     *
     * @throws JUnitException naming the element and the fix
     */
    void checkType(Class<?> type) {
        if (type == InetSocketAddress.class && settings.transport() == Transport.UNIX) {
            throw fail("@EchoServer " + description + " is of type InetSocketAddress, but its server is a UNIX server, which"
                    + " listens on a socket file and has no InetSocketAddress; declare it as URI (unix:...) or as"
                    + " EmbeddedEchoServer (socketAddress())", null);
        }
    }
}
