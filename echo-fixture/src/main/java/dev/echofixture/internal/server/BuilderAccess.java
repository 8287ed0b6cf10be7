package dev.echofixture.internal.server;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.internal.recording.ConnectionRegistry;

/**
 * Reaches the package-private parts of {@link EmbeddedEchoServer} and its builder that the
 * standalone endpoint needs, without public accessors that would widen the API (and put
 * {@link ServerConfig} into it): the builder's checked settings, for the command line, which
 * checks them before it starts anything; a running server's closed-connection cap and
 * connection listener, for a long-running endpoint's memory and log. A {@link Reader} in {@code dev.echofixture}
 * reaches the builder's package-private state, in the manner of the JDK's
 * {@code SharedSecrets}; the first {@link #config} initializes that class, which installs
 * itself, so that a server's start loads none of this.
 */
public final class BuilderAccess {

    /** Implemented beside the builder, in its package. */
    public interface Reader {

        /**
         * The builder's settings, checked.
         *
         * @param builder the builder to read
         * @return its settings as a validated configuration
         * @throws IllegalArgumentException naming a bad setting
         */
        ServerConfig config(EmbeddedEchoServer.Builder builder);

        /**
         * Keeps at most {@code max} closed connections listed, forgetting the oldest.
         *
         * @param server the running server
         * @param max    the closed connections to keep
         */
        void retainClosedConnections(EmbeddedEchoServer server, int max);

        /**
         * Tells {@code listener} of each connection opened and closed from now on.
         *
         * @param server   the running server
         * @param listener the one listener
         */
        void connectionListener(EmbeddedEchoServer server, ConnectionRegistry.Listener listener);
    }

    private static final String READER = "dev.echofixture.BuilderBridge";

    private static volatile Reader reader;

    private BuilderAccess() {
    }

    /**
     * Installs the reader; called once, by the reader's static initializer.
     *
     * @param installed the reader
     */
    public static void install(Reader installed) {
        reader = installed;
    }

    /**
     * The builder's settings, checked, as {@link EmbeddedEchoServer.Builder#start()} would use them.
     *
     * @param builder the builder to read
     * @return its settings
     * @throws IllegalArgumentException naming a bad setting
     */
    public static ServerConfig config(EmbeddedEchoServer.Builder builder) {
        return reader().config(builder);
    }

    /**
     * Keeps at most {@code max} closed connections of {@code server} listed (the standalone
     * endpoint, which may run for days; by default every connection stays listed).
     *
     * @param server the running server
     * @param max    the closed connections to keep
     */
    public static void retainClosedConnections(EmbeddedEchoServer server, int max) {
        reader().retainClosedConnections(server, max);
    }

    /**
     * Tells {@code listener} of each connection of {@code server} opened and closed from now on.
     *
     * @param server   the running server
     * @param listener the one listener (the standalone endpoint's connection log)
     */
    public static void connectionListener(EmbeddedEchoServer server, ConnectionRegistry.Listener listener) {
        reader().connectionListener(server, listener);
    }

    private static Reader reader() {
        Reader installed = reader;
        if (installed == null) {
            try {
                Class.forName(READER, true, BuilderAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = reader;
        }
        return installed;
    }
}
