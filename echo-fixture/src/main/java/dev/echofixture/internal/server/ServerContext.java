package dev.echofixture.internal.server;

import dev.echofixture.EchoBehavior;
import dev.echofixture.Script;
import dev.echofixture.Transport;
import dev.echofixture.internal.plans.PlanRules;
import dev.echofixture.internal.proxy.ProxyRoute;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.tls.ServerTls;

/**
 * What the transport server and the connections of one server share: the validated settings, the connection registry
 * and the current behaviour.
 *
 * <p>Thread-safe: {@link #behavior(EchoBehavior)} may be called from any thread; the loop reads
 * the behaviour once per chunk read, so a switch applies to bytes read after it.
 */
public final class ServerContext {

    private final ServerConfig config;
    private final ConnectionRegistry registry;
    private final ServerTls tls;
    private volatile EchoBehavior behavior;
    private final Script script;
    private ProxyRoute proxy; // set before the server starts, null unless proxy mode

    public ServerContext(ServerConfig config, ConnectionRegistry registry) {
        this(config, registry, null);
    }

    public ServerContext(ServerConfig config, ConnectionRegistry registry, ServerTls tls) {
        this(config, registry, tls, null);
    }

    public ServerContext(ServerConfig config, ConnectionRegistry registry, ServerTls tls, Script script) {
        this.script = script;
        this.config = config;
        this.registry = registry;
        this.tls = tls;
        this.behavior = config.behavior();
    }

    /** The TLS material of a {@link Transport#TLS} server, else {@code null}. */
    public ServerTls tls() {
        return tls;
    }

    /**
     * Makes the server a proxy (before it starts).
     *
     * @param route where and how to forward, or {@code null} to echo
     * @return this context
     */
    public ServerContext proxy(ProxyRoute route) {
        this.proxy = route;
        return this;
    }

    /** Where and how a proxy server forwards, else {@code null}. */
    public ProxyRoute proxy() {
        return proxy;
    }

    ServerConfig config() {
        return config;
    }

    /** The scripted replies, or {@code null} for echo. */
    public Script script() {
        return script;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    /** The fault plan's rules; {@link PlanRules#none()} for none. */
    public PlanRules faultPlan() {
        return config.faultPlan();
    }

    public EchoBehavior behavior() {
        return behavior;
    }

    /** Switches the behaviour after checking that the transport can carry it out. */
    public void behavior(EchoBehavior newBehavior) {
        this.behavior = ServerConfig.checkBehaviorFor(config.transport(), newBehavior);
    }
}
