package dev.echofixture;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads {@link EchoServerMain}'s options left to right into settings, for {@link CommandLine};
 * the last occurrence of an option wins. Every mistake becomes a
 * {@link CommandLine.UsageException} naming the option, the value and what was expected. Used by
 * one thread, once.
 */
final class OptionParser {
    boolean quiet;
    Transport transport = Transport.TCP;
    String transportOption;
    String host = "127.0.0.1";
    boolean hostGiven;
    int port = CommandLine.DEFAULT_PORT;
    boolean portGiven;
    Path unixPath;
    EchoBehavior behavior = EchoBehavior.echo();
    Long seed;
    int maxConnections = 1024;
    Duration idleTimeout;

    private String[] args;
    private int next;

    void parse(String[] arguments) throws CommandLine.UsageException {
        this.args = arguments;
        this.next = 0;
        while (next < args.length) {
            String arg = args[next++];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            option(name, inline);
        }
        if (transport == Transport.UNIX && (hostGiven || portGiven)) {
            String option = hostGiven ? "--host" : "--port";
            throw new CommandLine.UsageException(option + ": " + (hostGiven ? host : String.valueOf(port))
                    + " (expected: no " + option + " with --unix PATH, which listens on a socket file)");
        }
    }

    private void option(String name, String inline) throws CommandLine.UsageException {
        switch (name) {
            case "--host" -> {
                host = value(name, inline, "a host name or address such as 127.0.0.1 or ::1");
                hostGiven = true;
            }
            case "--port" -> {
                port = (int) number(name, inline, 0, 65535, "0 to 65535, 0 for an ephemeral port");
                portGiven = true;
            }
            case "--udp" -> {
                flag(name, inline);
                transport(Transport.UDP, name);
            }
            case "--tls" -> {
                flag(name, inline);
                transport(Transport.TLS, name);
            }
            case "--unix" -> {
                String path = value(name, inline, "the path of a socket file that does not exist yet");
                try {
                    unixPath = Path.of(path);
                } catch (InvalidPathException e) {
                    throw new CommandLine.UsageException(name + ": " + path + " (expected: a file path; " + e.getReason() + ")");
                }
                transport(Transport.UNIX, name);
            }
            case "--latency" -> behave(b -> b.latency(delay(name, inline)));
            case "--jitter" -> behave(b -> b.jitter(delay(name, inline)));
            case "--seed" -> seed = number(name, inline, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number such as 42");
            case "--bandwidth" -> behave(b -> b.bandwidth(size(name, inline)));
            case "--chunk-size" -> behave(b -> b.chunkSize((int) Math.min(size(name, inline), Integer.MAX_VALUE)));
            case "--close-after" -> behave(b -> b.closeAfter(size(name, inline)));
            case "--reset-after" -> behave(b -> b.resetAfter(size(name, inline)));
            case "--silent" -> {
                flag(name, inline);
                behavior = behavior.silent();
            }
            case "--max-connections" -> maxConnections =
                    (int) number(name, inline, 1, Integer.MAX_VALUE, ">= 1, for example 1024");
            case "--idle-timeout" -> idleTimeout = Checks.positiveOrZero(duration(name, inline), "idleTimeout");
            case "--quiet" -> {
                flag(name, inline);
                quiet = true;
            }
            default -> throw new CommandLine.UsageException(name.startsWith("-")
                    ? name + ": unknown option (expected: one of the options below)"
                    : name + ": unexpected argument (expected: options only, such as --port 0)");
        }
    }

    private void transport(Transport chosen, String option) throws CommandLine.UsageException {
        if (transportOption != null && transport != chosen) {
            throw new CommandLine.UsageException(option + ": cannot be combined with " + transportOption
                    + " (expected: one transport: TCP by default, --udp, --tls or --unix PATH)");
        }
        transport = chosen;
        transportOption = option;
    }

    /** Applies a behaviour change; its {@code IllegalArgumentException} names the setting, which is mapped to the option. */
    private void behave(BehaviorChange change) throws CommandLine.UsageException {
        try {
            behavior = change.apply(behavior);
        } catch (IllegalArgumentException e) {
            throw CommandLine.usageError(e);
        }
    }

    private void flag(String name, String inline) throws CommandLine.UsageException {
        if (inline != null) {
            throw new CommandLine.UsageException(name + "=" + inline + ": " + name + " takes no value (expected: " + name + " alone)");
        }
    }

    private String value(String name, String inline, String expected) throws CommandLine.UsageException {
        if (inline != null) {
            if (inline.isEmpty()) {
                throw new CommandLine.UsageException(name + ": '' (expected: " + expected + ")");
            }
            return inline;
        }
        if (next >= args.length || args[next].startsWith("--")) {
            throw new CommandLine.UsageException(name + ": missing value (expected: " + expected + ")");
        }
        return args[next++];
    }

    private long number(String name, String inline, long min, long max, String expected) throws CommandLine.UsageException {
        String text = value(name, inline, expected);
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.UsageException(name + ": " + text + " (expected: " + expected + ")");
        }
        if (n < min || n > max) {
            throw new CommandLine.UsageException(name + ": " + text + " (expected: " + expected + ")");
        }
        return n;
    }

    private Duration duration(String name, String inline) throws CommandLine.UsageException {
        String text = value(name, inline, "a duration such as 50ms, 2s, 1m or 250us");
        try {
            return Durations.parse(text, name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(e.getMessage());
        }
    }

    /** A duration for latency or jitter: at most {@link Checks#MAX_DELAY}, named in the user's own units. */
    private Duration delay(String name, String inline) throws CommandLine.UsageException {
        String text = next < args.length && inline == null ? args[next] : inline;
        Duration delay = duration(name, inline);
        if (delay.compareTo(Checks.MAX_DELAY) > 0) {
            throw new CommandLine.UsageException(name + ": " + text + " (expected: at most 1 hour, such as 50ms or 2s)");
        }
        return delay;
    }

    private long size(String name, String inline) throws CommandLine.UsageException {
        String text = value(name, inline, "a size in bytes such as 512, 64k or 1m");
        try {
            return Sizes.parse(text, name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(e.getMessage());
        }
    }

    /** A change to the behaviour that may fail with a usage error while reading its value. */
    @FunctionalInterface
    private interface BehaviorChange {
        EchoBehavior apply(EchoBehavior behavior) throws CommandLine.UsageException;
    }
}
