package dev.echofixture.junit;

import dev.echofixture.EmbeddedEchoServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Injects {@code @EchoServer} fields: static fields once per class (from {@code beforeAll}),
 * instance fields with a fresh server for each test (from {@code beforeEach}, into every test
 * instance, so enclosing instances of {@code @Nested} tests get theirs too). Each server is
 * kept in the store of the scope it belongs to. Stateless; called on the test's thread.
 */
final class FieldInjector {

    private FieldInjector() {
    }

    /** Injects the static fields declared by the context's test class and its superclasses. */
    static void injectStaticFields(ExtensionContext classContext) {
        Class<?> testClass = classContext.getRequiredTestClass();
        for (Field field : Declarations.annotatedFields(testClass, true)) {
            inject(classContext, field, null, staticKey(field));
        }
    }

    /** Injects the instance fields of every test instance, outermost first. */
    static void injectInstanceFields(ExtensionContext testContext) {
        for (Object instance : testContext.getRequiredTestInstances().getAllInstances()) {
            for (Field field : Declarations.annotatedFields(instance.getClass(), false)) {
                inject(testContext, field, instance, instanceKey(field, testContext));
            }
        }
    }

    /** The store key of a static field's server (found from any nested context). */
    static Resources.Key staticKey(Field field) {
        return new Resources.Key("static-field", field, null);
    }

    /** The store key of an instance field's server in one test. */
    static Resources.Key instanceKey(Field field, ExtensionContext testContext) {
        return new Resources.Key("field", field, testContext.getUniqueId());
    }

    /**
     * Checks a field without injecting it.
     *
     * @throws ExtensionConfigurationException naming the field and the fix
     */
    static Declaration check(Field field) {
        Declaration declaration = Declarations.onField(field).orElseThrow();
        if (field.getType() != EmbeddedEchoServer.class) {
            throw new ExtensionConfigurationException("Can only inject @EchoServer fields of type EmbeddedEchoServer but "
                    + Declarations.describe(field) + " is " + field.getType().getName()
                    + "; change its type to EmbeddedEchoServer (for a client, call server.newClient() or take an EchoClient parameter)");
        }
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException("@EchoServer " + Declarations.describe(field)
                    + " must not be final; remove 'final' so the server can be injected");
        }
        return declaration;
    }

    private static void inject(ExtensionContext context, Field field, Object instance, Resources.Key key) {
        Declaration declaration = check(field);
        ServerResource resource = Resources.of(context).add(ServerResource.start(declaration, context));
        context.getStore(Resources.NAMESPACE).put(key, resource);
        try {
            field.setAccessible(true);
            field.set(instance, resource.server());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("Could not inject @EchoServer " + Declarations.describe(field)
                    + ": " + e + "; make the field accessible (a non-final field; with JPMS, open the package to dev.echofixture.junit)", e);
        }
    }
}
