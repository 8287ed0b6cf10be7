package dev.echofixture.internal.server;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import java.net.SocketAddress;

/**
 * The transport-specific part of a server behind the {@link EmbeddedEchoServer} facade:
 * {@link StreamServer} for TCP and UNIX, a datagram server for UDP. A transport server owns its
 * {@link EventLoop} and its sockets; it registers connections (or peers) in the shared
 * {@link ConnectionRegistry} of its {@link ServerContext}.
 *
 * <p>Implementations are thread-safe: {@link #close()} may be called from any thread.
 *
 * <p>How this part fits with the others, and a byte's path through them: {@code docs/DESIGN.md}.
 */
public interface TransportServer {

    /** The bound address; still answers after {@link #close()}. */
    SocketAddress localAddress();

    /** The loop that serves this transport server; {@link EmbeddedEchoServer#newClient()} runs its clients on it too. */
    EventLoop loop();

    /**
     * Stops accepting, closes every connection, cancels every pending echo and releases the
     * address; returns within about a second, once the loop thread has ended. Idempotent.
     */
    void close();

    /**
     * Refuses connects for {@code windowNanos}, then accepts again on the same address.
     *
     * @throws UnsupportedOperationException if the transport has no connects to refuse
     */
    default void refuseConnections(long windowNanos) {
        throw new UnsupportedOperationException("refuseConnections: not with transport UDP"
                + " (expected: transport TCP or TLS; UDP has no connect to refuse, use udpLoss(1.0) to drop every datagram)");
    }

    /**
     * Leaves connects unanswered for {@code windowNanos}, so that a client's connect times out,
     * then accepts again on the same address.
     *
     * @throws UnsupportedOperationException if the transport has no connects
     */
    default void leaveConnectsUnanswered(long windowNanos) {
        throw new UnsupportedOperationException("leaveConnectsUnanswered: not with transport UDP"
                + " (expected: transport TCP or TLS; UDP has no connect, use udpLoss(1.0) to drop every datagram)");
    }
}
