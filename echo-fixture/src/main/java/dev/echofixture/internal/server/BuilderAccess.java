package dev.echofixture.internal.server;

import dev.echofixture.EmbeddedEchoServer;

/**
 * Reads the settings of an {@link EmbeddedEchoServer.Builder} for the standalone endpoint's
 * command line, which checks them before it starts anything, without a public accessor that
 * would put {@link ServerConfig} into the API. A {@link Reader} in {@code dev.echofixture}
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
        Reader installed = reader;
        if (installed == null) {
            try {
                Class.forName(READER, true, BuilderAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = reader;
        }
        return installed.config(builder);
    }
}
