package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first server and client of a fresh JVM, with a logging provider (slf4j-simple, as in the
 * tests): SLF4J starts its provider once, with no "replayed" warning on stderr although the
 * client (on the caller's thread) and the server's thread log at about the same moment.
 */
@Timeout(60)
class FreshJvmLoggingTests {

    /** Run in a fresh JVM: a server, a client, one echo, both closed. */
    public static void main(String[] args) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start(); EchoClient client = server.newClient()) {
            System.out.println("echo: " + client.send("first").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void theFirstServerAndClientOfAJvmPrintNoSlf4jWarning(@TempDir Path dir) throws Exception {
        for (int run = 1; run <= 3; run++) { // the race it guards against showed in every run before
            try (ChildJvm child = ChildJvm.main(FreshJvmLoggingTests.class.getName()).start(dir.resolve("stderr-" + run + ".txt"))) {
                String stdout = child.stdoutToEnd();
                int status = child.exitStatus();
                String errors = child.stderr();
                assertEquals(0, status, errors);
                assertEquals("echo: first", stdout.strip());
                assertFalse(errors.contains("SLF4J"), "stderr of run " + run + ":\n" + errors);
            }
        }
    }
}
