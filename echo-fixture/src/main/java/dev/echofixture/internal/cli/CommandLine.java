package dev.echofixture.internal.cli;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoServerMain;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.ServerSettings;
import dev.echofixture.SettingException;
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
import java.util.List;
import java.util.Map;

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
            "  --ca-file PATH       with --tls: write the CA a client must trust to PATH in PEM, before the",
            "                       first line (replaced if it exists); for curl --cacert, openssl -CAfile",
            "  --proxy-to URI       forward each connection to this upstream instead of echoing (tcp://host:port",
            "                       or unix:/path; the conditions below then apply to the upstream's answers)",
            "Network conditions (default: plain echo):",
            "  --latency D          send each received chunk D after it arrived (50ms, 2s, 250us)",
            "  --jitter D           plus a random 0..D more, drawn from the seed",
            "  --seed N             seed for the jitter and fault plans (default: random, printed at start)",
            "  --fault-plan PLAN    which connections fail, e.g. 'first 2: reset-after 10; every 3: echo, after 200ms: silent'",
            "  --bandwidth SIZE     echo at most SIZE bytes per second per connection (64k, 1m)",
            "  --chunk-size SIZE    echo in writes of at most SIZE bytes (not with --udp: datagrams stay whole)",
            "  --close-after SIZE   echo SIZE bytes of each connection, then close it (FIN)",
            "  --reset-after SIZE   echo at most SIZE bytes of each connection, then reset it (RST; not with --udp)",
            "  --silent             read everything, echo nothing",
            "Faults (default: none; each drawn from the seed and listed in the connection's log line):",
            "  --udp-loss R         with --udp: drop this share of the datagrams (0.0 to 1.0, such as 0.1)",
            "  --udp-duplication R  with --udp: echo this share of the datagrams twice",
            "  --udp-reordering R   with --udp: echo this share of the datagrams after the peer's next one",
            "  --corrupt-rate R     flip every bit of this share of the echoed bytes (not with --udp)",
            "  --corrupt-at LIST    flip the echoed bytes at these offsets of each connection (0,5,17)",
            "  --random-data-then-close SIZE  answer the first bytes with SIZE random bytes, then close",
            "  --slow-close D       delay the server's close (FIN) by D after the last echo (200ms)",
            "Scripted replies (lines; instead of echo):",
            "  --greeting TEXT      send TEXT and CRLF on connect",
            "  --replies FILE       answer lines by the rules of FILE, one a line, # for comments:",
            "                         text|prefix|regex MESSAGE -> REPLY   greeting REPLY   otherwise REPLY|echo",
            "                       REPLY is sent with CRLF; '-' sends nothing; [close] or [reset] at its end",
            "                       ends the connection after it; \\r \\n \\t \\\\ escapes (default: echo)",
            "Limits:",
            "  --max-connections N  connections open at once; more are accepted and closed (default 1024)",
            "  --idle-timeout D     close a connection idle this long; 0 = never (default: never;",
            "                       with --udp: forget a peer idle for " + Durations.format(ServerConfig.DEFAULT_UDP_IDLE_TIMEOUT) + ")",
            "Output:",
            "  --quiet              log only errors (default: also each connection's open and close)",
            "  --help               print this help and exit",
            "  --version            print the version and exit",
            "",
            "D is a duration: ASCII digits, then ns, us, ms, s, m or h (250us, 50ms, 2s, 1m, 1h); a bare",
            "number means ms. --latency and --jitter take at most 1h; an --idle-timeout too long to",
            "matter means never. SIZE is a number of bytes, optionally with k, m or g (64k = 65536); N is",
            "a whole number, without a unit; numbers are ASCII digits. Values may also be given as",
            "--option=value. Each option may be given once; an option that does not apply to the",
            "transport (--chunk-size or --reset-after with --udp, --host or --port with --unix) is an error.",
            "Exit status: 0 after Ctrl-C or SIGTERM, 1 if it cannot bind (a port in use, a socket file",
            "left behind), 2 for bad usage.",
            "");

    /** The default port of the standalone endpoint (the contract's; tests use {@code --port 0}). */
    static final int DEFAULT_PORT = 7007;

    /** Builder and behaviour setting names ({@link SettingException#setting()}) to option names. */
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
            Map.entry("udpLoss", "--udp-loss"),
            Map.entry("udpDuplication", "--udp-duplication"),
            Map.entry("udpReordering", "--udp-reordering"),
            Map.entry("corruptRate", "--corrupt-rate"),
            Map.entry("corruptAt", "--corrupt-at"),
            Map.entry("randomDataThenClose", "--random-data-then-close"),
            Map.entry("slowClose", "--slow-close"),
            Map.entry("maxConnections", "--max-connections"),
            Map.entry("idleTimeout", "--idle-timeout"),
            Map.entry("seed", "--seed"),
            Map.entry("faultPlan", FaultPlanText.OPTION),
            Map.entry("first", FaultPlanText.OPTION),
            Map.entry("nth", FaultPlanText.OPTION),
            Map.entry("every", FaultPlanText.OPTION),
            Map.entry("withProbability", FaultPlanText.OPTION),
            Map.entry("after", FaultPlanText.OPTION),
            Map.entry("afterBytes", FaultPlanText.OPTION),
            Map.entry("transport", "--udp/--unix/--tls"),
            Map.entry("tls", "--tls"),
            Map.entry("script", "--replies"),
            Map.entry("proxyTo", "--proxy-to"));

    private final Action action;
    private final boolean quiet;
    private final Transport transport;
    private final Path unixPath;
    private final int port;
    private final Path caFile;
    /** Every server setting the options make, the {@code --unix} path included. */
    private final ServerSettings settings;
    /** The same without a {@code --unix} path that is an existing socket file, to check the others. */
    private final ServerSettings checkable;

    private CommandLine(Action action, OptionParser p) {
        this(action, p, null);
    }

    private CommandLine(Action action, OptionParser p, TlsOptions tlsOptions) {
        this.action = action;
        this.quiet = p.quiet;
        this.transport = p.transport;
        this.unixPath = p.unixPath;
        this.port = p.port;
        this.caFile = p.caFile;
        this.settings = action == Action.RUN ? settings(p, tlsOptions, true) : ServerSettings.none();
        this.checkable = action == Action.RUN ? settings(p, tlsOptions, false) : ServerSettings.none();
    }

    /**
     * The options as server settings, each only when given (the port also by default, except
     * with {@code --unix}), so that the server's own check rejects what does not apply to the
     * transport. It records nothing ({@code recordLimit(0)}): nobody can read a standalone
     * server's recording, so copying the bytes would only cost memory and time.
     *
     * @throws SettingException naming the setting for a value the builder rejects
     */
    private static ServerSettings settings(OptionParser p, TlsOptions tlsOptions, boolean withExistingSocketFile) {
        ServerSettings s = ServerSettings.none()
                .with("transport", p.transport, b -> b.transport(p.transport))
                .with("behavior", p.behavior, b -> b.behavior(p.behavior))
                .with("maxConnections", p.maxConnections, b -> b.maxConnections(p.maxConnections))
                .with("recordLimit", 0, b -> b.recordLimit(0));
        if (p.unixPath != null && (withExistingSocketFile || !isSocketFile(p.unixPath))) {
            s = s.with("unixSocketPath", p.unixPath, b -> b.unixSocketPath(p.unixPath));
        }
        if (p.hostGiven || p.transport != Transport.UNIX) {
            s = s.with("host", p.host, b -> b.host(p.host));
        }
        if (p.portGiven || p.transport != Transport.UNIX) {
            s = s.with("port", p.port, b -> b.port(p.port));
        }
        if (p.idleTimeout != null) {
            s = s.with("idleTimeout", p.idleTimeout, b -> b.idleTimeout(p.idleTimeout));
        }
        if (p.seed != null) {
            s = s.with("seed", p.seed, b -> b.seed(p.seed));
        }
        if (p.faultPlan != null) {
            s = s.with("faultPlan", p.faultPlan, b -> b.faultPlan(p.faultPlan));
        }
        if (p.proxyTo != null) {
            s = s.with("proxyTo", p.proxyTo, b -> b.proxyTo(p.proxyTo));
        }
        if (tlsOptions != null) {
            s = s.with("tls", tlsOptions, b -> b.tls(tlsOptions));
        }
        if (p.script != null) {
            s = s.with("script", p.script, b -> b.script(p.script));
        }
        return s;
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
        parser.script = ReplyFile.script(parser.greeting, parser.repliesFile);
        TlsOptions tlsOptions = parser.tlsKeyStore == null ? null
                : KeyStoreFile.load(parser.tlsKeyStore, parser.tlsKeyStorePassword);
        try {
            CommandLine commandLine = new CommandLine(Action.RUN, parser, tlsOptions);
            commandLine.checkUnixPath();
            commandLine.checkCaFile();
            BuilderAccess.config(commandLine.checkable.applyTo(EmbeddedEchoServer.builder()));
            return commandLine;
        } catch (IllegalArgumentException e) {
            throw usageError(e);
        }
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

    /** Rejects a {@code --ca-file} that cannot be written: a folder, or a file in a folder that does not exist. */
    private void checkCaFile() throws UsageException {
        if (caFile == null) {
            return;
        }
        if (Files.isDirectory(caFile)) {
            throw new UsageException("--ca-file: " + caFile + " (expected: a file; this is a folder: add a file name, such as "
                    + caFile.resolve("ca.pem") + ")");
        }
        Path folder = caFile.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException("--ca-file: " + caFile + " (expected: a file in an existing folder; " + folder
                    + " is no folder)");
        }
    }

    /** Where {@code --ca-file} asks the CA to be written, or {@code null}. */
    public Path caFile() {
        return caFile;
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
     * ({@code --chunk-size: 0 (expected: >= 1)}), by the setting a {@link SettingException} names.
     */
    public static UsageException usageError(IllegalArgumentException e) {
        if (e instanceof SettingException bad && OPTION_OF_SETTING.containsKey(bad.setting())) {
            return new UsageException(OPTION_OF_SETTING.get(bad.setting()) + ": " + bad.detail());
        }
        return new UsageException(String.valueOf(e.getMessage()));
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

    /** A new builder with every setting of this command line. */
    public EmbeddedEchoServer.Builder builder() {
        return settings.applyTo(EmbeddedEchoServer.builder());
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
