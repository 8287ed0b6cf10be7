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
    private final boolean failOnOpenConnections;
    private final AtomicBoolean closed = new AtomicBoolean();

    ServerResource(EmbeddedEchoServer server, String declaration, boolean failOnOpenConnections) {
        this.server = server;
        this.declaration = declaration;
        this.failOnOpenConnections = failOnOpenConnections;
    }

    /**
     * Starts a server for a declaration, with the run's configuration parameters where the
     * annotation leaves a setting at its default; see {@link Declaration#start(Configuration)}.
     */
    static ServerResource start(Declaration declaration, ExtensionContext context) {
        Configuration configuration = Configuration.of(context);
        return new ServerResource(declaration.start(configuration), declaration.description(),
                declaration.settings().failOnOpenConnections() || configuration.failOnOpenConnections());
    }

    EmbeddedEchoServer server() {
        return server;
    }

    /** Where the server was declared, for example {@code field [MyTests.server]}. */
    String declaration() {
        return declaration;
    }

    boolean failOnOpenConnections() {
        return failOnOpenConnections;
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
