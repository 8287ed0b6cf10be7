package dev.echofixture.internal.tls;

import dev.echofixture.TlsHandshake;
import dev.echofixture.TlsOptions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * What the TLS part reads from {@link TlsOptions} and makes of {@link TlsHandshake} without
 * public members that would widen the API: a {@link Bridge} in {@code dev.echofixture} reaches
 * their package-private members, in the manner of the JDK's {@code SharedSecrets}. The first
 * {@link #bridge()} initializes that class, which installs itself; a server that never uses TLS
 * never loads it.
 */
public final class TlsApiAccess {

    /** Implemented once, in {@code dev.echofixture}, beside the API's TLS types. */
    public interface Bridge {

        /**
         * The key manager that {@code TlsOptions.keyManager(..)} set.
         *
         * @param options the options to read
         * @return the key manager, or {@code null}
         */
        X509KeyManager keyManager(TlsOptions options);

        /**
         * The key store that {@code TlsOptions.keyStore(..)} set.
         *
         * @param options the options to read
         * @return the key store, or {@code null}
         */
        KeyStore keyStore(TlsOptions options);

        /**
         * The key store's password.
         *
         * @param options the options to read
         * @return the password, or {@code null}
         */
        char[] keyStorePassword(TlsOptions options);

        /**
         * The trust manager for client certificates that {@code TlsOptions} set.
         *
         * @param options the options to read
         * @return the trust manager, or {@code null} for the server's own CA
         */
        X509TrustManager clientTrust(TlsOptions options);

        /**
         * A handshake snapshot.
         *
         * @param status             how far the handshake got
         * @param protocol           the negotiated protocol, {@code "NONE"} if none
         * @param cipherSuite        the negotiated cipher suite, {@code "NONE"} if none
         * @param serverName         the SNI name the client sent, or {@code null}
         * @param applicationProtocol the ALPN protocol, or {@code null}
         * @param clientCertificates the client's certificate chain, maybe empty
         * @param failure            why it failed, or {@code null}
         * @param alert              the alert sent or received, or {@code null}
         * @return the snapshot
         */
        TlsHandshake handshake(TlsHandshake.Status status, String protocol, String cipherSuite, String serverName,
                               String applicationProtocol, List<X509Certificate> clientCertificates, String failure,
                               String alert);

        /**
         * The snapshot of a handshake that has begun.
         *
         * @return the in-progress snapshot
         */
        TlsHandshake started();

        /**
         * The snapshot after the client's close_notify arrived.
         *
         * @param handshake the snapshot so far
         * @return the same snapshot, marked as closed by the client
         */
        TlsHandshake withCloseNotifyReceived(TlsHandshake handshake);
    }

    private static final String BRIDGE = "dev.echofixture.TlsApiBridge";

    private static volatile Bridge bridge;

    private TlsApiAccess() {
    }

    /**
     * Installs the bridge; called once, by the bridge's static initializer.
     *
     * @param installed the bridge
     */
    public static void install(Bridge installed) {
        bridge = installed;
    }

    /**
     * The bridge, initializing its class on first use.
     *
     * @return the bridge
     */
    public static Bridge bridge() {
        Bridge installed = bridge;
        if (installed == null) {
            try {
                Class.forName(BRIDGE, true, TlsApiAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = bridge;
        }
        return installed;
    }
}
