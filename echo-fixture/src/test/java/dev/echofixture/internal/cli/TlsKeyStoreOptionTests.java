package dev.echofixture.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import dev.echofixture.internal.server.BuilderAccess;
import dev.echofixture.internal.tls.Certificates;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The standalone endpoint's {@code --tls-key-store PATH --tls-key-store-password PASS}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsKeyStoreOptionTests {

    private static final String PASSWORD = "s3cret-pass";

    @TempDir
    Path dir;

    private static String usageError(String... args) {
        return assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(args)).getMessage();
    }

    private Path keyStoreFile(String name, Certificates.Identity identity) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", identity.key(), PASSWORD.toCharArray(), identity.chain().toArray(new Certificate[0]));
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private Path serverKeyStore() throws Exception {
        return keyStoreFile("server.p12", Certificates.server(List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1")), true));
    }

    @Test
    void theServerPresentsTheKeyStoresChain() throws Exception {
        Path file = serverKeyStore();
        CommandLine commandLine = CommandLine.parse("--tls", "--port", "0", "--tls-key-store", file.toString(),
                "--tls-key-store-password", PASSWORD);
        KeyStore expected = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            expected.load(in, PASSWORD.toCharArray());
        }
        try (EmbeddedEchoServer server = commandLine.builder().start();
             EchoClient client = server.newClient()) {
            assertEquals(expected.getCertificate("server"), server.certificateChain().get(0));
            assertEquals("mine", client.send("mine").get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void valuesMayBeGivenInline() throws Exception {
        Path file = serverKeyStore();
        CommandLine commandLine = CommandLine.parse("--tls", "--tls-key-store=" + file, "--tls-key-store-password=" + PASSWORD);
        assertEquals(Transport.TLS, BuilderAccess.config(commandLine.builder()).transport());
    }

    @Test
    void withoutTlsItSaysToAddTls() throws Exception {
        Path file = serverKeyStore();
        assertEquals("--tls-key-store: " + file + " (expected: --tls with it, for a TLS server that presents this key store; add --tls)",
                usageError("--tls-key-store", file.toString(), "--tls-key-store-password", PASSWORD));
    }

    @Test
    void withoutThePasswordItAsksForIt() throws Exception {
        Path file = serverKeyStore();
        assertEquals("--tls-key-store: " + file + " without its password (expected: --tls-key-store-password PASS as well)",
                usageError("--tls", "--tls-key-store", file.toString()));
    }

    @Test
    void aPasswordWithoutAKeyStoreIsNamedWithoutShowingIt() {
        String message = usageError("--tls", "--tls-key-store-password", PASSWORD);
        assertEquals("--tls-key-store-password: given without --tls-key-store (expected: --tls-key-store PATH as well, or no password)",
                message);
    }

    @Test
    void aWrongPasswordIsNamedWithoutShowingEither() throws Exception {
        Path file = serverKeyStore();
        String message = usageError("--tls", "--tls-key-store", file.toString(), "--tls-key-store-password", "wrong-pass");
        assertEquals("--tls-key-store-password: does not open " + file
                + " (expected: the key store's password, as given to keytool -storepass)", message);
        assertFalse(message.contains("wrong-pass"), message);
    }

    @Test
    void aMissingFileOrAFolderIsNamed() {
        Path missing = dir.resolve("missing.p12");
        assertEquals("--tls-key-store: " + missing + " (expected: a PKCS12 key store file; there is no such file)",
                usageError("--tls", "--tls-key-store", missing.toString(), "--tls-key-store-password", PASSWORD));
        assertEquals("--tls-key-store: " + dir + " (expected: a PKCS12 key store file; this is a folder)",
                usageError("--tls", "--tls-key-store", dir.toString(), "--tls-key-store-password", PASSWORD));
    }

    @Test
    void aFileThatIsNoKeyStoreSaysHowToMakeOne() throws Exception {
        Path text = Files.writeString(dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\n");
        String message = usageError("--tls", "--tls-key-store", text.toString(), "--tls-key-store-password", PASSWORD);
        assertTrue(message.startsWith("--tls-key-store: " + text + " (expected: a PKCS12 key store, for example one made by keytool"
                + " -genkeypair"), message);
        assertTrue(message.contains("; this file is not one: "), message);
    }

    @Test
    void anExpiredCertificateIsNamedWithTheFix() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Path file = keyStoreFile("expired.p12", Certificates.selfSigned("expired.example", now.minusDays(10), now.minusDays(3)));
        String message = usageError("--tls", "--tls-key-store", file.toString(), "--tls-key-store-password", PASSWORD);
        assertTrue(message.startsWith("--tls-key-store: " + file + ": certificate CN=expired.example expired on "), message);
        assertTrue(message.endsWith("(expected: a certificate valid now; renew it, or drop --tls-key-store for a generated one)"), message);
    }

    @Test
    void aKeyStoreWithoutAKeyIsNamed() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", Certificates.ca().leaf());
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        String message = usageError("--tls", "--tls-key-store", file.toString(), "--tls-key-store-password", PASSWORD);
        assertTrue(message.startsWith("--tls-key-store: " + file + ": no private key with a certificate chain (expected: "), message);
    }

    @Test
    void theHelpListsBothOptions() {
        assertTrue(CommandLine.USAGE.contains("--tls-key-store PATH"), CommandLine.USAGE);
        assertTrue(CommandLine.USAGE.contains("--tls-key-store-password PASS"), CommandLine.USAGE);
    }
}
