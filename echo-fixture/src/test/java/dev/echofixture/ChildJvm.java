package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A child JVM started by a test: {@code [launcher] java -Xshare:auto -XX:TieredStopAtLevel=1
 * [options] (-cp <test class path> Main | -jar file) args}, stderr to a file, stdout read line
 * by line. Every read and wait has a deadline; {@link #close()} kills it. Tests that start
 * several register {@link Children}, which kills the leftovers after each test.
 */
final class ChildJvm implements AutoCloseable {

    /** The default deadline of every read and wait. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderrFile;
    private final BufferedReader stdout;
    private final Duration wait;

    private ChildJvm(Process process, Path stderrFile, Duration wait) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        this.wait = wait;
    }

    /** {@code java ... -cp <this JVM's class path> mainClass args}. */
    static Command main(String mainClass, String... args) {
        return new Command(List.of("-cp", System.getProperty("java.class.path"), mainClass), args);
    }

    /** {@code java ... -jar jar args}. */
    static Command jar(Path jar, String... args) {
        return new Command(List.of("-jar", jar.toString()), args);
    }

    /** The command line of a child JVM, started by {@link #start(Path)}. */
    static final class Command {

        private final List<String> launcher = new ArrayList<>();
        private final List<String> options = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        private final List<String> target;
        private final List<String> args;
        private Duration wait = WAIT;

        private Command(List<String> target, String... args) {
            this.target = target;
            this.args = List.of(args);
        }

        /** A prefix that execs the rest of the command, as {@code env --default-signal=INT} or a shell. */
        Command launcher(List<String> prefix) {
            launcher.addAll(prefix);
            return this;
        }

        /** JVM options after the default ones. */
        Command jvmOptions(String... more) {
            options.addAll(List.of(more));
            return this;
        }

        /** The deadline of the child's reads and waits (default {@link ChildJvm#WAIT}). */
        Command deadline(Duration deadline) {
            wait = deadline;
            return this;
        }

        List<String> toList() {
            List<String> command = new ArrayList<>(launcher);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options);
            command.addAll(target);
            command.addAll(args);
            return command;
        }

        /** Starts the child with its stderr redirected to {@code stderrFile}. */
        ChildJvm start(Path stderrFile) throws IOException {
            Process process = new ProcessBuilder(toList()).redirectError(stderrFile.toFile()).start();
            return new ChildJvm(process, stderrFile, wait);
        }
    }

    /** Starts children and kills those still running after each test; register with {@code @RegisterExtension}. */
    static final class Children implements AfterEachCallback {

        private final List<ChildJvm> started = Collections.synchronizedList(new ArrayList<>());

        /** Starts {@code command} with stderr to {@code stderrFile}, to be killed after the test. */
        ChildJvm start(Command command, Path stderrFile) throws IOException {
            ChildJvm child = command.start(stderrFile);
            started.add(child);
            return child;
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
            synchronized (started) {
                for (ChildJvm child : started) {
                    child.close();
                }
                started.clear();
            }
        }
    }

    Process process() {
        return process;
    }

    /** The next stdout line, read with the deadline; fails if stdout ended. */
    String line() throws Exception {
        String read = withDeadline(stdout::readLine, "a line");
        if (read == null) {
            fail("stdout ended" + (process.isAlive() ? "" : "; exit " + process.exitValue()) + ", stderr:\n" + stderr());
        }
        return read;
    }

    /** All of stdout up to its end (the child's exit), read with the deadline. */
    String stdoutToEnd() throws Exception {
        return withDeadline(() -> {
            StringBuilder rest = new StringBuilder();
            char[] buffer = new char[4096];
            for (int n; (n = stdout.read(buffer)) >= 0; ) {
                rest.append(buffer, 0, n);
            }
            return rest.toString();
        }, "the end of stdout");
    }

    /** The exit status, waited for with the deadline; fails (killing the child) if it still runs. */
    int exitStatus() throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("still running after " + wait.toSeconds() + " s: " + process.info().commandLine().orElse("?"));
        }
        return process.exitValue();
    }

    /** What the child wrote to stderr so far. */
    String stderr() {
        try {
            return Files.readString(stderrFile, UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Sends {@code kill -<signal>} (e.g. {@code TERM}, {@code INT}) and waits for kill to succeed. */
    void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS), "kill -" + signal + " did not end");
        assertEquals(0, kill.exitValue(), "kill -" + signal);
    }

    /** Kills the child if it still runs and waits (bounded) for it to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private interface Read {
        String read() throws IOException;
    }

    private String withDeadline(Read read, String what) throws Exception {
        CompletableFuture<String> future = CompletableFuture.supplyAsync(() -> {
            try {
                return read.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no " + what + " within " + wait.toSeconds() + " s; stderr:\n" + stderr(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
