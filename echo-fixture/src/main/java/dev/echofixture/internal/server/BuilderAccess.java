package dev.echofixture.internal.server;

import dev.echofixture.EmbeddedEchoServer;

/**
 * Reads the settings of an {@link EmbeddedEchoServer.Builder} for the standalone endpoint's
 * command line, which checks them before it starts anything, without a public accessor that
 * would put {@link ServerConfig} into the API. The builder's class installs the reader when it
 * is initialized, which has happened by the time anyone holds a builder (the JDK's
 * {@code SharedSecrets} pattern).
 */
public final class BuilderAccess {

    /** Implemented by the builder's class, which may read its own package-private state. */
    public interface Reader {

        /**
         * The builder's settings, checked.
         *
         * @param builder the builder to read
         * @return its settings as a validated configuration
         * @throws IllegalArgumentException naming a bad setting
         */
        ServerConfig config(EmbeddedEchoServer.Builder builder);
    }

    private static volatile Reader reader;

    private BuilderAccess() {
    }

    /**
     * Installs the reader; called once, by the builder's static initializer.
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
        return reader.config(builder);
    }
}
