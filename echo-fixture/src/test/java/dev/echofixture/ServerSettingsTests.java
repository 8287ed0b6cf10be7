package dev.echofixture;

import dev.echofixture.internal.server.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Settings as an ordered list of named builder calls: replacing, layering, applying. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ServerSettingsTests {

    @Test
    void noneLeavesEveryBuilderDefault() {
        ServerConfig config = ServerSettings.none().applyTo(EmbeddedEchoServer.builder()).config();
        assertEquals(EmbeddedEchoServer.builder().seed(1).config(), EmbeddedEchoServer.builder().seed(1).config());
        assertEquals(Transport.TCP, config.transport());
        assertEquals(List.of(), ServerSettings.none().settings());
        assertEquals("ServerSettings[]", ServerSettings.none().toString());
    }

    @Test
    void aSettingSetAgainReplacesTheFirstAndGoesLast() {
        ServerSettings settings = ServerSettings.none()
                .with("seed", 1L, b -> b.seed(1))
                .with("maxConnections", 3, b -> b.maxConnections(3))
                .with("seed", 2L, b -> b.seed(2));
        assertEquals(List.of("maxConnections", "seed"), settings.settings());
        assertEquals(Optional.of(2L), settings.value("seed"));
        ServerConfig config = settings.applyTo(EmbeddedEchoServer.builder()).config();
        assertEquals(2, config.seed());
        assertEquals(3, config.maxConnections());
        assertEquals("ServerSettings[maxConnections=3, seed=2]", settings.toString());
    }

    @Test
    void settingsWinOverDefaultsWhichWinOverTheBuilders() {
        ServerSettings defaults = ServerSettings.none()
                .with("seed", 7L, b -> b.seed(7))
                .with("recordLimit", 10, b -> b.recordLimit(10));
        ServerSettings declared = ServerSettings.none().with("seed", 42L, b -> b.seed(42));
        ServerSettings merged = declared.orElse(defaults);
        assertEquals(List.of("recordLimit", "seed"), merged.settings());
        ServerConfig config = merged.applyTo(EmbeddedEchoServer.builder()).config();
        assertEquals(42, config.seed());
        assertEquals(10, config.recordLimit());
        assertEquals(1024, config.maxConnections());
    }

    @Test
    void aBadValueFailsWhereItIsSetNamingTheSetting() {
        SettingException e = assertThrows(SettingException.class,
                () -> ServerSettings.none().with("port", 70000, b -> b.port(70000)));
        assertEquals("port", e.setting());
        assertEquals("70000 (expected: 0 to 65535, 0 for an ephemeral port)", e.detail());
        assertEquals("port: " + e.detail(), e.getMessage());
    }

    @Test
    void theTransportIsTheLastOfTransportAndTls() {
        assertEquals(Transport.TCP, ServerSettings.none().transport());
        ServerSettings unix = ServerSettings.none().with("transport", Transport.UNIX, b -> b.transport(Transport.UNIX));
        assertEquals(Transport.UNIX, unix.transport());
        assertTrue(unix.isSet("transport"));
        assertFalse(unix.isSet("host"));
        assertEquals(Transport.TLS, unix.with("tls", TlsOptions.defaults(), b -> b.tls(TlsOptions.defaults())).transport());
    }

    @Test
    void printableRendersControlCharactersAndHex() {
        byte[] bytes = "a\"b\\\r\n\t\0é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("a\\\"b\\\\\\r\\n\\t\\u0000é", Printable.text(bytes, 0, bytes.length));
        assertEquals("61 22 62", Printable.hex(bytes, 0, 3));
        assertEquals("b", Printable.text(bytes, 2, 3));
    }
}
