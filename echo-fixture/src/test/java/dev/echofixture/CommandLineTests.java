package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
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
        return commandLine.builder().config();
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
    void lastOccurrenceOfAnOptionWins() throws Exception {
        assertEquals(0, config("--port", "9", "--port", "0").port());
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
        assertEquals(URI.create("unix:" + socket.toAbsolutePath()), CommandLine.parse("--unix", socket.toString()).target());
    }

    @Test
    void targetNamesTheAddressToBind() throws Exception {
        assertEquals(URI.create("tcp://127.0.0.1:7007"), CommandLine.parse().target());
        assertEquals(URI.create("udp://[::1]:9"), CommandLine.parse("--udp", "--host", "::1", "--port", "9").target());
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
                "--latency 5xs        | --latency: 5xs (expected: a duration such as 50ms, 2s, 1m or 250us)",
                "--jitter -1ms        | --jitter: -1ms (expected: a duration such as 50ms, 2s, 1m or 250us)",
                "--latency 61m        | --latency: 61m (expected: at most 1 hour, such as 50ms or 2s)",
                "--jitter=3601s       | --jitter: 3601s (expected: at most 1 hour, such as 50ms or 2s)",
                "--idle-timeout soon  | --idle-timeout: soon (expected: a duration such as 50ms, 2s, 1m or 250us)",
                "--port 70000         | --port: 70000 (expected: 0 to 65535, 0 for an ephemeral port)",
                "--port -1            | --port: -1 (expected: 0 to 65535, 0 for an ephemeral port)",
                "--port http          | --port: http (expected: 0 to 65535, 0 for an ephemeral port)",
                "--seed 1.5           | --seed: 1.5 (expected: a whole number such as 42)",
                "--bandwidth 64x      | --bandwidth: 64x (expected: a size in bytes such as 512, 64k or 1m)",
                "--bandwidth 0        | --bandwidth: 0 (expected: >= 1)",
                "--chunk-size 0       | --chunk-size: 0 (expected: >= 1)",
                "--close-after -5     | --close-after: -5 (expected: a size in bytes such as 512, 64k or 1m)",
                "--max-connections 0  | --max-connections: 0 (expected: >= 1, for example 1024)",
                "--bogus              | --bogus: unknown option (expected: one of the options below)",
                "7007                 | 7007: unexpected argument (expected: options only, such as --port 0)",
                "--quiet=yes          | --quiet=yes: --quiet takes no value (expected: --quiet alone)",
                "--port               | --port: missing value (expected: 0 to 65535, 0 for an ephemeral port)",
                "--host --port 0      | --host: missing value (expected: a host name or address such as 127.0.0.1 or ::1)",
                "--udp --unix /tmp/x  | --unix: cannot be combined with --udp (expected: one transport: TCP by default, --udp or --unix PATH)",
                "--unix /tmp/x --port 1 | --port: 1 (expected: no --port with --unix PATH, which listens on a socket file)",
                "--udp --reset-after 1 | --reset-after: 1 (expected: no resetAfter with transport UDP, which has no connection to reset; use closeAfter or silent)"})
        void namesTheOptionTheValueAndTheFix(String args, String message) {
            assertEquals(message, usageError(args.trim().split(" +")));
        }

        @Test
        void hostThatDoesNotResolveIsNamed() {
            String message = usageError("--host", "no-such-host.invalid");
            assertTrue(message.startsWith("--host: no-such-host.invalid (expected: "), message);
        }

        @Test
        void existingUnixSocketFileIsNamed(@TempDir(factory = ShortTempDir.class) Path dir) {
            String message = usageError("--unix", dir.toString());
            assertTrue(message.startsWith("--unix: " + dir + " (expected: a path that does not exist yet"), message);
        }
    }

    @Test
    void seedIsPassedOnWhenGiven() throws Exception {
        assertEquals(42L, CommandLine.parse("--seed", "42").builder().config().seed());
    }
}
