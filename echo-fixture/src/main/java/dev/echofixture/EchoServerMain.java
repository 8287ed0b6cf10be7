package dev.echofixture;

/**
 * The standalone echo endpoint: {@code java -jar echo-fixture-standalone.jar [options]}.
 * Run with {@code --help} for the options.
 *
 * @since 0.1.0
 */
public final class EchoServerMain {

    private EchoServerMain() {
    }

    /**
     * Runs the server until SIGINT or SIGTERM.
     *
     * @param args the command-line options
     */
    public static void main(String[] args) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
