package dev.echofixture.junit;

import dev.echofixture.EchoConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * {@code failOnOpenConnections}: after a test, lists each connection to a server that is still
 * open and was not opened by an injected {@code EchoClient} (matched by the client's local port).
 * A connection the code under test has just closed may not be seen closed by the server yet, so
 * the check polls, with a deadline of {@link #GRACE}, until no such connection is left.
 * Stateless; called on the test's thread.
 */
final class OpenConnectionsCheck {

    /** How long a just-closed connection may take to be seen closed. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private OpenConnectionsCheck() {
    }

    /**
     * Checks the servers that asked for it.
     *
     * @param servers     the test's servers
     * @param clientPorts local ports of the injected clients
     * @return the failure naming each open connection, if any is left after the grace period
     */
    static Optional<AssertionError> check(List<ServerResource> servers, Set<Integer> clientPorts) {
        List<ServerResource> checked = servers.stream().filter(ServerResource::failOnOpenConnections).collect(Collectors.toList());
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (true) {
            List<String> open = new ArrayList<>();
            for (ServerResource server : checked) {
                for (EchoConnection connection : server.server().connections()) {
                    if (connection.isOpen() && !isOurs(connection, clientPorts)) {
                        open.add(server.declaration() + ": " + TrafficReport.describe(connection, clientPorts));
                    }
                }
            }
            if (open.isEmpty()) {
                return Optional.empty();
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.of(new AssertionError(open.size() + (open.size() == 1 ? " connection" : " connections")
                        + " to @EchoServer(failOnOpenConnections = true) still open " + GRACE.toMillis()
                        + " ms after the test: " + String.join("; ", open)
                        + "; close them in the code under test (or in @AfterEach)"));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static boolean isOurs(EchoConnection connection, Set<Integer> clientPorts) {
        return connection.remoteAddress() instanceof InetSocketAddress inet && clientPorts.contains(inet.getPort());
    }
}
