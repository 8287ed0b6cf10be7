package dev.echofixture.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.ShortTempDir;
import dev.echofixture.Transport;
import dev.echofixture.internal.server.BuilderAccess;
import dev.echofixture.internal.server.ServerConfig;
import dev.echofixture.internal.util.Durations;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CommandLineTests {

    private static ServerConfig config(String... args) throws CommandLine.UsageException {
        CommandLine commandLine = CommandLine.parse(args);
        assertEquals(CommandLine.Action.RUN, commandLine.action());
        return BuilderAccess.config(commandLine.builder());
    }

    private static String usageError(String... args) {
        return assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(args)).getMessage();
    }

    @Test
    void noOptionsMeanPlainTcpEchoOnLoopbackPort7007() throws Exception {
        ServerConfig config = config();
        assertEquals(Transport.TCP, config.transport());
        assertEquals(InetAddress.getByName("127.0.0.1"), config.bindAddress());
        assertTrue(config.bindAddress().isLoopbackAddress());
        assertEquals(7007, config.port());
        assertEquals(EchoBehavior.echo(), config.behavior());
        assertEquals(1024, config.maxConnections());
        assertFalse(config.hasIdleTimeout());
        assertEquals(0, config.recordLimit(), "nobody can read a standalone server's recording");
        assertFalse(CommandLine.parse().quiet());
    }

    @Test
    void mapsEveryNetworkConditionOntoTheBehavior() throws Exception {
        ServerConfig config = config("--latency", "50ms", "--jitter", "20ms", "--bandwidth", "64k",
                "--chunk-size", "1", "--close-after", "1k", "--reset-after", "2048", "--silent");
        assertEquals(EchoBehavior.echo().latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(20))
                .bandwidth(64 * 1024).chunkSize(1).closeAfter(1024).resetAfter(2048).silent(), config.behavior());
    }

    @Test
    void mapsServerSettingsOntoTheBuilder() throws Exception {
        ServerConfig config = config("--host", "::1", "--port", "0", "--seed", "-42",
                "--max-connections", "3", "--idle-timeout", "30s", "--quiet");
        assertEquals(InetAddress.getByName("::1"), config.bindAddress());
        assertEquals(0, config.port());
        assertEquals(-42L, config.seed());
        assertEquals(3, config.maxConnections());
        assertEquals(Duration.ofSeconds(30), config.idleTimeout());
        assertTrue(CommandLine.parse("--quiet").quiet());
    }

    @Test
    void acceptsOptionEqualsValue() throws Exception {
        ServerConfig config = config("--port=0", "--latency=250us", "--bandwidth=1m");
        assertEquals(0, config.port());
        assertEquals(EchoBehavior.echo().latency(Duration.ofNanos(250_000)).bandwidth(1 << 20), config.behavior());
    }

    @Test
    void hugeIdleTimeoutMeansNeverInsteadOfOverflowing() throws Exception {
        ServerConfig config = config("--idle-timeout", "999999999999999m");
        assertTrue(config.hasIdleTimeout());
        assertEquals(Durations.MAX_NANOS, config.idleTimeoutNanos());
    }

    /** Regression (issue 19, item 8): any over-long duration means never, whatever its digits or unit. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"9999999999999999m", "9223372036854775807ms",
            "9223372036854775807s", "9223372036854775807h", "99999999999999999999999999999999ns", "9999999999999999"})
    void anyOverLongIdleTimeoutMeansNever(String text) throws Exception {
        ServerConfig config = config("--idle-timeout", text);
        assertTrue(config.hasIdleTimeout());
        assertEquals(Durations.MAX_NANOS, config.idleTimeoutNanos(), text);
    }

    /** Regression (issue 19, item 8): --help and the README tell the same story about durations. */
    @Test
    void usageAndReadmeNameTheSameDurationUnitsAndWhatABareNumberMeans() throws Exception {
        String usage = CommandLine.USAGE.replaceAll("\\s+", " ");
        String readme = java.nio.file.Files.readString(Path.of("../README.md")).replaceAll("\\s+", " ");
        assertTrue(usage.contains("D is a duration: ASCII digits, then ns, us, ms, s, m or h"), usage);
        assertTrue(usage.contains("a bare number means ms"), usage);
        assertTrue(readme.contains("Durations are ASCII digits, then `ns`, `us`, `ms`, `s`, `m` or `h`"), "README.md");
        assertTrue(readme.contains("a bare number means milliseconds"), "README.md");
        assertTrue(usage.contains("an --idle-timeout too long to matter means never"), usage);
        assertTrue(readme.contains("`--idle-timeout` too long to matter"), "README.md");
    }

    @Test
    void idleTimeoutTakesHours() throws Exception {
        assertEquals(Duration.ofHours(1), config("--idle-timeout", "1h").idleTimeout());
        assertEquals(Duration.ofHours(1), config("--latency", "1h").behavior().latency());
    }

    @Test
    void udpForgetsIdlePeersByDefaultAndIdleTimeoutZeroMeansNever() throws Exception {
        assertEquals(ServerConfig.DEFAULT_UDP_IDLE_TIMEOUT, config("--udp", "--port", "0").idleTimeout());
        assertFalse(config("--udp", "--port", "0", "--idle-timeout", "0").hasIdleTimeout());
        assertFalse(config("--port", "0").hasIdleTimeout(), "TCP: no idle time-out unless asked");
    }

    @Test
    void udpSelectsTheUdpTransport() throws Exception {
        assertEquals(Transport.UDP, config("--udp", "--port", "0").transport());
    }

    @Test
    void unixSelectsTheUnixTransportWithThatPath(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path socket = dir.resolve("echo.sock");
        ServerConfig config = config("--unix", socket.toString());
        assertEquals(Transport.UNIX, config.transport());
        assertEquals(socket, config.unixSocketPath());
        assertEquals("unix:" + socket.toAbsolutePath(), CommandLine.parse("--unix", socket.toString()).target());
    }

    @Test
    void unixAloneListensOnAFreshSocketFileLikeTheBuilder() throws Exception {
        for (String[] args : new String[][] {{"--unix"}, {"--unix", "--quiet"}}) {
            ServerConfig config = config(args);
            assertEquals(Transport.UNIX, config.transport());
            assertEquals(null, config.unixSocketPath(), "null: a fresh file in a temp folder");
        }
        assertEquals("unix: (a fresh socket file)", CommandLine.parse("--unix").target());
    }

    @Test
    void targetNamesTheAddressToBind() throws Exception {
        assertEquals("tcp://127.0.0.1:7007", CommandLine.parse().target());
        assertEquals("udp://[::1]:9", CommandLine.parse("--udp", "--host", "::1", "--port", "9").target());
    }

    @Test
    void helpWinsOverEverythingElse() throws Exception {
        assertEquals(CommandLine.Action.HELP, CommandLine.parse("--latency", "5xs", "--help").action());
        assertEquals(CommandLine.Action.HELP, CommandLine.parse("-h").action());
        assertEquals(CommandLine.Action.HELP, CommandLine.parse("--version", "--help").action());
        assertEquals(CommandLine.Action.VERSION, CommandLine.parse("--port", "x", "--version").action());
    }

    @Test
    void usageListsEveryOptionOfTheContract() {
        for (String option : new String[] {"--host", "--port", "--udp", "--unix", "--latency", "--jitter", "--seed",
                "--bandwidth", "--chunk-size", "--close-after", "--reset-after", "--silent", "--max-connections",
                "--idle-timeout", "--quiet", "--help", "--version"}) {
            assertTrue(CommandLine.USAGE.contains("  " + option + " "), option);
        }
    }

    @Nested
    class ReportsUsageErrors {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "--latency 5xs        | --latency: 5xs (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)",
                "--jitter -1ms        | --jitter: -1ms (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)",
                "--latency 61m        | --latency: 61m (expected: at most 1 hour, such as 50ms or 2s)",
                "--jitter=3601s       | --jitter: 3601s (expected: at most 1 hour, such as 50ms or 2s)",
                "--idle-timeout soon  | --idle-timeout: soon (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)",
                "--port 70000         | --port: 70000 (expected: 0 to 65535, 0 for an ephemeral port)",
                "--port -1            | --port: -1 (expected: 0 to 65535, 0 for an ephemeral port)",
                "--port http          | --port: http (expected: 0 to 65535, 0 for an ephemeral port)",
                "--seed 1.5           | --seed: 1.5 (expected: a whole number such as 42)",
                "--bandwidth 64x      | --bandwidth: 64x (expected: a size in bytes such as 512, 64k or 1m)",
                "--bandwidth 0        | --bandwidth: 0 (expected: >= 1)",
                "--chunk-size 0       | --chunk-size: 0 (expected: >= 1)",
                "--close-after -5     | --close-after: -5 (expected: a size in bytes such as 512, 64k or 1m)",
                "--max-connections 0  | --max-connections: 0 (expected: 1 to 2147483647, for example 1024)",
                "--bogus              | --bogus: unknown option (expected: one of the options below)",
                "7007                 | 7007: unexpected argument (expected: options only, such as --port 0)",
                "--quiet=yes          | --quiet=yes: --quiet takes no value (expected: --quiet alone)",
                "--port               | --port: missing value (expected: 0 to 65535, 0 for an ephemeral port)",
                "--host --port 0      | --host: missing value (expected: a host name or address such as 127.0.0.1 or ::1)",
                "--udp --unix /no-such-folder/echo.sock  | --unix: cannot be combined with --udp (expected: one transport: TCP by default, --udp, --tls or --unix PATH)",
                "--unix /no-such-folder/echo.sock --port 1 | --port: 1 (expected: no port with transport UNIX, which listens on a socket file; drop port, or use unixSocketPath)",
                "--unix --host ::1    | --host: ::1 (expected: no host with transport UNIX, which listens on a socket file; drop host, or use unixSocketPath)",
                "--udp --reset-after 1 | --reset-after: 1 (expected: no resetAfter with transport UDP, which has no connection to reset; use closeAfter or silent)",
                "--udp --chunk-size 1k | --chunk-size: 1024 (expected: no chunkSize with transport UDP, which echoes each datagram whole; drop chunkSize)",
                "--help=yes           | --help=yes: --help takes no value (expected: --help alone)",
                "--version=1          | --version=1: --version takes no value (expected: --version alone)",
                "--udp=1              | --udp=1: --udp takes no value (expected: --udp alone)",
                "--port 0 --port 0    | --port: given more than once (expected: each option once; keep one)",
                "--quiet --quiet      | --quiet: given more than once (expected: each option once; keep one)",
                "--latency=1ms --latency 2ms | --latency: given more than once (expected: each option once; keep one)",
                "--chunk-size 3g      | --chunk-size: 3g (expected: at most 2147483647 bytes)",
                "--chunk-size 2g      | --chunk-size: 2g (expected: at most 2147483647 bytes)",
                "--bandwidth 99999999999g | --bandwidth: 99999999999g (expected: at most 9223372036854775807 bytes)",
                "--port ٠             | --port: ٠ (expected: 0 to 65535, 0 for an ephemeral port)",
                "--port +0            | --port: +0 (expected: 0 to 65535, 0 for an ephemeral port)",
                "--port 0x10          | --port: 0x10 (expected: 0 to 65535, 0 for an ephemeral port)",
                "--seed --5           | --seed: missing value (expected: a whole number such as 42)",
                "--seed -             | --seed: - (expected: a whole number such as 42)",
                "--seed 99999999999999999999 | --seed: 99999999999999999999 (expected: -9223372036854775808 to 9223372036854775807)",
                "--max-connections ４  | --max-connections: ４ (expected: a whole number of connections such as 1024, without a unit)",
                // regression (issue 19, item 8): the reason given is the one that applies
                "--max-connections 3g | --max-connections: 3g (expected: a whole number of connections such as 1024, without a unit)",
                "--max-connections -5 | --max-connections: -5 (expected: 1 to 2147483647, for example 1024)",
                "--max-connections 2147483648 | --max-connections: 2147483648 (expected: 1 to 2147483647, for example 1024)",
                "--max-connections 99999999999999999999 | --max-connections: 99999999999999999999 (expected: 1 to 2147483647, for example 1024)",
                "--seed 9223372036854775808 | --seed: 9223372036854775808 (expected: -9223372036854775808 to 9223372036854775807)",
                "--chunk-size 9999999999999999 | --chunk-size: 9999999999999999 (expected: at most 2147483647 bytes)",
                "--bandwidth 99999999999999999999k | --bandwidth: 99999999999999999999k (expected: at most 9223372036854775807 bytes)",
                "--latency 99999999999999999999s | --latency: 99999999999999999999s (expected: at most 1 hour, such as 50ms or 2s)",
                "--idle-timeout 1d    | --idle-timeout: 1d (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)",
                "--latency ５０ms      | --latency: ５０ms (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)",
                "--latency 50ｍｓ      | --latency: 50ｍｓ (expected: a duration: ASCII digits, then ns, us, ms, s, m or h, such as 50ms or 2s; a bare number means ms)",
                "--bandwidth 64K     | --bandwidth: 64K (expected: a size in bytes such as 512, 64k or 1m)",
                "--close-after ٣      | --close-after: ٣ (expected: a size in bytes such as 512, 64k or 1m)"})
        void namesTheOptionTheValueAndTheFix(String args, String message) {
            assertEquals(message, usageError(args.trim().split(" +")));
        }

        @Test
        void hostThatDoesNotResolveIsNamed() {
            String message = usageError("--host", "no-such-host.invalid");
            assertTrue(message.startsWith("--host: no-such-host.invalid (expected: "), message);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"--port| 0", "--port|0 ", "--max-connections| 1", "--seed|+1",
                "--idle-timeout| 1s", "--idle-timeout|1s ", "--bandwidth| 1k", "--chunk-size|1\t", "--close-after|'+1'"},
                ignoreLeadingAndTrailingWhitespace = false)
        void acceptsOnlyAsciiDigitsWithoutSignOrSpace(String option, String value) {
            String message = usageError(option, value);
            assertTrue(message.startsWith(option + ": " + value + " (expected: "), message);
            assertEquals(message, usageError(option + "=" + value));
        }

        @Test
        void existingFolderIsNamedWithTheFix(@TempDir(factory = ShortTempDir.class) Path dir) {
            assertEquals("--unix: " + dir + " (expected: a path that does not exist yet; this is a folder: add a file name,"
                    + " such as " + dir.resolve("echo.sock") + ", or give --unix alone for a fresh one)", usageError("--unix", dir.toString()));
        }

        @Test
        void existingPlainFileIsNamedWithTheFix(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
            Path file = java.nio.file.Files.createFile(dir.resolve("plain"));
            assertEquals("--unix: " + file + " (expected: a path that does not exist yet; this file is no socket: choose"
                    + " another path, or give --unix alone for a fresh one)", usageError("--unix", file.toString()));
        }
    }

    @Test
    void socketFileLeftBehindIsNoUsageErrorButCannotListenWithTheFix(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path file = dir.resolve("stale.sock");
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(file)); // closing the channel leaves the file, as kill -9 does
        }
        CommandLine commandLine = CommandLine.parse("--unix", file.toString());
        assertEquals("the socket file exists, left behind by a server that was killed (delete it: rm " + file
                + ", or choose another path, or give --unix alone for a fresh one)", commandLine.socketFileInUse());
    }

    @Test
    void socketFileOfARunningServerSaysSo(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        Path file = dir.resolve("live.sock");
        try (EmbeddedEchoServer live = EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(file).start()) {
            assertEquals("a server is listening on this socket file (stop it, or choose another path)",
                    CommandLine.parse("--unix", file.toString()).socketFileInUse());
        }
    }

    @Test
    void seedIsPassedOnWhenGiven() throws Exception {
        assertEquals(42L, BuilderAccess.config(CommandLine.parse("--seed", "42").builder()).seed());
    }
}
