package dev.echofixture.junit;

import dev.echofixture.ServerSettings;
import dev.echofixture.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite-wide defaults read from JUnit configuration parameters ({@code junit-platform.properties}
 * or {@code -D...}): {@value #SEED}, {@value #HOST} and {@value #FAIL_ON_OPEN_CONNECTIONS}. They
 * apply where a declaration leaves the setting at its default: an annotation attribute at its
 * default value ({@code seed = 0}, {@code host = "127.0.0.1"}, {@code failOnOpenConnections = false})
 * counts as not set, a builder setting that was never called as well. Read once per run (kept in
 * the root context's store); immutable; any thread.
 *
 * <p>JUnit hands an extension its parameters by key only, so a mistyped key would go unseen;
 * what can be listed is checked: every {@code echofixture.*} key in a
 * {@code junit-platform.properties} on the class path and among the system properties must be
 * one of the three, else the run fails naming the nearest known key.
 *
 * @param seed                  the seed of every server that sets none
 * @param host                  the host of every TCP/UDP/TLS server that sets none
 * @param failOnOpenConnections the check for every server that does not ask for it itself
 */
record Configuration(OptionalLong seed, Optional<String> host, boolean failOnOpenConnections) {

    /** Replays every server's jitter in a run: the seed of every server that sets none. */
    static final String SEED = "echofixture.seed";
    /** The default bind host, for example {@code ::1} on an IPv6-only runner. */
    static final String HOST = "echofixture.host";
    /** The suite-wide default of {@code failOnOpenConnections}. */
    static final String FAIL_ON_OPEN_CONNECTIONS = "echofixture.failOnOpenConnections";
    /** Every key the extension reads. */
    static final List<String> KEYS = List.of(SEED, HOST, FAIL_ON_OPEN_CONNECTIONS);

    private static final String PREFIX = "echofixture.";
    private static final String PROPERTIES_FILE = "junit-platform.properties";
    private static final Resources.Key KEY = new Resources.Key("configuration", null, null);

    /** No parameters set. */
    static final Configuration NONE = new Configuration(OptionalLong.empty(), Optional.empty(), false);

    /**
     * The configuration of the run the context belongs to.
     *
     * @throws ExtensionConfigurationException naming the parameter, its value and the fix, for a
     *         bad value or an unknown {@code echofixture.*} key
     */
    static Configuration of(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(Resources.NAMESPACE);
        Configuration known = store.get(KEY, Configuration.class);
        if (known == null) {
            checkKeys(visibleKeys());
            known = read(context);
            store.put(KEY, known); // racing threads read the same parameters: either value is the same
        }
        return known;
    }

    /**
     * The settings these parameters give a server whose own settings ask for {@code transport}:
     * the seed, and the host unless the server is a UNIX one (which has no host).
     */
    ServerSettings defaults(Transport transport) {
        ServerSettings settings = ServerSettings.none();
        if (host.isPresent() && transport != Transport.UNIX) {
            String value = host.get();
            settings = settings.with("host", value, b -> b.host(value));
        }
        if (seed.isPresent()) {
            long value = seed.getAsLong();
            settings = settings.with("seed", value, b -> b.seed(value));
        }
        return settings;
    }

    private static Configuration read(ExtensionContext context) {
        OptionalLong seed = OptionalLong.empty();
        Optional<String> seedText = parameter(context, SEED);
        if (seedText.isPresent()) {
            try {
                seed = OptionalLong.of(Long.parseLong(seedText.get()));
            } catch (NumberFormatException e) {
                throw bad(SEED, seedText.get(), "a whole number such as 42, the seed shown in a failure report");
            }
        }
        Optional<String> host = parameter(context, HOST);
        boolean failOnOpenConnections = false;
        Optional<String> failText = parameter(context, FAIL_ON_OPEN_CONNECTIONS);
        if (failText.isPresent()) {
            String value = failText.get().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw bad(FAIL_ON_OPEN_CONNECTIONS, failText.get(), "true or false");
            }
            failOnOpenConnections = value.equals("true");
        }
        return new Configuration(seed, host, failOnOpenConnections);
    }

    /** A parameter's trimmed value; a blank value counts as not set. */
    private static Optional<String> parameter(ExtensionContext context, String key) {
        return context.getConfigurationParameter(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static ExtensionConfigurationException bad(String key, String value, String expected) {
        return new ExtensionConfigurationException("Configuration parameter " + key + ": " + value + " (expected: " + expected
                + "); fix it in junit-platform.properties or -D" + key + "=..., or remove it");
    }

    /**
     * The {@code echofixture.*} keys that can be listed, each with where it was found: the
     * system properties, then each {@code junit-platform.properties} on the class path (the
     * context class loader's, as JUnit reads it).
     */
    static Map<String, String> visibleKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                keys.putIfAbsent(name, "the system property -D" + name);
            }
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Configuration.class.getClassLoader();
        }
        try {
            for (URL url : Collections.list(loader.getResources(PROPERTIES_FILE))) {
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                for (String name : properties.stringPropertyNames()) {
                    if (name.startsWith(PREFIX)) {
                        keys.putIfAbsent(name, url.toString());
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable file is JUnit's to report; the check covers what it can read
        }
        return keys;
    }

    /**
     * Rejects {@code echofixture.*} keys the extension does not read.
     *
     * @param keys each key and where it was found
     * @throws ExtensionConfigurationException naming the first unknown key, where it is, and the
     *         nearest known key
     */
    static void checkKeys(Map<String, String> keys) {
        List<String> unknown = new ArrayList<>();
        keys.keySet().stream().filter(k -> !KEYS.contains(k)).sorted().forEach(unknown::add);
        if (unknown.isEmpty()) {
            return;
        }
        String key = unknown.get(0);
        String nearest = KEYS.stream().min(Comparator.comparingInt(k -> distance(k.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT))))
                .orElseThrow();
        throw new ExtensionConfigurationException("Configuration parameter " + key + " (in " + keys.get(key)
                + ") is not one echo-fixture reads: did you mean " + nearest + "? (expected one of " + String.join(", ", KEYS)
                + "); fix or remove it");
    }

    /** The edit distance between two keys (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
