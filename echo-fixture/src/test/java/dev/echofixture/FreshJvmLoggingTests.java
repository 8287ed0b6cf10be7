package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            Path stderr = dir.resolve("stderr-" + run + ".txt");
            Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FreshJvmLoggingTests.class.getName()))
                    .redirectError(stderr.toFile()).start();
            String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM ends");
            String errors = read(stderr);
            assertEquals(0, child.exitValue(), errors);
            assertEquals("echo: first", stdout.strip());
            assertFalse(errors.contains("SLF4J"), "stderr of run " + run + ":\n" + errors);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
