package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The test classes that {@link ExtensionOverheadMain} runs through the JUnit Platform Launcher:
 * the same number of tests ({@link #TESTS}) with nothing injected, with an {@code @EchoServer}
 * server, and with a server plus a connected client. They live in the main source set (this
 * module is never published) and their names do not end in {@code Tests}, so surefire never
 * picks them up.
 */
public final class OverheadFixtures {

    /** Tests per fixture class. */
    public static final int TESTS = 1000;

    private OverheadFixtures() {
    }

    /** Empty tests: what JUnit itself costs per test. */
    public static class Empty {
        /** Does nothing. */
        @RepeatedTest(TESTS)
        void test() {
        }
    }

    /** A fresh server per test. */
    @EchoServer
    public static class ServerOnly {
        /**
         * Checks that the injected server runs.
         *
         * @param server the test's server
         */
        @RepeatedTest(TESTS)
        void test(EmbeddedEchoServer server) {
            if (!server.isRunning()) {
                throw new AssertionError("not running: " + server);
            }
        }
    }

    /** A fresh server and a client connected to it per test. */
    @EchoServer
    public static class ServerAndClient {
        /**
         * Checks that the injected server runs and the client is open.
         *
         * @param server the test's server
         * @param client a client connected to it
         */
        @RepeatedTest(TESTS)
        void test(EmbeddedEchoServer server, EchoClient client) {
            if (!server.isRunning() || !client.isOpen()) {
                throw new AssertionError("not running: " + server + " / " + client);
            }
        }
    }
}
