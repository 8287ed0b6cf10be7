package dev.echofixture.junit;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings of an {@link EchoServerExtension.Builder}: each builder setting, {@code null}
 * while never called, so that the run's configuration parameters apply to the host and the
 * seed only where the builder leaves them. Each setting is checked when it is set, by the
 * core's own builder, so a bad value fails where it is written. Immutable once built.
 *
 * @param transport             {@link EmbeddedEchoServer.Builder#transport}
 * @param host                  {@link EmbeddedEchoServer.Builder#host}
 * @param port                  {@link EmbeddedEchoServer.Builder#port}
 * @param unixSocketPath        {@link EmbeddedEchoServer.Builder#unixSocketPath}
 * @param behavior              {@link EmbeddedEchoServer.Builder#behavior}
 * @param maxConnections        {@link EmbeddedEchoServer.Builder#maxConnections}
 * @param idleTimeout           {@link EmbeddedEchoServer.Builder#idleTimeout}
 * @param recordLimit           {@link EmbeddedEchoServer.Builder#recordLimit}
 * @param seed                  {@link EmbeddedEchoServer.Builder#seed}
 * @param failOnOpenConnections as {@link EchoServer#failOnOpenConnections()}
 * @param tls                   {@link EmbeddedEchoServer.Builder#tls}
 */
record ServerSettings(Transport transport, String host, Integer port, Path unixSocketPath, EchoBehavior behavior,
                      Integer maxConnections, Duration idleTimeout, Integer recordLimit, Long seed,
                      Boolean failOnOpenConnections, TlsOptions tls) {

    /** Nothing set: the core's defaults. */
    static final ServerSettings NONE = new ServerSettings(null, null, null, null, null, null, null, null, null, null, null);

    // one copy with one setting changed per builder setter
    ServerSettings withTransport(Transport value) {
        return new ServerSettings(value, host, port, unixSocketPath, behavior, maxConnections, idleTimeout, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withHost(String value) {
        return new ServerSettings(transport, value, port, unixSocketPath, behavior, maxConnections, idleTimeout, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withPort(int value) {
        return new ServerSettings(transport, host, value, unixSocketPath, behavior, maxConnections, idleTimeout, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withUnixSocketPath(Path value) {
        return new ServerSettings(transport, host, port, value, behavior, maxConnections, idleTimeout, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withBehavior(EchoBehavior value) {
        return new ServerSettings(transport, host, port, unixSocketPath, value, maxConnections, idleTimeout, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withMaxConnections(int value) {
        return new ServerSettings(transport, host, port, unixSocketPath, behavior, value, idleTimeout, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withIdleTimeout(Duration value) {
        return new ServerSettings(transport, host, port, unixSocketPath, behavior, maxConnections, value, recordLimit, seed, failOnOpenConnections, tls);
    }

    ServerSettings withRecordLimit(int value) {
        return new ServerSettings(transport, host, port, unixSocketPath, behavior, maxConnections, idleTimeout, value, seed, failOnOpenConnections, tls);
    }

    ServerSettings withSeed(long value) {
        return new ServerSettings(transport, host, port, unixSocketPath, behavior, maxConnections, idleTimeout, recordLimit, value, failOnOpenConnections, tls);
    }

    ServerSettings withTls(TlsOptions value) {
        return new ServerSettings(Transport.TLS, host, port, unixSocketPath, behavior, maxConnections, idleTimeout, recordLimit, seed, failOnOpenConnections, value);
    }

    ServerSettings withFailOnOpenConnections(boolean value) {
        return new ServerSettings(transport, host, port, unixSocketPath, behavior, maxConnections, idleTimeout, recordLimit, seed, value, tls);
    }

    /**
     * Starts a server.
     *
     * @param description   the declaration, for messages, for example {@code field [MyTests.echo]}
     * @param configuration the run's configuration parameters
     * @throws ExtensionConfigurationException naming the declaration and the reason
     */
    EmbeddedEchoServer start(String description, Configuration configuration) {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder();
        try {
            if (tls != null) {
                builder.tls(tls); // first: it sets the transport to TLS, which a later transport(...) may contradict
            }
            if (transport != null) {
                builder.transport(transport);
            }
            if (host != null) {
                builder.host(host);
            } else if (configuration.host().isPresent() && transport != Transport.UNIX) {
                builder.host(configuration.host().get());
            }
            if (port != null) {
                builder.port(port);
            }
            if (unixSocketPath != null) {
                builder.unixSocketPath(unixSocketPath);
            }
            if (behavior != null) {
                builder.behavior(behavior);
            }
            if (maxConnections != null) {
                builder.maxConnections(maxConnections);
            }
            if (idleTimeout != null) {
                builder.idleTimeout(idleTimeout);
            }
            if (recordLimit != null) {
                builder.recordLimit(recordLimit);
            }
            if (seed != null) {
                builder.seed(seed);
            } else if (configuration.seed().isPresent()) {
                builder.seed(configuration.seed().getAsLong());
            }
            return builder.start();
        } catch (IllegalArgumentException e) {
            String source = host == null && configuration.host().isPresent() && String.valueOf(e.getMessage()).startsWith("host:")
                    ? " (from the configuration parameter " + Configuration.HOST + ")" : "";
            throw new ExtensionConfigurationException("EchoServerExtension in " + description + ": " + e.getMessage() + source
                    + "; fix the builder's settings", e);
        } catch (UncheckedIOException e) {
            throw new ExtensionConfigurationException("Could not start the EchoServerExtension server of " + description + ": "
                    + e.getMessage() + "; leave the port unset (or 0) for a free ephemeral port", e);
        }
    }

    /** Whether connections left open fail the test: as set, else the run's default. */
    boolean failOnOpenConnections(Configuration configuration) {
        return failOnOpenConnections != null ? failOnOpenConnections : configuration.failOnOpenConnections();
    }
}
