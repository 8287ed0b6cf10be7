package dev.echofixture;

/**
 * A snapshot of an {@link EmbeddedEchoServer}'s counters, taken by {@link EmbeddedEchoServer#stats()}.
 *
 * @param connectionsAccepted connections accepted so far (UDP: distinct peers seen), rejected ones not included
 * @param connectionsRejected connections accepted and closed at once because {@code maxConnections} were open
 * @param activeConnections connections open at the time of the snapshot
 * @param bytesReceived bytes read from all connections
 * @param bytesSent bytes echoed to all connections
 * @since 0.1.0
 */
public record EchoStats(
        long connectionsAccepted,
        long connectionsRejected,
        int activeConnections,
        long bytesReceived,
        long bytesSent) {
}
