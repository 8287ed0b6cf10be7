package dev.echofixture;

import dev.echofixture.internal.cli.StandaloneEndpoint;

/**
 * The standalone echo endpoint: runs an {@link EmbeddedEchoServer} until Ctrl-C or SIGTERM.
 *
 * <pre>{@code
 * $ java -jar echo-fixture/target/echo-fixture-standalone.jar --port 0 --latency 50ms
 * echo-fixture listening on tcp://127.0.0.1:40123
 * }</pre>
 *
 * <p>The first line on stdout is exactly {@code echo-fixture listening on <uri>}, flushed at
 * once, so that scripts can read the port; nothing else goes to stdout except the output of
 * {@code --help} and {@code --version}. Logs go to stderr: each connection's open and close,
 * or only errors with {@code --quiet}. Exit status: 0 after SIGINT or SIGTERM (the server is
 * closed gracefully first), 1 when it cannot bind, 2 for bad usage. Run it with {@code --help}
 * for every option.
 *
 * @since 0.1.0
 */
public final class EchoServerMain {

    private EchoServerMain() {
    }

    /**
     * Runs the server until SIGINT or SIGTERM, then exits with status 0; exits with 1 when it
     * cannot bind and with 2 for bad usage (see {@code --help}). A signal that arrives while the
     * JVM is still starting, before the endpoint could install its handler, ends the process with
     * the JVM's own status 143.
     *
     * @param args the command-line options
     */
    public static void main(String[] args) {
        StandaloneEndpoint.main(args);
    }
}
