package dev.echofixture.junit;

import dev.echofixture.EchoClient;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A store value that owns one injected {@link EchoClient}. It remembers the client's local port
 * (taken when the client connected) so that the server's connection from this client counts as
 * "ours" for {@code failOnOpenConnections} and is marked in the failure report.
 * {@link #close()} is idempotent and may be called from any thread.
 */
@SuppressWarnings("deprecation") // CloseableResource: deprecated in Jupiter 6, the only auto-close hook on 5.14
final class ClientResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final EchoClient client;
    private final ServerResource server;
    private final OptionalInt localPort;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientResource(EchoClient client, ServerResource server) {
        this.client = client;
        this.server = server;
        SocketAddress local = client.localAddress();
        this.localPort = local instanceof InetSocketAddress inet ? OptionalInt.of(inet.getPort()) : OptionalInt.empty();
    }

    /** Connects a new client to the server. */
    static ClientResource connect(ServerResource server) {
        return new ClientResource(server.server().newClient(), server);
    }

    EchoClient client() {
        return client;
    }

    /** The server this client is connected to. */
    ServerResource server() {
        return server;
    }

    /** The client's local port; empty for Unix-domain sockets. */
    OptionalInt localPort() {
        return localPort;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "EchoClient" + (localPort.isPresent() ? " from port " + localPort.getAsInt() : "") + " to " + server;
    }
}
