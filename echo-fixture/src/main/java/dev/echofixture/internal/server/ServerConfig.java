package dev.echofixture.internal.server;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.SettingException;
import dev.echofixture.Transport;
import dev.echofixture.internal.plans.PlanRule;
import dev.echofixture.internal.plans.PlanRules;
import dev.echofixture.internal.faults.FaultChecks;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated, immutable settings of one server. {@link EmbeddedEchoServer.Builder} only
 * collects values; this record checks them all in one place, so that every bad setting fails
 * with a message of the form {@code name: value (expected: ...)} before anything is bound.
 *
 * @param transport     TCP, UDP, UNIX or TLS
 * @param host          the host as the user gave it (TCP/UDP)
 * @param bindAddress   {@code host} resolved (TCP/UDP); {@code null} for UNIX
 * @param port          0 to 65535 (TCP/UDP)
 * @param unixSocketPath the socket file (UNIX), or {@code null} for a fresh file in a temp folder
 * @param behavior      the initial behaviour
 * @param maxConnections at least 1
 * @param idleTimeout   zero (or {@code null}) for none; unset ({@code null}) over UDP means
 *                      {@link #DEFAULT_UDP_IDLE_TIMEOUT}; any length, even
 *                      {@code ChronoUnit.FOREVER.getDuration()} (see {@link #idleTimeoutNanos()})
 * @param recordLimit   bytes recorded per connection, at least 0
 * @param seed          drives every random choice (jitter, fault plans)
 * @param faultPlan     the fault plan's rules; {@link PlanRules#none()} for none
 */
public record ServerConfig(
        Transport transport,
        String host,
        InetAddress bindAddress,
        int port,
        Path unixSocketPath,
        EchoBehavior behavior,
        int maxConnections,
        Duration idleTimeout,
        int recordLimit,
        long seed,
        PlanRules faultPlan) {

    /** The longest Unix-domain socket path Linux accepts (sun_path is 108 bytes with the NUL). */
    public static final int MAX_UNIX_PATH_BYTES = 107;

    /**
     * How long a UDP peer may stay idle before it is forgotten, unless {@code idleTimeout} says
     * otherwise. Without it a long-running UDP server would keep every peer it ever heard from,
     * and stop answering new ones once {@code maxConnections} addresses were seen.
     */
    public static final Duration DEFAULT_UDP_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public ServerConfig {
        Checks.notNull(transport, "transport");
        Checks.notNull(behavior, "behavior");
        Checks.port(port);
        Checks.atLeast(maxConnections, 1, "maxConnections");
        Checks.atLeast(recordLimit, 0, "recordLimit");
        if (idleTimeout != null) {
            Checks.positiveOrZero(idleTimeout, "idleTimeout");
        } else if (transport == Transport.UDP) {
            idleTimeout = DEFAULT_UDP_IDLE_TIMEOUT;
        }
        checkBehaviorFor(transport, behavior);
        faultPlan = checkPlanFor(transport, faultPlan);
        if (transport == Transport.UNIX) {
            bindAddress = null;
            if (unixSocketPath != null) {
                checkUnixPath(unixSocketPath);
            }
        } else {
            if (unixSocketPath != null) {
                throw new SettingException("unixSocketPath", unixSocketPath
                        + " (expected: no path with transport " + transport + "; use transport(Transport.UNIX) or drop the path)");
            }
            Checks.notNull(host, "host");
            if (bindAddress == null) {
                bindAddress = resolve(host);
            }
        }
    }

    /**
     * Rejects a fault plan the transport cannot carry out: every behaviour it may apply passes
     * {@link #checkBehaviorFor}, and over UDP no rule has timed or byte steps (a peer's datagrams
     * are echoed whole, each under one behaviour chosen when the peer is first seen).
     *
     * @throws SettingException naming {@code faultPlan}
     */
    static PlanRules checkPlanFor(Transport transport, PlanRules plan) {
        if (plan == null) {
            return PlanRules.none();
        }
        for (PlanRule rule : plan.rules()) {
            if (transport == Transport.UDP && rule.phases().hasSteps()) {
                throw new SettingException("faultPlan", "'" + rule.label() + "' with steps " + rule.phases().steps().get(0).describe()
                        + " (expected: no after/afterBytes steps with transport UDP, which picks one behaviour per peer; drop the steps)");
            }
            for (EchoBehavior b : rule.phases().behaviors()) {
                try {
                    checkBehaviorFor(transport, b);
                } catch (SettingException e) {
                    throw new SettingException("faultPlan", "'" + rule.label() + "' with " + e.getMessage(), e);
                }
            }
        }
        return plan;
    }

    /** Whether an idle time-out is set. */
    public boolean hasIdleTimeout() {
        return idleTimeout != null && !idleTimeout.isZero();
    }

    /**
     * The idle time-out in nanoseconds, 0 for none; at most {@link Durations#MAX_NANOS} (about
     * 73 years): a longer one, up to {@code ChronoUnit.FOREVER}, is as good as never and must not
     * overflow the loop's deadlines.
     */
    public long idleTimeoutNanos() {
        return hasIdleTimeout() ? Durations.saturatedNanos(idleTimeout) : 0;
    }

    /**
     * Rejects behaviours a transport cannot carry out or would silently ignore: over UDP a
     * {@code chunkSize} (datagrams are echoed whole) and a {@code resetAfter} (no connection to
     * reset). The same check runs at start and at {@link EmbeddedEchoServer#behavior(EchoBehavior)}.
     *
     * @throws SettingException naming the setting
     */
    static EchoBehavior checkBehaviorFor(Transport transport, EchoBehavior behavior) {
        Checks.notNull(behavior, "behavior");
        if (transport == Transport.UDP && behavior.chunkSize() > 0) {
            throw new SettingException("chunkSize", behavior.chunkSize()
                    + " (expected: no chunkSize with transport UDP, which echoes each datagram whole; drop chunkSize)");
        }
        if (transport == Transport.UDP && behavior.resetAfter() >= 0) {
            throw new SettingException("resetAfter", behavior.resetAfter()
                    + " (expected: no resetAfter with transport UDP, which has no connection to reset; use closeAfter or silent)");
        }
        FaultChecks.checkFor(transport == Transport.UDP, transport.name(), behavior);
        return behavior;
    }

    /**
     * Rejects an address setting the transport would silently ignore: a host set, or a port
     * other than 0, for a UNIX server, which listens on a socket file. A setting left at its
     * default never fails here.
     *
     * @param hostSet whether the host was set at all (its default is the loopback address)
     * @throws SettingException naming the setting
     */
    public static void checkAddressFor(Transport transport, boolean hostSet, String host, int port) {
        if (transport != Transport.UNIX) {
            return;
        }
        if (hostSet) {
            throw new SettingException("host", host
                    + " (expected: no host with transport UNIX, which listens on a socket file; drop host, or use unixSocketPath)");
        }
        if (port != 0) {
            throw new SettingException("port", port
                    + " (expected: no port with transport UNIX, which listens on a socket file; drop port, or use unixSocketPath)");
        }
    }

    private static InetAddress resolve(String host) {
        if (host.isBlank()) {
            throw new SettingException("host", "'" + host + "' (expected: a host name or address such as 127.0.0.1)");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new SettingException("host", host
                    + " (expected: a host name that resolves, or an address such as 127.0.0.1 or ::1)", e);
        }
    }

    private static void checkUnixPath(Path path) {
        if (Files.exists(path)) {
            throw new SettingException("unixSocketPath", path
                    + " (expected: a path that does not exist yet; delete the file or leave the path unset for a fresh one)");
        }
        checkUnixPathLength(path);
    }

    /** Rejects a socket path longer than {@link #MAX_UNIX_PATH_BYTES}. */
    public static void checkUnixPathLength(Path path) {
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_UNIX_PATH_BYTES) {
            throw new SettingException("unixSocketPath", path + " (expected: at most " + MAX_UNIX_PATH_BYTES
                    + " bytes, was " + length + "; use a shorter path, for example under /tmp)");
        }
    }
}
