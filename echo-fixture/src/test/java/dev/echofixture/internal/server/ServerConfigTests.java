package dev.echofixture.internal.server;

import dev.echofixture.SettingException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.ShortTempDir;
import dev.echofixture.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The builder collects, {@link ServerConfig} checks: every bad setting is named before anything binds. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ServerConfigTests {

    @Test
    void defaultsAreTcpOnLoopbackWithAnEphemeralPort() {
        ServerConfig config = BuilderAccess.config(EmbeddedEchoServer.builder());
        assertEquals(Transport.TCP, config.transport());
        assertEquals(InetAddress.getLoopbackAddress(), config.bindAddress());
        assertEquals(0, config.port());
        assertEquals(EchoBehavior.echo(), config.behavior());
        assertEquals(1024, config.maxConnections());
        assertEquals(64 * 1024, config.recordLimit());
        assertNull(config.unixSocketPath());
    }

    @Test
    void aGivenSeedIsKeptAndAMissingOneIsChosen() {
        assertEquals(42, BuilderAccess.config(EmbeddedEchoServer.builder().seed(42)).seed());
        // two random seeds colliding is a 1 in 2^64 event
        long a = BuilderAccess.config(EmbeddedEchoServer.builder()).seed();
        long b = BuilderAccess.config(EmbeddedEchoServer.builder()).seed();
        assertTrue(a != b || a != BuilderAccess.config(EmbeddedEchoServer.builder()).seed());
    }

    @Test
    void settersRejectBadValuesAtOnce() {
        assertRejected("port: -1 (expected: 0 to 65535", () -> EmbeddedEchoServer.builder().port(-1));
        assertRejected("port: 70000 (expected: 0 to 65535", () -> EmbeddedEchoServer.builder().port(70000));
        assertRejected("maxConnections: -1 (expected: >= 1)", () -> EmbeddedEchoServer.builder().maxConnections(-1));
        assertRejected("recordLimit: -1 (expected: >= 0)", () -> EmbeddedEchoServer.builder().recordLimit(-1));
        assertRejected("idleTimeout: PT-1S (expected: >= 0)",
                () -> EmbeddedEchoServer.builder().idleTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void anUnresolvableHostIsNamed() {
        assertRejected("host: no-such-host.invalid (expected: a host name that resolves",
                () -> EmbeddedEchoServer.builder().host("no-such-host.invalid").start());
    }

    @Test
    void aUnixPathNeedsTheUnixTransport(@TempDir(factory = ShortTempDir.class) Path dir) {
        assertRejected("unixSocketPath: ", () -> EmbeddedEchoServer.builder()
                .unixSocketPath(dir.resolve("echo.sock")).start());
    }

    @Test
    void aUnixPathMustNotExistAndMustFitTheKernelLimit(@TempDir(factory = ShortTempDir.class) Path dir) throws IOException {
        Path existing = Files.createFile(dir.resolve("taken.sock"));
        assertRejected("unixSocketPath: " + existing + " (expected: a path that does not exist yet",
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(existing).start());
        Path tooLong = dir.resolve("x".repeat(120) + ".sock");
        assertRejected("unixSocketPath: " + tooLong + " (expected: at most 107 bytes",
                () -> EmbeddedEchoServer.builder().transport(Transport.UNIX).unixSocketPath(tooLong).start());
    }

    @Test
    void resetAfterIsRejectedOnUdp() {
        assertRejected("resetAfter: 10 (expected: no resetAfter with transport UDP",
                () -> EmbeddedEchoServer.builder().transport(Transport.UDP)
                        .behavior(EchoBehavior.echo().resetAfter(10)).start());
    }

    @Test
    void settingsTheTransportWouldIgnoreAreRejectedNamingTheSetting() {
        SettingException port = assertThrows(SettingException.class,
                () -> BuilderAccess.config(EmbeddedEchoServer.builder().transport(Transport.UNIX).port(1234)));
        assertEquals("port", port.setting());
        assertEquals("port: 1234 (expected: no port with transport UNIX, which listens on a socket file;"
                + " drop port, or use unixSocketPath)", port.getMessage());
        SettingException host = assertThrows(SettingException.class,
                () -> BuilderAccess.config(EmbeddedEchoServer.builder().host("::1").transport(Transport.UNIX)));
        assertEquals("host", host.setting());
        assertEquals("::1 (expected: no host with transport UNIX, which listens on a socket file;"
                + " drop host, or use unixSocketPath)", host.detail());
        SettingException chunk = assertThrows(SettingException.class, () -> BuilderAccess.config(EmbeddedEchoServer.builder()
                .transport(Transport.UDP).behavior(EchoBehavior.echo().chunkSize(4))));
        assertEquals("chunkSize", chunk.setting());
    }

    @Test
    void settingsLeftAtTheirDefaultsNeverTriggerTheTransportCheck() {
        assertEquals(Transport.UNIX, BuilderAccess.config(EmbeddedEchoServer.builder().transport(Transport.UNIX).port(0)).transport());
        assertEquals(Transport.UDP, BuilderAccess.config(EmbeddedEchoServer.builder().transport(Transport.UDP)
                .behavior(EchoBehavior.echo().closeAfter(4).latency(Duration.ofMillis(1)))).transport());
    }

    @Test
    void everyBadSettingCarriesItsNameAsData() {
        assertEquals("maxConnections", assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().maxConnections(0)).setting());
        assertEquals("latency", assertThrows(SettingException.class,
                () -> EchoBehavior.echo().latency(Duration.ofMillis(-1))).setting());
        assertEquals("host", assertThrows(SettingException.class,
                () -> BuilderAccess.config(EmbeddedEchoServer.builder().host("no-such-host.invalid"))).setting());
        assertEquals("transport", assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().transport(null)).setting());
    }

    private static void assertRejected(String messageStart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(messageStart), () -> "message was: " + e.getMessage());
    }
}
