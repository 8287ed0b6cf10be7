package dev.echofixture.internal.cli;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoServerMain;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import dev.echofixture.internal.server.BuilderAccess;
import dev.echofixture.internal.server.ServerConfig;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.SocketUris;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
public final class CommandLine {

    /** What the command line asks for. */
    public enum Action { RUN, HELP, VERSION }

    /** The usage text printed by {@code --help} and after a usage error. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar echo-fixture-standalone.jar [options]",
            "",
            "Runs an echo server (RFC 862: every byte received is sent back) until Ctrl-C or SIGTERM.",
            "The first line on stdout is \"echo-fixture listening on <uri>\"; logs go to stderr.",
            "",
            "Where:",
            "  --host H             address to bind (default 127.0.0.1; 0.0.0.0 = all interfaces)",
            "  --port P             port to bind, 0 = an ephemeral port (default 7007)",
            "  --udp                echo UDP datagrams instead of a TCP stream",
            "  --unix [PATH]        listen on a Unix-domain socket file instead of TCP; a path that does not",
            "                       exist yet, or none for a fresh file in a temp folder (see the first line)",
            "  --tls                TLS over TCP, with a certificate made at start (its CA is logged)",
            "  --tls-key-store PATH with --tls: present the key and chain of this PKCS12 file instead",
            "  --tls-key-store-password PASS  its password (the store's and the key's, as keytool makes them)",
            "Network conditions (default: plain echo):",
            "  --latency D          send each received chunk D after it arrived (50ms, 2s, 250us)",
            "  --jitter D           plus a random 0..D more, drawn from the seed",
            "  --seed N             seed for the jitter (default: random, logged at start)",
            "  --bandwidth SIZE     echo at most SIZE bytes per second per connection (64k, 1m)",
            "  --chunk-size SIZE    echo in writes of at most SIZE bytes (not with --udp: datagrams stay whole)",
            "  --close-after SIZE   echo SIZE bytes of each connection, then close it (FIN)",
            "  --reset-after SIZE   echo at most SIZE bytes of each connection, then reset it (RST; not with --udp)",
            "  --silent             read everything, echo nothing",
            "Limits:",
            "  --max-connections N  connections open at once; more are accepted and closed (default 1024)",
            "  --idle-timeout D     close a connection idle this long; 0 = never (default: never;",
            "                       with --udp: forget a peer idle for " + Durations.format(ServerConfig.DEFAULT_UDP_IDLE_TIMEOUT) + ")",
            "Output:",
            "  --quiet              log only errors (default: also each connection's open and close)",
            "  --help               print this help and exit",
            "  --version            print the version and exit",
            "",
            "D is a duration (250us, 50ms, 2s, 1m; a bare number means ms); SIZE is a number of",
            "bytes, optionally with k, m or g (64k = 65536); numbers are ASCII digits. Values may also",
            "be given as --option=value. Each option may be given once; an option that does not apply",
            "to the transport (--chunk-size or --reset-after with --udp, --host or --port with --unix)",
            "is an error.",
            "Exit status: 0 after Ctrl-C or SIGTERM, 1 if it cannot bind (a port in use, a socket file",
            "left behind), 2 for bad usage.",
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
    private final TlsOptions tlsOptions; // from --tls-key-store, else null

    private CommandLine(Action action, OptionParser p) {
        this(action, p, null);
    }

    private CommandLine(Action action, OptionParser p, TlsOptions tlsOptions) {
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
        this.tlsOptions = tlsOptions;
    }

    /**
     * Parses the arguments. {@code --help} wins over everything else, then {@code --version};
     * otherwise every option is checked, and so are the server settings they make up (the host
     * must resolve, the socket file must not exist yet, UDP cannot reset, a
     * {@code --tls-key-store} must open with its password and hold a key valid now).
     *
     * @param args the arguments of {@code main}
     * @return the parsed command line
     * @throws UsageException naming the bad option and value
     */
    public static CommandLine parse(String... args) throws UsageException {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            return new CommandLine(Action.HELP, new OptionParser());
        }
        if (list.contains("--version")) {
            return new CommandLine(Action.VERSION, new OptionParser());
        }
        OptionParser parser = new OptionParser();
        parser.parse(args);
        TlsOptions tlsOptions = parser.tlsKeyStore == null ? null
                : KeyStoreFile.load(parser.tlsKeyStore, parser.tlsKeyStorePassword);
        CommandLine commandLine = new CommandLine(Action.RUN, parser, tlsOptions);
        commandLine.checkUnixPath();
        try {
            BuilderAccess.config(commandLine.builder(false));
        } catch (IllegalArgumentException e) {
            throw usageError(e);
        }
        return commandLine;
    }

    /**
     * Rejects a {@code --unix} path that exists and is not a socket file. An existing socket file
     * is no usage mistake but a server's leftover (or a running server): {@link #socketFileInUse()}
     * reports it as "cannot listen", like a port in use.
     */
    private void checkUnixPath() throws UsageException {
        if (transport != Transport.UNIX || unixPath == null || !Files.exists(unixPath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocketFile(unixPath)) {
            throw new UsageException("--unix: " + unixPath + " (expected: a path that does not exist yet; "
                    + (Files.isDirectory(unixPath) ? "this is a folder: add a file name, such as " + unixPath.resolve("echo.sock")
                    : "this file is no socket: choose another path") + ", or give --unix alone for a fresh one)");
        }
        try {
            ServerConfig.checkUnixPathLength(unixPath);
        } catch (IllegalArgumentException e) {
            throw usageError(e);
        }
    }

    /**
     * If the {@code --unix} path is a socket file already, why the server cannot listen there and
     * what to do; {@code null} otherwise (the common case: the path does not exist).
     */
    public String socketFileInUse() {
        if (transport != Transport.UNIX || unixPath == null || !isSocketFile(unixPath)) {
            return null;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(unixPath))) {
            return "a server is listening on this socket file (stop it, or choose another path)";
        } catch (IOException | RuntimeException e) {
            return "the socket file exists, left behind by a server that was killed (delete it: rm "
                    + unixPath + ", or choose another path, or give --unix alone for a fresh one)";
        }
    }

    private static boolean isSocketFile(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Turns an {@link IllegalArgumentException} from the builder or {@link EchoBehavior}
     * ({@code chunkSize: 0 (expected: >= 1)}) into the same message about the option
     * ({@code --chunk-size: 0 (expected: >= 1)}).
     */
    public static UsageException usageError(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = SETTING_MESSAGE.matcher(message);
        if (m.matches() && OPTION_OF_SETTING.containsKey(m.group(1))) {
            message = OPTION_OF_SETTING.get(m.group(1)) + ": " + m.group(2);
        }
        return new UsageException(message);
    }

    public Action action() {
        return action;
    }

    /**
     * Whether {@code --quiet} was given: log only errors.
     *
     * @return {@code true} with {@code --quiet}
     */
    public boolean quiet() {
        return quiet;
    }

    /**
     * A new builder with every setting of this command line. It records nothing
     * ({@code recordLimit(0)}): nobody can read a standalone server's recording, so copying the
     * bytes would only cost memory and time.
     */
    public EmbeddedEchoServer.Builder builder() {
        return builder(true);
    }

    /**
     * The builder; {@code withExistingSocketFile == false} leaves out a {@code --unix} path that
     * is an existing socket file (so that checking the other settings does not stumble on it).
     */
    private EmbeddedEchoServer.Builder builder(boolean withExistingSocketFile) {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder()
                .transport(transport)
                .behavior(behavior)
                .maxConnections(maxConnections)
                .recordLimit(0);
        if (transport == Transport.UNIX) {
            if (unixPath != null && (withExistingSocketFile || !isSocketFile(unixPath))) {
                builder.unixSocketPath(unixPath);
            }
        } else {
            builder.host(host).port(port);
        }
        if (idleTimeout != null) {
            builder.idleTimeout(idleTimeout);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        if (tlsOptions != null) {
            builder.tls(tlsOptions);
        }
        return builder;
    }

    /**
     * Where the server is asked to listen, for messages: {@code tcp://127.0.0.1:7007},
     * {@code unix:/tmp/echo.sock}, or {@code unix: (a fresh socket file)} for {@code --unix} alone.
     */
    public String target() {
        if (transport == Transport.UNIX) {
            return unixPath == null ? "unix: (a fresh socket file)" : SocketUris.uri(transport, UnixDomainSocketAddress.of(unixPath)).toString();
        }
        return SocketUris.uri(transport, new InetSocketAddress(BuilderAccess.config(builder()).bindAddress(), port)).toString();
    }

    public Transport transport() {
        return transport;
    }

    /** A usage mistake; the message names the option, the value and what was expected. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
