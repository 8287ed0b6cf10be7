package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @RegisterExtension
    final ChildJvm.Children children = new ChildJvm.Children();

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

    @Test
    void aSignalBeforeTheHandlerEndsTheJvmWithItsOwnStatusAndNoStackTrace() throws Exception {
        ChildJvm child = start(StartupSignalTests.class.getName(), "--port", "0", "--quiet");
        int status = child.exitStatus();
        String stderr = child.stderr();
        assertFalse(STACK_TRACE.matcher(stderr).find(), "stderr:\n" + stderr);
        assertEquals(143, status, stderr);
    }

    @Test
    void aSigtermAtAnyMomentOfStartUpEndsWithoutAStackTrace() throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            long delayMillis = i * 30L;         // 0 to 360 ms after launch: before main, in main, serving
            String[] args = i % 2 == 0 ? new String[] {"--port", "0", "--quiet"} : new String[] {"--unix", "--quiet"};
            ChildJvm child = start(EchoServerMain.class.getName(), args);
            if (child.process().waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                fail("ended before the signal: " + child.process().exitValue() + "\n" + child.stderr());
            }
            child.process().destroy(); // SIGTERM
            int status = child.exitStatus();
            String stderr = child.stderr();
            assertFalse(STACK_TRACE.matcher(stderr).find(), "SIGTERM after " + delayMillis + " ms; stderr:\n" + stderr);
            assertTrue(status == 0 || status == 143, "SIGTERM after " + delayMillis + " ms: exit " + status + "\n" + stderr);
            seen.add(delayMillis + " ms: " + status);
        }
        // and once it is listening: always 0
        ChildJvm child = start(EchoServerMain.class.getName(), "--port", "0", "--quiet");
        String first = child.line();
        assertTrue(first.startsWith("echo-fixture listening on "), first);
        child.process().destroy();
        assertEquals(0, child.exitStatus(), child.stderr());
        assertFalse(STACK_TRACE.matcher(child.stderr()).find(), child.stderr());
        assertEquals(13, seen.size(), String.join(", ", seen));
    }

    private ChildJvm start(String mainClass, String... args) throws IOException {
        return children.start(ChildJvm.main(mainClass, args).jvmOptions("-Djava.io.tmpdir=" + tmp),
                Files.createTempFile(tmp, "stderr", ".txt"));
    }
}
