package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 19, item 7): a SIGTERM at any moment of the standalone endpoint's start-up
 * ends the process without a stack trace: with status 0 once the endpoint installed its
 * handler, before that with the JVM's own 143. Every child is bounded and killed afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StartupSignalTests {

    private static final long WAIT_SECONDS = 30;
    /** A stack trace line, {@code \tat dev.echofixture...}, or an uncaught exception's header. */
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at \\S+\\(|Exception in thread|\\bException:");

    private final List<Process> children = new ArrayList<>();

    @TempDir(factory = ShortTempDir.class)
    Path tmp;

    /**
     * Run in the child JVM: makes the JVM shut down (as a SIGTERM does, status 143) and holds
     * the shutdown in progress while it calls {@link EchoServerMain#main}, so that the endpoint
     * starts exactly in the moment the issue saw: after the signal, before its handler.
     */
    public static void main(String[] args) throws Exception {
        CountDownLatch shuttingDown = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown.countDown();
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        new Thread(() -> System.exit(143), "signal").start();
        if (!shuttingDown.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the JVM did not start shutting down");
        }
        try {
            EchoServerMain.main(args);
        } finally {
            release.countDown();
        }
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSignalBeforeTheHandlerEndsTheJvmWithItsOwnStatusAndNoStackTrace() throws Exception {
        Process child = start(StartupSignalTests.class.getName(), "--port", "0", "--quiet");
        int status = exitStatus(child);
        String stderr = stderrOf(child);
        assertFalse(STACK_TRACE.matcher(stderr).find(), "stderr:\n" + stderr);
        assertEquals(143, status, stderr);
    }

    @Test
    void aSigtermAtAnyMomentOfStartUpEndsWithoutAStackTrace() throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            long delayMillis = i * 30L;         // 0 to 360 ms after launch: before main, in main, serving
            String[] args = i % 2 == 0 ? new String[] {"--port", "0", "--quiet"} : new String[] {"--unix", "--quiet"};
            Process child = start(EchoServerMain.class.getName(), args);
            if (child.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                fail("ended before the signal: " + child.exitValue() + "\n" + stderrOf(child));
            }
            child.destroy(); // SIGTERM
            int status = exitStatus(child);
            String stderr = stderrOf(child);
            assertFalse(STACK_TRACE.matcher(stderr).find(), "SIGTERM after " + delayMillis + " ms; stderr:\n" + stderr);
            assertTrue(status == 0 || status == 143, "SIGTERM after " + delayMillis + " ms: exit " + status + "\n" + stderr);
            seen.add(delayMillis + " ms: " + status);
        }
        // and once it is listening: always 0
        Process child = start(EchoServerMain.class.getName(), "--port", "0", "--quiet");
        String first = firstLine(child);
        assertTrue(first.startsWith("echo-fixture listening on "), first);
        child.destroy();
        assertEquals(0, exitStatus(child), stderrOf(child));
        assertFalse(STACK_TRACE.matcher(stderrOf(child)).find(), stderrOf(child));
        assertEquals(13, seen.size(), String.join(", ", seen));
    }

    private Process start(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Path stderr = tmp.resolve("stderr-" + children.size() + ".txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        children.add(process);
        return process;
    }

    private String stderrOf(Process process) throws IOException {
        return Files.readString(tmp.resolve("stderr-" + children.indexOf(process) + ".txt"), UTF_8);
    }

    private static int exitStatus(Process process) throws InterruptedException {
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("still running " + WAIT_SECONDS + " s after the signal");
        }
        return process.exitValue();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String first = line.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(first != null, "no first line");
        return first;
    }
}
