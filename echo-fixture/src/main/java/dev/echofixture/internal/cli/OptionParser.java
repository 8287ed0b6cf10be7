package dev.echofixture.internal.cli;

import dev.echofixture.EchoBehavior;
import dev.echofixture.FaultPlan;
import dev.echofixture.EchoServerMain;
import dev.echofixture.Transport;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.Sizes;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads {@link EchoServerMain}'s options left to right into settings, for {@link CommandLine}.
 * Every mistake becomes a {@link CommandLine.UsageException} naming the option, the value and
 * what was expected: an unknown option, a bad value, an option given twice, a value after a
 * flag ({@code --quiet=yes}), {@code --tls-key-store} or {@code --ca-file} without {@code --tls}. Whether a
 * setting applies to the transport ({@code --chunk-size} with {@code --udp}, {@code --port}
 * with {@code --unix}) is the server's own check, which {@link CommandLine} runs. Numbers and sizes are ASCII digits only. Used by one
 * thread, once.
 */
final class OptionParser {
    private static final String PORT_RANGE = "0 to 65535, 0 for an ephemeral port";

    boolean quiet;
    Transport transport = Transport.TCP;
    String transportOption;
    String host = "127.0.0.1";
    boolean hostGiven;
    int port = CommandLine.DEFAULT_PORT;
    boolean portGiven;
    /** The {@code --unix} path, or {@code null} for a fresh file in a temp folder (like the builder). */
    Path unixPath;
    EchoBehavior behavior = EchoBehavior.echo();
    Long seed;
    FaultPlan faultPlan;
    int maxConnections = 1024;
    Duration idleTimeout;
    /** {@code --tls-key-store}: the user's PKCS12 file, or {@code null} for a generated certificate. */
    Path tlsKeyStore;
    String tlsKeyStorePassword;
    /** {@code --ca-file}: where to write the CA a client must trust, in PEM; {@code null} for nowhere. */
    Path caFile;
    /** {@code --proxy-to}: the upstream to forward to, or {@code null} to echo. */
    java.net.URI proxyTo;

    /** {@code --greeting} (a line), or {@code null}. */
    String greeting;
    /** {@code --replies}: the reply file, or {@code null}. */
    Path repliesFile;
    /** The script of {@code --greeting} and {@code --replies} ({@link ReplyFile}), or {@code null}. */
    dev.echofixture.Script script;

    private final Set<String> given = new HashSet<>();
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
            if (name.startsWith("-") && !given.add(name)) {
                throw new CommandLine.UsageException(name + ": given more than once (expected: each option once; keep one)");
            }
            option(name, inline);
        }
        checkApplies();
    }

    /** Rejects option combinations of the command line itself (the key store options). */
    private void checkApplies() throws CommandLine.UsageException {
        if (tlsKeyStore != null && transport != Transport.TLS) {
            throw new CommandLine.UsageException(KeyStoreFile.OPTION + ": " + tlsKeyStore
                    + " (expected: --tls with it, for a TLS server that presents this key store; add --tls)");
        }
        if (caFile != null && transport != Transport.TLS) {
            throw new CommandLine.UsageException("--ca-file: " + caFile
                    + " (expected: --tls with it, for a TLS server whose CA it writes; add --tls)");
        }
        if (tlsKeyStore != null && tlsKeyStorePassword == null) {
            throw new CommandLine.UsageException(KeyStoreFile.OPTION + ": " + tlsKeyStore + " without its password"
                    + " (expected: " + KeyStoreFile.PASSWORD_OPTION + " PASS as well)");
        }
        if (tlsKeyStorePassword != null && tlsKeyStore == null) {
            throw new CommandLine.UsageException(KeyStoreFile.PASSWORD_OPTION + ": given without " + KeyStoreFile.OPTION
                    + " (expected: " + KeyStoreFile.OPTION + " PATH as well, or no password)");
        }
    }

    private void option(String name, String inline) throws CommandLine.UsageException {
        switch (name) {
            case "--help", "-h", "--version" -> flag(name, inline); // CommandLine acts on them before parsing
            case "--host" -> {
                host = value(name, inline, "a host name or address such as 127.0.0.1 or ::1");
                hostGiven = true;
            }
            case "--port" -> {
                port = (int) number(name, inline, 0, 65535, PORT_RANGE, PORT_RANGE);
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
            case KeyStoreFile.OPTION -> {
                String path = value(name, inline, "a PKCS12 key store file with the server's key and certificate chain");
                try {
                    tlsKeyStore = Path.of(path);
                } catch (InvalidPathException e) {
                    throw new CommandLine.UsageException(name + ": " + path + " (expected: a file path; " + e.getReason() + ")");
                }
            }
            case "--ca-file" -> {
                String path = value(name, inline, "a file to write the CA to, in PEM, such as ca.pem");
                try {
                    caFile = Path.of(path);
                } catch (InvalidPathException e) {
                    throw new CommandLine.UsageException(name + ": " + path + " (expected: a file path; " + e.getReason() + ")");
                }
            }
            case KeyStoreFile.PASSWORD_OPTION -> tlsKeyStorePassword = value(name, inline, "the key store's password");
            case "--unix" -> {
                String path = optionalValue(name, inline,
                        "the path of a socket file that does not exist yet, or --unix alone for a fresh one");
                try {
                    unixPath = path == null ? null : Path.of(path);
                } catch (InvalidPathException e) {
                    throw new CommandLine.UsageException(name + ": " + path + " (expected: a file path; " + e.getReason() + ")");
                }
                transport(Transport.UNIX, name);
            }
            case "--proxy-to" -> {
                String uri = value(name, inline, "the upstream's URI, such as tcp://127.0.0.1:5432 or unix:/tmp/app.sock");
                try {
                    proxyTo = new java.net.URI(uri);
                } catch (java.net.URISyntaxException e) {
                    throw new CommandLine.UsageException(name + ": " + uri
                            + " (expected: a URI such as tcp://127.0.0.1:5432 or unix:/tmp/app.sock; " + e.getReason() + ")");
                }
            }
            case "--latency" -> behave(b -> b.latency(delay(name, inline)));
            case "--jitter" -> behave(b -> b.jitter(delay(name, inline)));
            case "--seed" -> seed = number(name, inline, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number such as 42",
                    Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            case "--bandwidth" -> behave(b -> b.bandwidth(size(name, inline, Long.MAX_VALUE)));
            case "--chunk-size" -> behave(b -> b.chunkSize((int) size(name, inline, Integer.MAX_VALUE)));
            case "--close-after" -> behave(b -> b.closeAfter(size(name, inline, Long.MAX_VALUE)));
            case "--reset-after" -> behave(b -> b.resetAfter(size(name, inline, Long.MAX_VALUE)));
            case "--udp-loss" -> behave(b -> b.udpLoss(rate(name, inline)));
            case "--udp-duplication" -> behave(b -> b.udpDuplication(rate(name, inline)));
            case "--udp-reordering" -> behave(b -> b.udpReordering(rate(name, inline)));
            case "--corrupt-rate" -> behave(b -> b.corruptRate(rate(name, inline)));
            case "--corrupt-at" -> behave(b -> b.corruptAt(offsets(name, inline)));
            case "--random-data-then-close" -> behave(b -> b.randomDataThenClose((int) size(name, inline, Integer.MAX_VALUE)));
            case "--slow-close" -> behave(b -> b.slowClose(delay(name, inline)));
            case "--silent" -> {
                flag(name, inline);
                behavior = behavior.silent();
            }
            case "--max-connections" -> maxConnections = (int) number(name, inline, 1, Integer.MAX_VALUE,
                    "a whole number of connections such as 1024, without a unit", "1 to " + Integer.MAX_VALUE + ", for example 1024");
            case "--idle-timeout" -> idleTimeout = duration(name, inline); // never negative; one too long to matter means never
            case FaultPlanText.OPTION -> {
                String text = value(name, inline, "a fault plan such as 'first 2: reset-after 10; every 3: latency 200ms'");
                try {
                    faultPlan = FaultPlanText.parse(text);
                } catch (IllegalArgumentException e) {
                    throw CommandLine.usageError(e);
                }
            }
            case "--greeting" -> greeting = value(name, inline, "a line to send on connect, such as '220 ready'");
            case "--replies" -> {
                String path = value(name, inline, "a reply file (see --help)");
                try {
                    repliesFile = Path.of(path);
                } catch (InvalidPathException e) {
                    throw new CommandLine.UsageException(name + ": " + path + " (expected: a file path; " + e.getReason() + ")");
                }
            }
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

    /** The value of an option whose value may be left out: {@code null} when the next argument is another option. */
    private String optionalValue(String name, String inline, String expected) throws CommandLine.UsageException {
        if (inline == null && (next >= args.length || args[next].startsWith("--"))) {
            return null;
        }
        return value(name, inline, expected);
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

    /**
     * A whole number from {@code min} to {@code max}. Text that is no whole number is rejected
     * with {@code form}; a number outside the range (however many digits) with {@code range}.
     */
    private long number(String name, String inline, long min, long max, String form, String range)
            throws CommandLine.UsageException {
        String text = value(name, inline, form);
        int start = text.startsWith("-") && min < 0 ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || Durations.asciiDigits(text.substring(start)) != digits) {
            boolean negative = text.length() > 1 && text.startsWith("-")
                    && Durations.asciiDigits(text.substring(1)) == text.length() - 1;
            throw new CommandLine.UsageException(name + ": " + text + " (expected: " + (negative ? range : form) + ")");
        }
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) { // ASCII digits, so too many of them
            throw new CommandLine.UsageException(name + ": " + text + " (expected: " + range + ")");
        }
        if (n < min || n > max) {
            throw new CommandLine.UsageException(name + ": " + text + " (expected: " + range + ")");
        }
        return n;
    }

    private Duration duration(String name, String inline) throws CommandLine.UsageException {
        String text = value(name, inline, Durations.FORM);
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

    private long size(String name, String inline, long max) throws CommandLine.UsageException {
        String text = value(name, inline, "a size in bytes such as 512, 64k or 1m");
        try {
            return Sizes.parse(text, name, max);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(e.getMessage());
        }
    }

    /** A rate from 0.0 to 1.0, such as 0.1; the behaviour checks the range and names its setting. */
    private double rate(String name, String inline) throws CommandLine.UsageException {
        String text = value(name, inline, "a rate from 0.0 to 1.0 such as 0.1");
        if (!text.matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+")) {
            throw new CommandLine.UsageException(name + ": " + text + " (expected: a rate from 0.0 to 1.0 such as 0.1)");
        }
        return Double.parseDouble(text);
    }

    /** Byte offsets separated by commas, such as {@code 0,5,17}. */
    private long[] offsets(String name, String inline) throws CommandLine.UsageException {
        String text = value(name, inline, "byte offsets separated by commas such as 0,5,17");
        String[] parts = text.split(",", -1);
        long[] offsets = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty() || Durations.asciiDigits(part) != part.length() || part.length() > 18) {
                throw new CommandLine.UsageException(name + ": " + text
                        + " (expected: byte offsets from 0 separated by commas such as 0,5,17)");
            }
            offsets[i] = Long.parseLong(part);
        }
        return offsets;
    }

    /** A change to the behaviour that may fail with a usage error while reading its value. */
    @FunctionalInterface
    private interface BehaviorChange {
        EchoBehavior apply(EchoBehavior behavior) throws CommandLine.UsageException;
    }
}
