package dev.echofixture.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
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

/**
 * Finds {@code @EchoServer} on an element, directly or through meta-annotations (on classes
 * also on superclasses, as the annotation is {@code @Inherited}), and names elements for
 * messages. An element that carries {@code @EchoServer} several times with different
 * attributes is a configuration error. The answer for an element never changes, so it is
 * looked up once per element and kept with the element's class ({@link ClassValue}, so the
 * cache goes away with the class); a configuration error is not cached but thrown each time.
 * Any thread.
 */
final class Declarations {

    /** An annotation with every attribute at its default, for servers nobody configured. */
    @EchoServer
    private static final class Defaults {
    }

    static final EchoServer DEFAULTS = Defaults.class.getAnnotation(EchoServer.class);

    private Declarations() {
    }

    /** Per class: what was found on it and on its methods and parameters, by element. */
    private static final ClassValue<Map<Object, Optional<Declaration>>> FOUND = new ClassValue<>() {
        @Override
        protected Map<Object, Optional<Declaration>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** The annotation on a field; the error names the field. */
    static Optional<Declaration> onField(Field field) {
        return find(field, describe(field), false);
    }

    /** The annotation on a parameter; the error names the parameter. */
    static Optional<Declaration> onParameter(Parameter parameter) {
        return FOUND.get(parameter.getDeclaringExecutable().getDeclaringClass())
                .computeIfAbsent(parameter, p -> find(parameter, describe(parameter), true));
    }

    /** The annotation on a method. */
    static Optional<Declaration> onMethod(Method method) {
        return FOUND.get(method.getDeclaringClass())
                .computeIfAbsent(method, m -> find(method, "method [" + describe(method) + "]", false));
    }

    /** The annotation on a class or, as it is {@code @Inherited}, on its nearest annotated superclass. */
    static Optional<Declaration> onClass(Class<?> type) {
        return FOUND.get(type).computeIfAbsent(type, t -> searchClass(type));
    }

    private static Optional<Declaration> searchClass(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Optional<Declaration> found = find(c, "class [" + type.getName() + "]", false);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** A server with all defaults, for a default server that nothing configured. */
    static Declaration defaults(String description) {
        return Declaration.of(DEFAULTS, description);
    }

    private static Optional<Declaration> find(AnnotatedElement element, String description, boolean parameter) {
        Map<EchoServer, String> found = new LinkedHashMap<>();
        collect(element.getDeclaredAnnotations(), "directly", found, new HashSet<>());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            String how = String.join(" and ", found.values());
            String message = description + " is annotated with @EchoServer " + found.size()
                    + " times with different attributes (" + how + "); keep one";
            throw parameter
                    ? Declaration.ofParameter(Declarations.DEFAULTS, description).fail(message)
                    : Declaration.of(Declarations.DEFAULTS, description).fail(message);
        }
        EchoServer settings = found.keySet().iterator().next();
        return Optional.of(parameter ? Declaration.ofParameter(settings, description) : Declaration.of(settings, description));
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
     * The {@code @EchoServer} fields of a class and its superclasses, superclass first. The
     * answer per class never changes, so it is computed once ({@link ClassValue} is thread-safe).
     */
    static List<Field> annotatedFields(Class<?> type, boolean statics) {
        return (statics ? STATIC_FIELDS : INSTANCE_FIELDS).get(type);
    }

    private static final ClassValue<List<Field>> STATIC_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return findAnnotatedFields(type, true);
        }
    };

    private static final ClassValue<List<Field>> INSTANCE_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return findAnnotatedFields(type, false);
        }
    };

    private static List<Field> findAnnotatedFields(Class<?> type, boolean statics) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) == statics && !field.isSynthetic() && isAnnotated(field)) {
                    fields.add(field);
                }
            }
        }
        return List.copyOf(fields);
    }

    private static boolean isAnnotated(AnnotatedElement element) {
        Map<EchoServer, String> found = new LinkedHashMap<>();
        collect(element.getDeclaredAnnotations(), "directly", found, new HashSet<>());
        return !found.isEmpty();
    }
}
