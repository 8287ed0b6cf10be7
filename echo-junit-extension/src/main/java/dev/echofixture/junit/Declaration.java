package dev.echofixture.junit;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.JUnitException;

/**
 * One {@code @EchoServer} annotation and where it was found: turns the attributes into a
 * started server, and turns a bad attribute into an exception that names the attribute, the
 * element and the fix. Immutable; any thread.
 *
 * @param settings    the annotation
 * @param description the element, for example {@code field [MyTests.server]}
 * @param error       the exception type for this kind of element: {@link ParameterResolutionException}
 *                    for parameters, {@link ExtensionConfigurationException} otherwise
 */
record Declaration(EchoServer settings, String description, BiFunction<String, Throwable, JUnitException> error) {

    /** The longest latency or jitter an attribute accepts, in milliseconds: an hour, as the core's. */
    static final long MAX_DELAY_MILLIS = Duration.ofHours(1).toMillis();

    /** For fields, methods and classes. */
    static Declaration of(EchoServer settings, String description) {
        return new Declaration(settings, description,
                (message, cause) -> cause == null ? new ExtensionConfigurationException(message) : new ExtensionConfigurationException(message, cause));
    }

    /** For parameters. */
    static Declaration ofParameter(EchoServer settings, String description) {
        return new Declaration(settings, description,
                (message, cause) -> cause == null ? new ParameterResolutionException(message) : new ParameterResolutionException(message, cause));
    }

    JUnitException fail(String message) {
        return error.apply(message, null);
    }

    /** Starts a server configured by the attributes alone (no configuration parameters). */
    EmbeddedEchoServer start() {
        return start(Configuration.NONE);
    }

    /**
     * Starts a server configured by the attributes; where an attribute is at its default
     * ({@code host = "127.0.0.1"}, {@code seed = 0}), the run's configuration parameter applies.
     *
     * @throws JUnitException naming the attribute for a bad value, or the element when the
     *                        server cannot bind
     */
    EmbeddedEchoServer start(Configuration configuration) {
        EchoServer s = settings;
        check("port", s.port(), 0, 65_535, "0 to 65535, 0 for an ephemeral port");
        check("maxConnections", s.maxConnections(), 1, Integer.MAX_VALUE, ">= 1");
        check("recordLimit", s.recordLimit(), 0, Integer.MAX_VALUE, ">= 0, 0 to record nothing");
        check("latencyMillis", s.latencyMillis(), 0, MAX_DELAY_MILLIS, "0 to " + MAX_DELAY_MILLIS);
        check("jitterMillis", s.jitterMillis(), 0, MAX_DELAY_MILLIS, "0 to " + MAX_DELAY_MILLIS);
        check("bandwidth", s.bandwidth(), 0, Long.MAX_VALUE, ">= 0, 0 for unlimited");
        check("chunkSize", s.chunkSize(), 0, Integer.MAX_VALUE, ">= 0, 0 for unlimited");
        check("closeAfter", s.closeAfter(), -1, Long.MAX_VALUE, ">= -1, -1 for never");
        check("resetAfter", s.resetAfter(), -1, Long.MAX_VALUE, ">= -1, -1 for never");
        EchoBehavior behavior = EchoBehavior.echo();
        if (s.latencyMillis() > 0) {
            behavior = behavior.latency(Duration.ofMillis(s.latencyMillis()));
        }
        if (s.jitterMillis() > 0) {
            behavior = behavior.jitter(Duration.ofMillis(s.jitterMillis()));
        }
        if (s.bandwidth() > 0) {
            behavior = behavior.bandwidth(s.bandwidth());
        }
        if (s.chunkSize() > 0) {
            behavior = behavior.chunkSize(s.chunkSize());
        }
        if (s.closeAfter() >= 0) {
            behavior = behavior.closeAfter(s.closeAfter());
        }
        if (s.resetAfter() >= 0) {
            behavior = behavior.resetAfter(s.resetAfter());
        }
        if (s.silent()) {
            behavior = behavior.silent();
        }
        try {
            boolean defaultHost = s.host().equals(Declarations.DEFAULTS.host());
            EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder()
                    .transport(s.transport())
                    .maxConnections(s.maxConnections())
                    .recordLimit(s.recordLimit())
                    .behavior(behavior);
            if (!defaultHost) {
                builder.host(s.host());
            } else if (configuration.host().isPresent() && s.transport() != dev.echofixture.Transport.UNIX) {
                builder.host(configuration.host().get());
            }
            if (s.port() != 0) {
                builder.port(s.port());
            }
            if (s.seed() != 0) {
                builder.seed(s.seed());
            } else if (configuration.seed().isPresent()) {
                builder.seed(configuration.seed().getAsLong());
            }
            return builder.start();
        } catch (IllegalArgumentException e) {
            // the core names its setting, which is the attribute's name for every check left to it (host, resetAfter on UDP)
            String source = s.host().equals(Declarations.DEFAULTS.host()) && configuration.host().isPresent()
                    && e.getMessage().startsWith("host:") ? " (from the configuration parameter " + Configuration.HOST + ")" : "";
            throw error.apply(prefix() + e.getMessage() + source + "; fix the @EchoServer attributes", e);
        } catch (UncheckedIOException e) {
            throw error.apply("Could not start the @EchoServer of " + description + ": " + e.getMessage()
                    + "; use port = 0 (the default) for a free ephemeral port", e);
        } catch (RuntimeException e) {
            throw error.apply("Could not start the @EchoServer of " + description + ": " + e.getMessage(), e);
        }
    }

    /** Rejects an attribute outside its range, in the annotation's own terms: {@code latencyMillis: -5 (expected: 0 to 3600000)}. */
    private void check(String attribute, long value, long min, long max, String expected) {
        if (value < min || value > max) {
            throw error.apply(prefix() + attribute + ": " + value + " (expected: " + expected + "); fix the attribute", null);
        }
    }

    private String prefix() {
        return "@EchoServer on " + description + ": ";
    }
}
