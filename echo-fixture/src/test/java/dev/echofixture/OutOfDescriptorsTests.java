package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 19, item 9), for real: a child JVM with a low descriptor limit runs out of
 * descriptors, its server flaps at the limit (an accept fails, one succeeds when a client
 * closes, the next fails again), then recovers. The warning is logged once when the episode
 * starts and once, with the count, when accepts have worked again for a second.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OutOfDescriptorsTests {

    private static final Pattern ENDED = Pattern.compile("accepting again, after (\\d+) failed accepts? in (\\d+) ms");

    /**
     * Run in the child JVM: a server, then clients until the process is out of descriptors;
     * then closes one client every 300 ms five times (the server takes each freed descriptor
     * for a waiting connection and fails again), then all of them, and waits for the end line.
     */
    public static void main(String[] args) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().maxConnections(100_000).start()) {
            try (EchoClient warm = server.newClient()) {
                System.out.println("warm " + warm.sendAndAwait("up"));
            }
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5_000; i++) {
                    clients.add(new Socket(server.host(), server.port()));
                }
            } catch (IOException outOfDescriptors) {
                System.out.println("out of descriptors after " + clients.size() + " clients: " + outOfDescriptors);
            }
            for (int i = 0; i < 5 && !clients.isEmpty(); i++) {
                Thread.sleep(300);                   // the server retries every 100 ms: fails, then takes the freed one
                clients.remove(clients.size() - 1).close();
            }
            Thread.sleep(300);
            for (Socket client : clients) {
                client.close();
            }
            Thread.sleep(2_500);                     // a second of working accepts ends the episode
            System.out.println("done");
        }
    }

    @Test
    void aServerFlappingAtTheDescriptorLimitWarnsOnceWhenItStartsAndOnceWhenItEnds(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.isExecutable(Path.of("/bin/sh")), "Linux, with /bin/sh");
        // -XX:-MaxFDLimit: the JVM would raise its soft limit to the hard one
        ChildJvm.Command command = ChildJvm.main(OutOfDescriptorsTests.class.getName())
                .launcher(List.of("/bin/sh", "-c", "ulimit -Sn 192 || exit 99; exec \"$0\" \"$@\""))
                .jvmOptions("-XX:-MaxFDLimit").deadline(Duration.ofSeconds(60));
        try (ChildJvm child = command.start(dir.resolve("stderr.txt"))) {
            String stdout = child.stdoutToEnd();
            int status = child.exitStatus();
            String errors = child.stderr();
            assumeTrue(status != 99, "the hard descriptor limit is below 192: " + errors);
            assertEquals(0, status, stdout + "\n" + errors);
            assertOutput(stdout, errors);
        }
    }

    private static void assertOutput(String stdout, String errors) {
        assertTrue(stdout.contains("out of descriptors after"), stdout);
        assertTrue(stdout.contains("done"), stdout);
        assertEquals(1, count(errors, "accept failed ("), "one warning when it starts:\n" + errors);
        assertEquals(1, count(errors, "accepting again"), "one when it ends:\n" + errors);
        Matcher ended = ENDED.matcher(errors);
        assertTrue(ended.find(), errors);
        // how many accepts failed depends on when the loop retried against the freed descriptors
        assertTrue(Long.parseLong(ended.group(1)) >= 1, "the end line counts the episode's failures: " + ended.group());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
