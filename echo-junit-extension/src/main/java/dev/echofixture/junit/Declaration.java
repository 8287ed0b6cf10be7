package dev.echofixture.junit;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
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

    /**
     * Starts a server configured by the attributes.
     *
     * @throws JUnitException naming the attribute for a bad value, or the element when the
     *                        server cannot bind
     */
    EmbeddedEchoServer start() {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder();
        EchoServer s = settings;
        set("transport", s.transport(), () -> builder.transport(s.transport()));
        set("host", "\"" + s.host() + "\"", () -> builder.host(s.host()));
        set("port", s.port(), () -> builder.port(s.port()));
        set("maxConnections", s.maxConnections(), () -> builder.maxConnections(s.maxConnections()));
        set("recordLimit", s.recordLimit(), () -> builder.recordLimit(s.recordLimit()));
        if (s.seed() != 0) {
            builder.seed(s.seed());
        }
        EchoBehavior behavior = EchoBehavior.echo();
        behavior = change(behavior, "latencyMillis", s.latencyMillis(), 0, b -> b.latency(Duration.ofMillis(s.latencyMillis())));
        behavior = change(behavior, "jitterMillis", s.jitterMillis(), 0, b -> b.jitter(Duration.ofMillis(s.jitterMillis())));
        behavior = change(behavior, "bandwidth", s.bandwidth(), 0, b -> b.bandwidth(s.bandwidth()));
        behavior = change(behavior, "chunkSize", s.chunkSize(), 0, b -> b.chunkSize(s.chunkSize()));
        behavior = change(behavior, "closeAfter", s.closeAfter(), -1, b -> b.closeAfter(s.closeAfter()));
        behavior = change(behavior, "resetAfter", s.resetAfter(), -1, b -> b.resetAfter(s.resetAfter()));
        if (s.silent()) {
            behavior = behavior.silent();
        }
        builder.behavior(behavior);
        try {
            return builder.start();
        } catch (IllegalArgumentException e) {
            throw error.apply(prefix() + e.getMessage() + "; fix the @EchoServer attributes", e);
        } catch (UncheckedIOException e) {
            throw error.apply("Could not start the @EchoServer of " + description + ": " + e.getMessage()
                    + "; use port = 0 (the default) for a free ephemeral port", e);
        } catch (RuntimeException e) {
            throw error.apply("Could not start the @EchoServer of " + description + ": " + e.getMessage(), e);
        }
    }

    private void set(String attribute, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw badAttribute(attribute, value, e);
        }
    }

    private EchoBehavior change(EchoBehavior behavior, String attribute, long value, long unset, UnaryOperator<EchoBehavior> modifier) {
        if (value == unset) {
            return behavior;
        }
        try {
            return modifier.apply(behavior);
        } catch (IllegalArgumentException e) {
            throw badAttribute(attribute, value, e);
        }
    }

    private JUnitException badAttribute(String attribute, Object value, IllegalArgumentException e) {
        return error.apply(prefix() + "bad attribute " + attribute + " = " + value + ": " + e.getMessage()
                + "; fix the attribute", e);
    }

    private String prefix() {
        return "@EchoServer on " + description + ": ";
    }
}
