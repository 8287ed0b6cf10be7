package dev.echofixture.internal.cli;

import dev.echofixture.EchoServerMain;
import dev.echofixture.EchoStats;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import dev.echofixture.internal.server.BuilderAccess;
import dev.echofixture.internal.server.ExitCleanup;
import dev.echofixture.internal.tls.Pem;
import dev.echofixture.internal.util.Plural;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone endpoint behind {@link EchoServerMain}: parses the command line, runs an
 * {@link EmbeddedEchoServer} until SIGINT or SIGTERM, and maps what happens to the exit status.
 * {@link #run} is the testable body: it prints only to the streams it is given and never exits
 * the JVM. The contract of the program (first line, exit codes, options) is on {@link EchoServerMain}.
 */
public final class StandaloneEndpoint {

    /** Exit status after a clean stop, {@code --help} or {@code --version}. */
    public static final int EXIT_OK = 0;
    /** Exit status when the server cannot bind, or does not stop in time. */
    public static final int EXIT_CANNOT_RUN = 1;
    /** Exit status for bad usage. */
    public static final int EXIT_USAGE = 2;

    /**
     * Closed connections the server keeps listing. Nobody reads the list of a standalone server,
     * which may run for days and serve millions of connections: keep memory flat.
     */
    public static final int RETAINED_CLOSED_CONNECTIONS = 256;

    private static final String NAME = "echo-fixture";
    private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";

    private StandaloneEndpoint() {
    }

    /**
     * Runs the server until SIGINT or SIGTERM, then exits with status 0; exits with 1 when it
     * cannot bind and with 2 for bad usage (see {@code --help}).
     *
     * @param args the command-line options
     */
    public static void main(String[] args) {
        ShutdownSignal signal = ShutdownSignal.install(); // first: from here on SIGTERM exits with run's status
        if (signal == null) {
            return; // a signal came while the JVM started: it is exiting already, with its own status (143)
        }
        int status = EXIT_CANNOT_RUN;
        try {
            CommandLine commandLine = CommandLine.parse(args); // logs nothing: logging is configured next
            configureLogging(commandLine.quiet());
            status = run(commandLine, System.out, System.err, signal);
        } catch (CommandLine.UsageException e) {
            status = usage(System.err, e);
        } catch (RuntimeException | Error e) {
            System.err.println(NAME + ": unexpected failure, exiting with status " + EXIT_CANNOT_RUN);
            e.printStackTrace();
        } finally {
            signal.exit(status);
        }
    }

    /**
     * Parses the arguments, starts the server, prints the first line and waits for {@code stop};
     * then closes the server. The testable body of {@link #main(String[])}: it prints only to
     * {@code out} and {@code err} and never exits the JVM.
     *
     * @param args the command-line options
     * @param out  receives the first line, or the help or version text
     * @param err  receives usage and bind errors
     * @param stop returns when the server should stop
     * @return the exit status: 0, 1 (cannot bind) or 2 (bad usage)
     */
    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            return usage(err, e);
        }
        return run(commandLine, out, err, stop);
    }

    private static int run(CommandLine commandLine, PrintStream out, PrintStream err, StopSignal stop) {
        switch (commandLine.action()) {
            case HELP -> {
                out.print(CommandLine.USAGE);
                out.flush();
                return EXIT_OK;
            }
            case VERSION -> {
                out.println(NAME + " " + version());
                out.flush();
                return EXIT_OK;
            }
            default -> {
                return serve(commandLine, out, err, stop);
            }
        }
    }

    private static int serve(CommandLine commandLine, PrintStream out, PrintStream err, StopSignal stop) {
        String socketFileInUse = commandLine.socketFileInUse();
        if (socketFileInUse != null) {
            return cannotListen(err, commandLine, socketFileInUse);
        }
        warmUpSocketClose();
        EmbeddedEchoServer server;
        try {
            server = commandLine.builder().start();
        } catch (UncheckedIOException e) {
            return cannotListen(err, commandLine, reason(e) + " (" + advice(commandLine) + ")");
        } catch (IllegalArgumentException e) {
            return usage(err, CommandLine.usageError(e));
        }
        BuilderAccess.retainClosedConnections(server, RETAINED_CLOSED_CONNECTIONS);
        if (commandLine.caFile() != null && !writeCaFile(server, commandLine.caFile(), err)) {
            server.close();
            return EXIT_CANNOT_RUN;
        }
        Logger log = LoggerFactory.getLogger(EchoServerMain.class); // the program's name in its log
        BuilderAccess.connectionListener(server, new ConnectionLog(log));
        try (server) {
            out.println(NAME + " listening on " + server.uri());
            out.flush();
            log.info("{} {} with {}, seed {}; stop with Ctrl-C", NAME, version(), server.behavior(), server.seed());
            if (!server.faultPlan().isEmpty()) {
                log.info("fault plan {}", server.faultPlan());
            }
            if (commandLine.quiet()) {
                err.println(NAME + " seed " + server.seed()); // even quiet: a failure seen here can be replayed with --seed
                err.flush();
            }
            if (server.transport() == Transport.TLS) {
                log.info("TLS certificate {}, issued by the CA below; a client that trusts this CA trusts the server:{}{}",
                        server.certificateChain().get(0).getSubjectX500Principal().getName(), System.lineSeparator(),
                        Pem.certificate(server.certificateChain().get(server.certificateChain().size() - 1)));
                if (commandLine.caFile() != null) {
                    log.info("the CA is written to {} in PEM (curl --cacert {}, openssl s_client -CAfile {})",
                            commandLine.caFile(), commandLine.caFile(), commandLine.caFile());
                }
            }
            stop.await();
            log.info("stopping {}", server.uri());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        EchoStats stats = server.stats();
        log.info("stopped: {} accepted, {} rejected, {} received, {} sent",
                Plural.of(stats.connectionsAccepted(), "connection"), stats.connectionsRejected(),
                Plural.of(stats.bytesReceived(), "byte"), Plural.of(stats.bytesSent(), "byte"));
        return EXIT_OK;
    }

    /**
     * {@code --ca-file}: writes the certificate a client must trust (the chain's last one: the
     * CA of a generated certificate) in PEM, before the first line, so a script that read the
     * first line finds the file complete.
     *
     * @return whether it was written; if not, the reason is on {@code err}
     */
    private static boolean writeCaFile(EmbeddedEchoServer server, java.nio.file.Path file, PrintStream err) {
        java.util.List<java.security.cert.X509Certificate> chain = server.certificateChain();
        try {
            java.nio.file.Files.writeString(file, Pem.certificate(chain.get(chain.size() - 1)) + "\n",
                    java.nio.charset.StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | RuntimeException e) {
            err.println(NAME + ": cannot write the CA to --ca-file " + file + ": " + e);
            err.flush();
            return false;
        }
    }

    /**
     * The JDK initializes its descriptor-closing class ({@code FileDispatcherImpl}) on the first
     * socket close, and that needs a free descriptor: when the first close of a long-running
     * endpoint happens while the process is out of descriptors (many clients at once, a low
     * {@code ulimit -n}), the class fails to initialize and the server's loop dies with it.
     * Closing one channel now, while descriptors are free, takes that first close out of the way.
     */
    private static void warmUpSocketClose() {
        try {
            java.nio.channels.SocketChannel.open().close();
        } catch (IOException | RuntimeException e) {
            // best effort: without it only the out-of-descriptors case is at risk
        }
    }

    private static int cannotListen(PrintStream err, CommandLine commandLine, String why) {
        err.println(NAME + ": cannot listen on " + commandLine.target() + ": " + why);
        err.flush();
        return EXIT_CANNOT_RUN;
    }

    /**
     * What to do about a bind failure, in terms of the options (given once: the library's advice
     * is left out). Whether the port or the host is to blame is found out by binding the host
     * with an ephemeral port, not from the OS's message, which may be in any language.
     */
    private static String advice(CommandLine commandLine) {
        if (commandLine.transport() == Transport.UNIX) {
            return "check that the folder exists and is writable, or give --unix alone for a fresh socket file";
        }
        return hostCanBeBound(commandLine) ? "use another --port, or --port 0 for an ephemeral one"
                : "check that --host is an address of this machine, or leave it out for 127.0.0.1";
    }

    private static boolean hostCanBeBound(CommandLine commandLine) {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(BuilderAccess.config(commandLine.builder()).bindAddress(), 0));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int usage(PrintStream err, CommandLine.UsageException e) {
        err.println(NAME + ": " + e.getMessage());
        err.println();
        err.print(CommandLine.USAGE);
        err.flush();
        return EXIT_USAGE;
    }

    /** The reason behind a bind failure, for example {@code Address already in use}; without the library's advice. */
    private static String reason(UncheckedIOException e) {
        IOException cause = e.getCause();
        return cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
    }

    /** The project version, from the {@code version.properties} resource the build fills in. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = EchoServerMain.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return properties.getProperty("version", "unknown");
    }

    /**
     * Sets slf4j-simple's levels (the provider bundled in the standalone jar) before the first
     * logger exists: info (each connection's open and close, by {@link ConnectionLog}) unless
     * quiet, only errors when quiet. A setting the user passed with {@code -D} wins, for example
     * {@code -Dorg.slf4j.simpleLogger.log.dev.echofixture=debug} for the library's own details.
     */
    public static void configureLogging(boolean quiet) {
        setIfAbsent(SIMPLE_LOGGER + "defaultLogLevel", quiet ? "error" : "info");
        setIfAbsent(SIMPLE_LOGGER + "log.dev.echofixture", quiet ? "error" : "info");
        setIfAbsent(SIMPLE_LOGGER + "logFile", "System.err");
        setIfAbsent(SIMPLE_LOGGER + "showDateTime", "true");
        setIfAbsent(SIMPLE_LOGGER + "dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent(SIMPLE_LOGGER + "showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Blocks until the server should stop. */
    @FunctionalInterface
    public interface StopSignal {
        /**
         * Returns when the server should stop.
         *
         * @throws InterruptedException if the waiting thread is interrupted
         */
        void await() throws InterruptedException;
    }

    /**
     * Turns SIGINT and SIGTERM into a stop, and the JVM's exit status into the one {@code run}
     * returned. The JVM exits with 128 + the signal number after a signal unless a shutdown hook
     * halts it: so the hook asks the main thread to stop, waits (bounded) until it has closed the
     * server and chosen the status, and halts with that status. A plain {@code System.exit}
     * (usage errors) takes the same path. Touched by the main thread and the hook thread
     * {@code echo-fixture-shutdown}; the latches order them.
     */
    public static final class ShutdownSignal implements StopSignal {
        private static final long STOP_TIMEOUT_SECONDS = 5;

        private final CountDownLatch stopRequested = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile int status = EXIT_CANNOT_RUN;

        /**
         * Installs the hook. Called first thing in {@code main}, and without a lambda (see
         * docs/DESIGN.md, "First start"): a SIGTERM before this point, while the JVM
         * is still starting, ends the process with the JVM's default status 143.
         *
         * @return the signal, or {@code null} if the JVM is shutting down already (a signal came
         *         before this point): then {@code main} returns and the JVM ends with its own status
         */
        public static ShutdownSignal install() {
            ShutdownSignal signal = new ShutdownSignal();
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(NAME + "-shutdown") {
                    @Override
                    public void run() {
                        signal.onShutdown();
                    }
                });
            } catch (IllegalStateException shutdownInProgress) {
                return null;
            }
            return signal;
        }

        @Override
        public void await() throws InterruptedException {
            stopRequested.await();
        }

        /** Called by the main thread once {@code run} returned; never returns. */
        void exit(int exitStatus) {
            status = exitStatus;
            finished.countDown();
            System.exit(exitStatus);   // runs the hook, which halts with this status
        }

        private void onShutdown() {
            stopRequested.countDown();
            try {
                if (!finished.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println(NAME + ": the server did not stop within " + STOP_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ExitCleanup.run(); // halt skips the other shutdown hooks' work: delete the socket folder here
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }
    }
}
