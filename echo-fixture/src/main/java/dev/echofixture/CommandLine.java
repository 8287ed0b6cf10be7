package dev.echofixture;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed command line of {@link EchoServerMain}: what to do (run, print the help, print the
 * version) and, for a run, the server's settings, already checked as far as possible without
 * binding. Every mistake becomes a {@link UsageException} whose message names the option, the
 * value and what was expected. An immutable value; parsing touches no global state, so any
 * thread may use it.
 */
final class CommandLine {

    /** What the command line asks for. */
    enum Action { RUN, HELP, VERSION }

    /** The usage text printed by {@code --help} and after a usage error. */
    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar echo-fixture-standalone.jar [options]",
            "",
            "Runs an echo server (RFC 862: every byte received is sent back) until Ctrl-C or SIGTERM.",
            "The first line on stdout is \"echo-fixture listening on <uri>\"; logs go to stderr.",
            "",
            "Where:",
            "  --host H             address to bind (default 127.0.0.1; 0.0.0.0 = all interfaces)",
            "  --port P             port to bind, 0 = an ephemeral port (default 7007)",
            "  --udp                echo UDP datagrams instead of a TCP stream",
            "  --unix PATH          listen on a Unix-domain socket file instead of TCP",
            "Network conditions (default: plain echo):",
            "  --latency D          send each received chunk D after it arrived (50ms, 2s, 250us)",
            "  --jitter D           plus a random 0..D more, drawn from the seed",
            "  --seed N             seed for the jitter (default: random, logged at start)",
            "  --bandwidth SIZE     echo at most SIZE bytes per second per connection (64k, 1m)",
            "  --chunk-size SIZE    echo in writes of at most SIZE bytes",
            "  --close-after SIZE   echo SIZE bytes of each connection, then close it (FIN)",
            "  --reset-after SIZE   echo at most SIZE bytes of each connection, then reset it (RST)",
            "  --silent             read everything, echo nothing",
            "Limits:",
            "  --max-connections N  connections open at once; more are accepted and closed (default 1024)",
            "  --idle-timeout D     close a connection idle this long (default: never)",
            "Output:",
            "  --quiet              log only errors (default: also each connection's open and close)",
            "  --help               print this help and exit",
            "  --version            print the version and exit",
            "",
            "D is a duration (250us, 50ms, 2s, 1m; a bare number means ms); SIZE is a number of",
            "bytes, optionally with k, m or g (64k = 65536). Values may also be given as --option=value.",
            "Exit status: 0 after Ctrl-C or SIGTERM, 1 if it cannot bind, 2 for bad usage.",
            "");

    /** The default port of the standalone endpoint (the contract's; tests use {@code --port 0}). */
    static final int DEFAULT_PORT = 7007;

    /** Builder and behaviour setting names, as they appear in their messages, to option names. */
    private static final Map<String, String> OPTION_OF_SETTING = Map.ofEntries(
            Map.entry("host", "--host"),
            Map.entry("port", "--port"),
            Map.entry("unixSocketPath", "--unix"),
            Map.entry("latency", "--latency"),
            Map.entry("jitter", "--jitter"),
            Map.entry("bandwidth", "--bandwidth"),
            Map.entry("chunkSize", "--chunk-size"),
            Map.entry("closeAfter", "--close-after"),
            Map.entry("resetAfter", "--reset-after"),
            Map.entry("maxConnections", "--max-connections"),
            Map.entry("idleTimeout", "--idle-timeout"));

    private static final Pattern SETTING_MESSAGE = Pattern.compile("^([A-Za-z]+): (.*)$", Pattern.DOTALL);

    private final Action action;
    private final boolean quiet;
    private final Transport transport;
    private final String host;
    private final int port;
    private final Path unixPath;
    private final EchoBehavior behavior;
    private final Long seed;
    private final int maxConnections;
    private final Duration idleTimeout;

    private CommandLine(Action action, Parser p) {
        this.action = action;
        this.quiet = p.quiet;
        this.transport = p.transport;
        this.host = p.host;
        this.port = p.port;
        this.unixPath = p.unixPath;
        this.behavior = p.behavior;
        this.seed = p.seed;
        this.maxConnections = p.maxConnections;
        this.idleTimeout = p.idleTimeout;
    }

    /**
     * Parses the arguments. {@code --help} wins over everything else, then {@code --version};
     * otherwise every option is checked, and so are the server settings they make up (the host
     * must resolve, the socket file must not exist yet, UDP cannot reset).
     *
     * @param args the arguments of {@code main}
     * @return the parsed command line
     * @throws UsageException naming the bad option and value
     */
    static CommandLine parse(String... args) throws UsageException {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            return new CommandLine(Action.HELP, new Parser());
        }
        if (list.contains("--version")) {
            return new CommandLine(Action.VERSION, new Parser());
        }
        Parser parser = new Parser();
        parser.parse(args);
        CommandLine commandLine = new CommandLine(Action.RUN, parser);
        try {
            commandLine.builder().config();
        } catch (IllegalArgumentException e) {
            throw usageError(e);
        }
        return commandLine;
    }

    /**
     * Turns an {@link IllegalArgumentException} from the builder or {@link EchoBehavior}
     * ({@code chunkSize: 0 (expected: >= 1)}) into the same message about the option
     * ({@code --chunk-size: 0 (expected: >= 1)}).
     */
    static UsageException usageError(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = SETTING_MESSAGE.matcher(message);
        if (m.matches() && OPTION_OF_SETTING.containsKey(m.group(1))) {
            message = OPTION_OF_SETTING.get(m.group(1)) + ": " + m.group(2);
        }
        return new UsageException(message);
    }

    Action action() {
        return action;
    }

    boolean quiet() {
        return quiet;
    }

    /** A new builder with every setting of this command line. */
    EmbeddedEchoServer.Builder builder() {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder()
                .transport(transport)
                .behavior(behavior)
                .maxConnections(maxConnections);
        if (transport == Transport.UNIX) {
            builder.unixSocketPath(unixPath);
        } else {
            builder.host(host).port(port);
        }
        if (idleTimeout != null) {
            builder.idleTimeout(idleTimeout);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        return builder;
    }

    /** Where the server is asked to listen, for messages: {@code tcp://127.0.0.1:7007}, {@code unix:/tmp/echo.sock}. */
    URI target() {
        if (transport == Transport.UNIX) {
            return Endpoints.uri(transport, UnixDomainSocketAddress.of(unixPath));
        }
        return Endpoints.uri(transport, new InetSocketAddress(builder().config().bindAddress(), port));
    }

    /** A usage mistake; the message names the option, the value and what was expected. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Collects options left to right; the last occurrence of an option wins. */
    private static final class Parser {
        boolean quiet;
        Transport transport = Transport.TCP;
        String transportOption;
        String host = "127.0.0.1";
        boolean hostGiven;
        int port = DEFAULT_PORT;
        boolean portGiven;
        Path unixPath;
        EchoBehavior behavior = EchoBehavior.echo();
        Long seed;
        int maxConnections = 1024;
        Duration idleTimeout;

        private String[] args;
        private int next;

        void parse(String[] arguments) throws UsageException {
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
                throw new UsageException(option + ": " + (hostGiven ? host : String.valueOf(port))
                        + " (expected: no " + option + " with --unix PATH, which listens on a socket file)");
            }
        }

        private void option(String name, String inline) throws UsageException {
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
                case "--unix" -> {
                    String path = value(name, inline, "the path of a socket file that does not exist yet");
                    try {
                        unixPath = Path.of(path);
                    } catch (InvalidPathException e) {
                        throw new UsageException(name + ": " + path + " (expected: a file path; " + e.getReason() + ")");
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
                default -> throw new UsageException(name.startsWith("-")
                        ? name + ": unknown option (expected: one of the options below)"
                        : name + ": unexpected argument (expected: options only, such as --port 0)");
            }
        }

        private void transport(Transport chosen, String option) throws UsageException {
            if (transportOption != null && transport != chosen) {
                throw new UsageException(option + ": cannot be combined with " + transportOption
                        + " (expected: one transport: TCP by default, --udp or --unix PATH)");
            }
            transport = chosen;
            transportOption = option;
        }

        /** Applies a behaviour change; its {@code IllegalArgumentException} names the setting, which is mapped to the option. */
        private void behave(BehaviorChange change) throws UsageException {
            try {
                behavior = change.apply(behavior);
            } catch (IllegalArgumentException e) {
                throw usageError(e);
            }
        }

        private void flag(String name, String inline) throws UsageException {
            if (inline != null) {
                throw new UsageException(name + "=" + inline + ": " + name + " takes no value (expected: " + name + " alone)");
            }
        }

        private String value(String name, String inline, String expected) throws UsageException {
            if (inline != null) {
                if (inline.isEmpty()) {
                    throw new UsageException(name + ": '' (expected: " + expected + ")");
                }
                return inline;
            }
            if (next >= args.length || args[next].startsWith("--")) {
                throw new UsageException(name + ": missing value (expected: " + expected + ")");
            }
            return args[next++];
        }

        private long number(String name, String inline, long min, long max, String expected) throws UsageException {
            String text = value(name, inline, expected);
            long n;
            try {
                n = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(name + ": " + text + " (expected: " + expected + ")");
            }
            if (n < min || n > max) {
                throw new UsageException(name + ": " + text + " (expected: " + expected + ")");
            }
            return n;
        }

        private Duration duration(String name, String inline) throws UsageException {
            String text = value(name, inline, "a duration such as 50ms, 2s, 1m or 250us");
            try {
                return Durations.parse(text, name);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        /** A duration for latency or jitter: at most {@link Checks#MAX_DELAY}, named in the user's own units. */
        private Duration delay(String name, String inline) throws UsageException {
            String text = next < args.length && inline == null ? args[next] : inline;
            Duration delay = duration(name, inline);
            if (delay.compareTo(Checks.MAX_DELAY) > 0) {
                throw new UsageException(name + ": " + text + " (expected: at most 1 hour, such as 50ms or 2s)");
            }
            return delay;
        }

        private long size(String name, String inline) throws UsageException {
            String text = value(name, inline, "a size in bytes such as 512, 64k or 1m");
            try {
                return Sizes.parse(text, name);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    /** A change to the behaviour that may fail with a usage error while reading its value. */
    @FunctionalInterface
    private interface BehaviorChange {
        EchoBehavior apply(EchoBehavior behavior) throws UsageException;
    }
}
