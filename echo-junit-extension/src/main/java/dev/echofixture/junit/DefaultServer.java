package dev.echofixture.junit;

import dev.echofixture.EmbeddedEchoServer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Picks the test's default server, the one that unannotated {@code EmbeddedEchoServer} and
 * {@code EchoClient} parameters get. Searching from the test class outwards through the classes
 * enclosing a {@code @Nested} class, at each level: the one {@code @EchoServer} instance field
 * (or {@code @RegisterExtension EchoServerExtension} instance field), else the one static field (of either kind), else (at the innermost level, first) the method's annotation, else
 * the class's annotation; these last two give a server for this test (or class) alone. When no
 * level has any, the one {@code @EchoServer EmbeddedEchoServer} parameter of the test method is
 * the default, and when there is none either, a server with default settings. Two candidates
 * at one level fail with a {@link ParameterResolutionException}. Stateless; called on the
 * test's thread.
 */
final class DefaultServer {

    private DefaultServer() {
    }

    /**
     * The default server of the context, started now if it is a per-test one.
     *
     * @param context   the test's (or, for constructors and class-level methods, the class's) context
     * @param requester the parameter that asks, named in messages
     */
    static ServerResource resolve(ExtensionContext context, Parameter requester) {
        List<Class<?>> levels = levels(context.getRequiredTestClass());
        List<Object> instances = context.getTestInstances().map(i -> i.getAllInstances()).orElse(List.of());
        for (int i = 0; i < levels.size(); i++) {
            Class<?> level = levels.get(i);
            if (instances.stream().anyMatch(level::isInstance)) {
                Optional<ServerResource> field = field(context, level, false, requester, instances);
                if (field.isPresent()) {
                    return field.get();
                }
            }
            Optional<ServerResource> staticField = field(context, level, true, requester, instances);
            if (staticField.isPresent()) {
                return staticField.get();
            }
            if (i == 0 && context.getTestMethod().isPresent()) {
                Optional<Declaration> onMethod = Declarations.onMethod(context.getTestMethod().get());
                if (onMethod.isPresent()) {
                    return perTest(context, onMethod.get());
                }
            }
            Optional<Declaration> onClass = Declarations.onClass(level);
            if (onClass.isPresent()) {
                return perTest(context, onClass.get());
            }
        }
        Optional<Parameter> parameter = loneAnnotatedParameter(context, requester);
        if (parameter.isPresent()) {
            return ParameterInjector.annotatedServer(parameter.get(), context);
        }
        return perTest(context, Declarations.defaults("the default server of " + context.getDisplayName()));
    }

    /** The test class, then each class it is nested in (as long as it is an inner class). */
    static List<Class<?>> levels(Class<?> testClass) {
        List<Class<?>> levels = new ArrayList<>();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            levels.add(c);
            if (Modifier.isStatic(c.getModifiers())) {
                break;
            }
        }
        return levels;
    }

    private static Optional<ServerResource> field(ExtensionContext context, Class<?> level, boolean statics, Parameter requester,
                                                  List<Object> instances) {
        List<Field> annotated = Declarations.annotatedFields(level, statics).stream()
                .filter(f -> f.getType() == EmbeddedEchoServer.class).collect(Collectors.toList());
        List<Field> registered = RegisteredServer.registeredFields(level, statics);
        if (annotated.size() + registered.size() > 1) {
            String names = Stream.concat(annotated.stream(), registered.stream()).map(Field::getName).collect(Collectors.joining(", "));
            throw new ParameterResolutionException(Declarations.describe(requester) + " needs the test's default @EchoServer, but class ["
                    + level.getName() + "] has " + (annotated.size() + registered.size()) + (statics ? " static" : " instance")
                    + (registered.isEmpty() ? " @EchoServer fields [" : " @EchoServer or @RegisterExtension EchoServerExtension fields [")
                    + names + "]; keep one such field, or ask for a specific server with an annotated parameter"
                    + " (@EchoServer EmbeddedEchoServer server)" + (registered.isEmpty() ? "" : " or with extension.server()")
                    + " and call server.newClient()");
        }
        if (!annotated.isEmpty()) {
            Resources.Key key = statics ? FieldInjector.staticKey(annotated.get(0)) : FieldInjector.instanceKey(annotated.get(0), context);
            return Optional.ofNullable(context.getStore(Resources.NAMESPACE).get(key, ServerResource.class));
        }
        if (!registered.isEmpty()) {
            Object instance = statics ? null : instances.stream().filter(level::isInstance).findFirst().orElse(null);
            EchoServerExtension extension = statics || instance != null ? RegisteredServer.read(registered.get(0), instance) : null;
            return extension == null ? Optional.empty() : extension.registered().flatMap(r -> r.resource(context, statics));
        }
        return Optional.empty();
    }

    private static ServerResource perTest(ExtensionContext context, Declaration declaration) {
        Resources.Key key = new Resources.Key("default", null, context.getUniqueId());
        ServerResource server = context.getStore(Resources.NAMESPACE).get(key, ServerResource.class);
        if (server == null) {
            server = Resources.of(context).add(ServerResource.start(declaration, context));
            context.getStore(Resources.NAMESPACE).put(key, server);
        }
        return server;
    }

    private static Optional<Parameter> loneAnnotatedParameter(ExtensionContext context, Parameter requester) {
        Optional<Method> method = context.getTestMethod();
        if (method.isEmpty()) {
            return Optional.empty();
        }
        List<Parameter> annotated = Arrays.stream(method.get().getParameters())
                .filter(p -> p.getType() == EmbeddedEchoServer.class && Declarations.onParameter(p).isPresent())
                .collect(Collectors.toList());
        if (annotated.size() > 1) {
            throw new ParameterResolutionException(Declarations.describe(requester) + " needs the test's default @EchoServer, but method ["
                    + Declarations.describe(method.get()) + "] has " + annotated.size()
                    + " @EchoServer parameters and no @EchoServer field, method or class annotation picks one;"
                    + " annotate the method or the class, or use server.newClient() on the server you want");
        }
        return annotated.stream().findFirst();
    }
}
