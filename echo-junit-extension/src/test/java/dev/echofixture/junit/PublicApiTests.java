package dev.echofixture.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The extension's public surface (package {@code dev.echofixture.junit}), compared with the
 * checked-in listing {@code src/test/resources/extension-public-api.txt}, as the core's
 * {@code PublicApiTests} does for {@code dev.echofixture}. After an intended change, regenerate
 * it with {@code ./mvnw -B -pl echo-junit-extension -am test -Dtest=PublicApiTests
 * -Dsurefire.failIfNoSpecifiedTests=false -Dpublicapi.update=true} and review the diff
 * (additions only). Works on the classes directory and on the jar (the Jupiter 5/6 modules).
 */
@Timeout(30)
class PublicApiTests {

    private static final String LISTING = "extension-public-api.txt";

    @Test
    void publicSurfaceMatchesTheCheckedInListing() throws Exception {
        String actual = String.join("\n", describePublicApi()) + "\n";
        if (Boolean.getBoolean("publicapi.update")) {
            Files.writeString(Path.of("src/test/resources", LISTING), actual, StandardCharsets.UTF_8);
        }
        String expected;
        try (var in = PublicApiTests.class.getClassLoader().getResourceAsStream(LISTING)) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, actual, "the public API of dev.echofixture.junit changed; if intended, regenerate " + LISTING
                + " with -Dpublicapi.update=true and review the diff");
    }

    private static List<String> describePublicApi() throws Exception {
        Path location = Path.of(EchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        if (Files.isDirectory(location)) {
            names = classNames(location.resolve("dev/echofixture/junit"));
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                names = classNames(jar.getPath("dev/echofixture/junit"));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
            if (!Modifier.isPublic(type.getModifiers()) || type.isAnonymousClass() || type.isSynthetic()) {
                continue;
            }
            String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum" : "class";
            lines.add(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT) + " " + kind + " "
                    + type.getName() + (type.isAnnotation() || type.getInterfaces().length == 0 ? ""
                    : " implements " + Arrays.stream(type.getInterfaces()).map(Class::getName).sorted().collect(Collectors.joining(", "))));
            List<String> members = new ArrayList<>();
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                    members.add("  " + Modifier.toString(c.getModifiers()) + " <init>(" + params(c.getGenericParameterTypes()) + ")");
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if ((Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) && !m.isSynthetic() && !m.isBridge()) {
                    members.add("  " + Modifier.toString(m.getModifiers() & Modifier.methodModifiers() & ~Modifier.ABSTRACT) + " "
                            + m.getGenericReturnType().getTypeName() + " " + m.getName() + "(" + params(m.getGenericParameterTypes()) + ")");
                }
            }
            members.sort(null);
            lines.addAll(members);
        }
        return lines;
    }

    private static List<String> classNames(Path packageDir) throws Exception {
        try (Stream<Path> files = Files.list(packageDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.equals("package-info.class") && !n.equals("module-info.class"))
                    .map(n -> "dev.echofixture.junit." + n.substring(0, n.length() - ".class".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static String params(java.lang.reflect.Type[] types) {
        return Arrays.stream(types).map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(", "));
    }
}
