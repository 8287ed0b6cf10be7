package dev.echofixture.junit;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
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
 * @param seed                  the seed of every server that sets none
 * @param host                  the host of every TCP/UDP server that sets none
 * @param failOnOpenConnections the check for every server that does not ask for it itself
 */
record Configuration(OptionalLong seed, Optional<String> host, boolean failOnOpenConnections) {

    /** Replays every server's jitter in a run: the seed of every server that sets none. */
    static final String SEED = "echofixture.seed";
    /** The default bind host, for example {@code ::1} on an IPv6-only runner. */
    static final String HOST = "echofixture.host";
    /** The suite-wide default of {@code failOnOpenConnections}. */
    static final String FAIL_ON_OPEN_CONNECTIONS = "echofixture.failOnOpenConnections";

    private static final Resources.Key KEY = new Resources.Key("configuration", null, null);

    /** No parameters set. */
    static final Configuration NONE = new Configuration(OptionalLong.empty(), Optional.empty(), false);

    /**
     * The configuration of the run the context belongs to.
     *
     * @throws ExtensionConfigurationException naming the parameter, its value and the fix, for a bad value
     */
    static Configuration of(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(Resources.NAMESPACE);
        Configuration known = store.get(KEY, Configuration.class);
        if (known == null) {
            known = read(context);
            store.put(KEY, known); // racing threads read the same parameters: either value is the same
        }
        return known;
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
}
