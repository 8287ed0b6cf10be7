package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public surface of every package the module exports, compared with the checked-in listing
 * {@code src/test/resources/public-api.txt}, so that every change to the API shows up in review.
 * After an intended change, regenerate the listing with
 * {@code ./mvnw -B -pl echo-fixture test -Dtest=PublicApiTests -Dpublicapi.update=true}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PublicApiTests {

    private static final Path LISTING = Path.of("src/test/resources/public-api.txt");

    @Test
    void publicSurfaceMatchesTheCheckedInListing() throws Exception {
        String actual = String.join("\n", describePublicApi()) + "\n";
        if (Boolean.getBoolean("publicapi.update")) {
            Files.writeString(LISTING, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(LISTING, StandardCharsets.UTF_8);
        assertEquals(expected, actual, "the public API changed; if intended, regenerate " + LISTING
                + " with -Dpublicapi.update=true and review the diff");
    }

    /** The packages the module descriptor exports: the listing covers each of them. */
    static List<String> exportedPackages() throws IOException, URISyntaxException {
        try (InputStream in = Files.newInputStream(classesRoot().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in).exports().stream()
                    .map(ModuleDescriptor.Exports::source)
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(EmbeddedEchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> describePublicApi() throws IOException, URISyntaxException, ClassNotFoundException {
        List<String> names = new ArrayList<>();
        for (String pkg : exportedPackages()) {
            try (Stream<Path> files = Files.list(classesRoot().resolve(pkg.replace('.', '/')))) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                        .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()).replace('$', '.'))
                        .sorted()
                        .forEach(names::add);
            }
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Class<?> type = load(name);
            if (type == null || !Modifier.isPublic(type.getModifiers()) || type.isAnonymousClass() || type.isSynthetic()) {
                continue;
            }
            lines.add(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT | abstractIfClass(type))
                    + " " + kind(type) + " " + type.getName()
                    + (type.getSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum() && !type.isRecord()
                        ? " extends " + type.getSuperclass().getName() : "")
                    + interfaces(type));
            List<String> members = new ArrayList<>();
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (isApi(c.getModifiers())) {
                    members.add("  " + Modifier.toString(c.getModifiers()) + " <init>(" + params(c.getGenericParameterTypes()) + ")");
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (isApi(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add("  " + Modifier.toString(m.getModifiers() & Modifier.methodModifiers() & ~Modifier.ABSTRACT)
                            + " " + m.getGenericReturnType().getTypeName() + " " + m.getName()
                            + "(" + params(m.getGenericParameterTypes()) + ")"
                            + throwsClause(m.getExceptionTypes()));
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (isApi(f.getModifiers()) && !f.isSynthetic()) {
                    members.add("  " + Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName() + " " + f.getName());
                }
            }
            members.sort(null);
            lines.addAll(members);
        }
        return lines;
    }

    private static Class<?> load(String dottedName) throws ClassNotFoundException {
        String binary = dottedName;
        while (true) {
            try {
                return Class.forName(binary, false, PublicApiTests.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                int dot = binary.lastIndexOf('.');
                if (dot <= "dev.echofixture".length()) {
                    throw e;
                }
                binary = binary.substring(0, dot) + "$" + binary.substring(dot + 1);
            }
        }
    }

    private static int abstractIfClass(Class<?> type) {
        return !type.isInterface() && Modifier.isAbstract(type.getModifiers()) ? Modifier.ABSTRACT : 0;
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isRecord() ? "record" : "class";
    }

    private static String interfaces(Class<?> type) {
        Class<?>[] interfaces = type.getInterfaces();
        if (interfaces.length == 0 || type.isAnnotation()) {
            return "";
        }
        return (type.isInterface() ? " extends " : " implements ")
                + Arrays.stream(interfaces).map(Class::getName).sorted().collect(Collectors.joining(", "));
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String params(java.lang.reflect.Type[] types) {
        return Arrays.stream(types).map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String throwsClause(Class<?>[] exceptions) {
        return exceptions.length == 0 ? ""
                : " throws " + Arrays.stream(exceptions).map(Class::getName).collect(Collectors.joining(", "));
    }
}
