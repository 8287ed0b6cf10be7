package dev.echofixture;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Command prefixes that start a child process with a known SIGINT disposition, whatever the
 * test JVM's own is. A process started in the background by a non-interactive shell
 * ({@code ./mvnw verify &}, nohup, many CI runners) inherits SIGINT as ignored, every child
 * inherits that across {@code exec}, and the JVM then never installs its own handler. A POSIX
 * shell cannot undo it ({@code trap - INT} is a no-op for a signal ignored on entry), so
 * {@link #defaultDisposition()} uses {@code env --default-signal=INT} (GNU coreutils 8.31+),
 * else perl, which both reset it before {@code exec}.
 */
final class SigintLauncher {

    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    private static volatile List<String> resetting;

    private SigintLauncher() {
    }

    /** A prefix that execs the rest of the command with SIGINT at its default disposition. */
    static List<String> defaultDisposition() {
        List<String> known = resetting;
        if (known == null) {
            known = find();
            resetting = known;
        }
        if (known.isEmpty()) {
            // neither tool: fine as long as we do not ignore SIGINT ourselves (or cannot tell)
            assumeTrue(ignoredSignals(ProcessHandle.current().pid()).map(s -> !s.contains("INT")).orElse(true),
                    "SIGINT is ignored in this JVM and neither `env --default-signal` nor perl is there to reset it");
        }
        return known;
    }

    /** A prefix that execs the rest of the command with SIGINT ignored, as a background job has it. */
    static List<String> ignoring() {
        return List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\"");
    }

    /**
     * The names ({@code HUP}, {@code INT}, {@code TERM}) of the signals process {@code pid}
     * ignores, from {@code /proc/<pid>/status}; empty where there is no {@code /proc}.
     */
    static Optional<Set<String>> ignoredSignals(long pid) {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.isReadable(status)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                    Set<String> names = new TreeSet<>();
                    if ((mask & (1L << (SIGHUP - 1))) != 0) {
                        names.add("HUP");
                    }
                    if ((mask & (1L << (SIGINT - 1))) != 0) {
                        names.add("INT");
                    }
                    if ((mask & (1L << (SIGTERM - 1))) != 0) {
                        names.add("TERM");
                    }
                    return Optional.of(names);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static List<String> find() {
        List<String> env = List.of("env", "--default-signal=INT");
        if (works(env)) {
            return env;
        }
        List<String> perl = List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\"");
        if (works(perl)) {
            return perl;
        }
        return List.of();
    }

    private static boolean works(List<String> prefix) {
        List<String> probe = new java.util.ArrayList<>(prefix);
        probe.add("true");
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
