package dev.echofixture.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The server side of one {@link EchoServerExtension} made by its builder and registered with
 * {@code @RegisterExtension}: in a static field it starts one server for the class (in
 * {@code beforeAll}, shared by {@code @Nested} classes), in an instance field one per test (in
 * {@code beforeEach}). Each server goes into the {@link Resources} of its scope, so the owner of
 * the scope closes it and reports on it like any other, and into the store under
 * {@link #key(ExtensionContext, boolean)}, where {@link DefaultServer} finds it.
 *
 * <p>Thread-safe: the servers live in the context stores; {@link #current()} is only the most
 * recent one, for {@link EchoServerExtension#server()}.
 */
final class RegisteredServer {

    private final EchoServerExtension extension;
    private final ServerSettings settings;
    private volatile ServerResource current;

    RegisteredServer(EchoServerExtension extension, ServerSettings settings) {
        this.extension = extension;
        this.settings = settings;
    }

    /** A static field in the test class (or a superclass) starts the class's server here. */
    void beforeAll(ExtensionContext classContext) {
        Optional<Field> field = staticField(classContext.getRequiredTestClass(), false);
        if (field.isPresent()) {
            start(classContext, field.get(), key(classContext, true));
        }
    }

    /** An instance field starts the test's server here; a static one (maybe of an enclosing class) already did. */
    void beforeEach(ExtensionContext testContext) {
        if (staticField(testContext.getRequiredTestClass(), true).isPresent()) {
            return;
        }
        Optional<Field> field = instanceField(testContext);
        start(testContext, field.orElse(null), key(testContext, false));
    }

    private void start(ExtensionContext context, Field field, Resources.Key key) {
        String description = field == null ? "an EchoServerExtension" : Declarations.describe(field);
        Configuration configuration = Configuration.of(context);
        ServerResource resource = new ServerResource(settings.start(description, configuration), description,
                settings.failOnOpenConnections(configuration));
        Resources.of(context).add(resource);
        context.getStore(Resources.NAMESPACE).put(key, resource);
        current = resource;
    }

    /** The store key of this extension's server: per class for a static field, per test otherwise. */
    Resources.Key key(ExtensionContext context, boolean perClass) {
        return new Resources.Key("extension", extension, perClass ? null : context.getUniqueId());
    }

    /** This extension's server visible from the context (its class's, or its test's), if started. */
    Optional<ServerResource> resource(ExtensionContext context, boolean perClass) {
        return Optional.ofNullable(context.getStore(Resources.NAMESPACE).get(key(context, perClass), ServerResource.class));
    }

    /** The most recently started server. */
    ServerResource current() {
        return current;
    }

    /** The static field that holds this extension, in the class and its superclasses, and, if asked, in enclosing classes. */
    private Optional<Field> staticField(Class<?> testClass, boolean enclosing) {
        for (Class<?> level = testClass; level != null; level = enclosing ? level.getEnclosingClass() : null) {
            for (Field field : registeredFields(level, true)) {
                if (read(field, null) == extension) {
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Field> instanceField(ExtensionContext testContext) {
        for (Object instance : testContext.getRequiredTestInstances().getAllInstances()) {
            for (Field field : registeredFields(instance.getClass(), false)) {
                if (read(field, instance) == extension) {
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code @RegisterExtension} fields of type {@link EchoServerExtension} of a class and its
     * superclasses; computed once per class ({@link ClassValue} is thread-safe).
     */
    static List<Field> registeredFields(Class<?> type, boolean statics) {
        return (statics ? STATIC_FIELDS : INSTANCE_FIELDS).get(type);
    }

    private static final ClassValue<List<Field>> STATIC_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return findRegisteredFields(type, true);
        }
    };

    private static final ClassValue<List<Field>> INSTANCE_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return findRegisteredFields(type, false);
        }
    };

    private static List<Field> findRegisteredFields(Class<?> type, boolean statics) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) == statics && EchoServerExtension.class.isAssignableFrom(field.getType())
                        && AnnotationSupport.isAnnotated(field, RegisterExtension.class)) {
                    fields.add(field);
                }
            }
        }
        return List.copyOf(fields);
    }

    /** The extension in a field; {@code null} for a static field when {@code instance} is {@code null}. */
    static EchoServerExtension read(Field field, Object instance) {
        try {
            field.setAccessible(true);
            return (EchoServerExtension) field.get(instance);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("Could not read " + Declarations.describe(field) + ": " + e
                    + "; with JPMS, open the test package to dev.echofixture.junit", e);
        }
    }
}
