package dev.echofixture.junit;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code failOnOpenConnections}: after a test, lists each connection to a server that its peer
 * left open ({@link EmbeddedEchoServer#connectionsLeftOpen(Duration)}) and that was not opened by
 * an injected {@code EchoClient} (matched by the client's local port). The server first catches
 * up with what happened before the check, so a connection the code under test has just closed
 * passes and one left open fails at once; only a connection the server has stopped reading
 * (backpressure) gets up to {@link #GRACE} to show its close. Stateless; called on the test's
 * thread.
 */
final class OpenConnectionsCheck {

    /** How long a connection the server is not reading may take to show its peer's close. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private OpenConnectionsCheck() {
    }

    /**
     * Checks the servers that asked for it.
     *
     * @param servers     the test's servers
     * @param clientPorts local ports of the injected clients
     * @return the failure naming each connection left open, if any
     */
    static Optional<AssertionError> check(List<ServerResource> servers, Set<Integer> clientPorts) {
        List<String> open = new ArrayList<>();
        Set<String> sources = new LinkedHashSet<>();
        for (ServerResource server : servers) {
            if (!server.failOnOpenConnections()) {
                continue;
            }
            for (EchoConnection connection : server.server().connectionsLeftOpen(GRACE)) {
                if (!isOurs(connection, clientPorts)) {
                    open.add(server.declaration() + ": " + TrafficReport.describe(connection, clientPorts));
                    sources.add(server.failOnOpenConnectionsSource());
                }
            }
        }
        if (open.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AssertionError(open.size() + (open.size() == 1 ? " connection" : " connections")
                + " still open after the test (failOnOpenConnections, turned on by " + String.join(" and ", sources) + "): "
                + String.join("; ", open) + "; close them in the code under test (or in @AfterEach)"));
    }

    private static boolean isOurs(EchoConnection connection, Set<Integer> clientPorts) {
        return connection.remoteAddress() instanceof InetSocketAddress inet && clientPorts.contains(inet.getPort());
    }
}
