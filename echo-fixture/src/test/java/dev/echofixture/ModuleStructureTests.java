package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The module's shape: it exports the API package alone, and its internal packages depend on
 * each other one way only, in the order {@link #LAYERS} writes down (docs/DESIGN.md draws it).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModuleStructureTests {

    private static final String INTERNAL = "dev.echofixture.internal.";

    /**
     * The internal packages from the bottom up. A package may import the packages of the layers
     * below its own, never one of its own layer or above.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("util"),
            List.of("loop", "conditions", "stream", "faults", "replies"),
            List.of("plans"),
            List.of("recording"),
            List.of("tls", "proxy"),
            List.of("server", "client"),
            List.of("cli"));

    private static final Path SOURCES = Path.of("src/main/java/dev/echofixture/internal");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.echofixture\\.internal\\.(\\w+)");

    @Test
    void exportsOnlyTheApiPackageToEveryone() throws Exception {
        ModuleDescriptor module = descriptor();
        assertEquals(List.of("dev.echofixture"),
                module.exports().stream().map(ModuleDescriptor.Exports::source).sorted().collect(Collectors.toList()),
                "exported packages");
        module.exports().forEach(e -> assertTrue(!e.isQualified(), "qualified export: " + e));
        assertTrue(module.opens().isEmpty(), "opened packages: " + module.opens());
        Set<String> internal = module.packages().stream().filter(p -> p.startsWith(INTERNAL)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(LAYERS.stream().flatMap(List::stream).map(p -> INTERNAL + p).collect(Collectors.toCollection(TreeSet::new)), internal,
                "the internal packages in the module and in LAYERS; place a new package in LAYERS");
    }

    @Test
    void apiListingCoversEveryExportedPackage() throws Exception {
        assertEquals(List.of("dev.echofixture"), PublicApiTests.exportedPackages());
    }

    @Test
    void internalPackagesImportOnlyTheLayersBelowThem() throws IOException {
        List<String> violations = new ArrayList<>();
        for (List<String> layer : LAYERS) {
            for (String pkg : layer) {
                int rank = rank(pkg);
                for (Path file : javaFiles(SOURCES.resolve(pkg))) {
                    String source = Files.readString(file, StandardCharsets.UTF_8);
                    Matcher m = REFERENCE.matcher(source);
                    Set<String> seen = new TreeSet<>();
                    while (m.find()) {
                        String used = m.group(1);
                        if (!used.equals(pkg) && seen.add(used) && rank(used) >= rank) {
                            violations.add(pkg + "/" + file.getFileName() + " uses internal." + used
                                    + " (allowed: the layers below " + pkg + ")");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "internal dependencies must run one way, as LAYERS orders them");
    }

    @Test
    void everyInternalPackageSaysItIsNotApi() throws IOException {
        for (String pkg : LAYERS.stream().flatMap(List::stream).collect(Collectors.toList())) {
            String info = Files.readString(SOURCES.resolve(pkg).resolve("package-info.java"), StandardCharsets.UTF_8);
            assertTrue(info.contains("Internal, not API"), pkg + "/package-info.java must say the package is not API");
        }
    }

    private static int rank(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("internal." + pkg + " is in no layer; place it in ModuleStructureTests.LAYERS");
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        Path classes = Path.of(EmbeddedEchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .forEach(f -> packages.add(classes.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), ".")));
        }
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in, () -> packages);
        }
    }
}
