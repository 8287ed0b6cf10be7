package dev.echofixture.internal.cli;

import dev.echofixture.TlsOptions;
import dev.echofixture.internal.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

/**
 * The standalone endpoint's {@code --tls-key-store PATH --tls-key-store-password PASS}: loads
 * the PKCS12 file and checks that it holds a key with a chain valid now, as
 * {@link TlsOptions#keyStore} would at start, with every mistake named by its option and the
 * fix (the password itself never appears in a message). Stateless; any thread.
 */
final class KeyStoreFile {

    static final String OPTION = "--tls-key-store";
    static final String PASSWORD_OPTION = "--tls-key-store-password";
    private static final String MADE_BY = "for example one made by keytool -genkeypair -keyalg EC -groupname secp256r1"
            + " -dname CN=localhost -ext san=dns:localhost,ip:127.0.0.1 -storetype PKCS12 -keystore server.p12";

    private KeyStoreFile() {
    }

    /**
     * The TLS options that present the key in {@code path}.
     *
     * @throws CommandLine.UsageException naming the option, the file and the fix
     */
    static TlsOptions load(Path path, String password) throws CommandLine.UsageException {
        char[] secret = password.toCharArray();
        KeyStore store = read(path, secret);
        TlsOptions options = TlsOptions.defaults().keyStore(store, secret);
        try {
            ServerTls.identity(options, null, null); // the checks start() makes: a key entry, a chain valid now
        } catch (IllegalArgumentException e) {
            throw usageError(path, e);
        }
        return options;
    }

    private static KeyStore read(Path path, char[] password) throws CommandLine.UsageException {
        if (Files.isDirectory(path)) {
            throw new CommandLine.UsageException(OPTION + ": " + path + " (expected: a PKCS12 key store file;"
                    + " this is a folder)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new CommandLine.UsageException(OPTION + ": " + path + " (expected: a PKCS12 key store file;"
                    + " there is no such file)");
        } catch (AccessDeniedException e) {
            throw new CommandLine.UsageException(OPTION + ": " + path + " (expected: a PKCS12 key store file"
                    + " this user can read; permission denied)");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CommandLine.UsageException(PASSWORD_OPTION + ": does not open " + path
                        + " (expected: the key store's password, as given to keytool -storepass)");
            }
            throw notAKeyStore(path, e);
        } catch (GeneralSecurityException e) {
            throw notAKeyStore(path, e);
        }
    }

    private static CommandLine.UsageException notAKeyStore(Path path, Exception e) {
        return new CommandLine.UsageException(OPTION + ": " + path + " (expected: a PKCS12 key store, " + MADE_BY
                + "; this file is not one: " + e.getMessage() + ")");
    }

    /** The builder's {@code keyStore: ...} messages, about the options instead. */
    private static CommandLine.UsageException usageError(Path path, IllegalArgumentException e) {
        if (e.getCause() instanceof UnrecoverableKeyException) {
            return new CommandLine.UsageException(PASSWORD_OPTION + ": does not unlock the key in " + path
                    + " (expected: a key store whose key has the store's password, as keytool makes it)");
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("keyStore: ")) {
            message = message.substring("keyStore: ".length());
        }
        message = message.replace("leave keyStore unset", "drop " + OPTION);
        return new CommandLine.UsageException(OPTION + ": " + path + ": " + message);
    }
}
