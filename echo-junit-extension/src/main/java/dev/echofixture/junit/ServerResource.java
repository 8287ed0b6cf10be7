package dev.echofixture.junit;

import dev.echofixture.EmbeddedEchoServer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A store value that owns one server started for one {@code @EchoServer} declaration. JUnit
 * closes it when its scope ends (as an {@link AutoCloseable} on Jupiter 6, as a
 * {@link ExtensionContext.Store.CloseableResource} on 5.14), and the extension also closes it
 * explicitly in {@code afterEach}/{@code afterAll}; {@link #close()} is idempotent and may be
 * called from any thread.
 */
@SuppressWarnings("deprecation") // CloseableResource: deprecated in Jupiter 6, the only auto-close hook on 5.14
final class ServerResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final EmbeddedEchoServer server;
    private final String declaration;
    private final String failOnOpenConnectionsSource;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param server                      the started server
     * @param declaration                 where it was declared, for example {@code field [MyTests.server]}
     * @param failOnOpenConnectionsSource what turned {@code failOnOpenConnections} on, for the leak
     *                                    message, for example {@code @EchoServer(failOnOpenConnections = true)};
     *                                    {@code null} when it is off
     */
    ServerResource(EmbeddedEchoServer server, String declaration, String failOnOpenConnectionsSource) {
        this.server = server;
        this.declaration = declaration;
        this.failOnOpenConnectionsSource = failOnOpenConnectionsSource;
    }

    EmbeddedEchoServer server() {
        return server;
    }

    /** Where the server was declared, for example {@code field [MyTests.server]}. */
    String declaration() {
        return declaration;
    }

    boolean failOnOpenConnections() {
        return failOnOpenConnectionsSource != null;
    }

    /** What turned {@code failOnOpenConnections} on; {@code null} when it is off. */
    String failOnOpenConnectionsSource() {
        return failOnOpenConnectionsSource;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return declaration + " " + server;
    }
}
