package dev.echofixture;

/**
 * What every endpoint of one server shares: the validated settings, the connection registry
 * and the current behaviour.
 *
 * <p>Thread-safe: {@link #behavior(EchoBehavior)} may be called from any thread; the loop reads
 * the behaviour once per chunk read, so a switch applies to bytes read after it.
 */
final class ServerContext {

    private final ServerConfig config;
    private final ConnectionRegistry registry;
    private final ServerTls tls;
    private volatile EchoBehavior behavior;

    ServerContext(ServerConfig config, ConnectionRegistry registry) {
        this(config, registry, null);
    }

    ServerContext(ServerConfig config, ConnectionRegistry registry, ServerTls tls) {
        this.config = config;
        this.registry = registry;
        this.tls = tls;
        this.behavior = config.behavior();
    }

    /** The TLS material of a {@link Transport#TLS} server, else {@code null}. */
    ServerTls tls() {
        return tls;
    }

    ServerConfig config() {
        return config;
    }

    ConnectionRegistry registry() {
        return registry;
    }

    EchoBehavior behavior() {
        return behavior;
    }

    /** Switches the behaviour after checking that the transport can carry it out. */
    void behavior(EchoBehavior newBehavior) {
        this.behavior = ServerConfig.checkBehaviorFor(config.transport(), newBehavior);
    }
}
