package dev.echofixture;

import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS settings of a {@link Transport#TLS} server: an immutable value, each method returns
 * a new one. Give it to {@link EmbeddedEchoServer.Builder#tls(TlsOptions)}.
 *
 * <pre>{@code
 * EmbeddedEchoServer server = EmbeddedEchoServer.builder()
 *         .tls(TlsOptions.defaults()
 *                 .clientAuth(TlsOptions.ClientAuth.NEED)
 *                 .protocols("TLSv1.3")
 *                 .applicationProtocols("h2", "http/1.1"))
 *         .start();
 * }</pre>
 *
 * <p>By default the server presents a certificate made at start (EC P-256, for {@code localhost},
 * {@code 127.0.0.1}, {@code ::1} and the bound host, valid from a day ago to a day ahead), signed
 * by a test CA made once per JVM; {@link EmbeddedEchoServer#trustManager()} trusts it. Protocols
 * and cipher suites default to the JVM's, client authentication to none.
 *
 * <p>Settings are checked at {@code start()}: an expired or not yet valid certificate, a
 * protocol or cipher suite this JVM does not know fail there with an
 * {@link IllegalArgumentException} naming the value and the fix.
 *
 * @since 0.1.0
 */
public final class TlsOptions {

    /** Whether the server asks the client for a certificate. */
    public enum ClientAuth {
        /** The server does not ask (the default). */
        NONE,
        /** The server asks; a client without a certificate is still accepted. */
        WANT,
        /** The server asks and fails the handshake of a client that sends no trusted certificate. */
        NEED
    }

    /** The handshake time-out unless set: 10 seconds. */
    private static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final TlsOptions DEFAULTS = new TlsOptions(null, null, null, false, ClientAuth.NONE, null,
            List.of(), List.of(), List.of(), Duration.ZERO, false, DEFAULT_HANDSHAKE_TIMEOUT);

    private final X509KeyManager keyManager;
    private final KeyStore keyStore;
    private final char[] keyStorePassword;
    private final boolean selfSigned;
    private final ClientAuth clientAuth;
    private final X509TrustManager clientTrust;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> applicationProtocols;
    private final Duration handshakeDelay;
    private final boolean silentHandshake;
    private final Duration handshakeTimeout;

    private TlsOptions(X509KeyManager keyManager, KeyStore keyStore, char[] keyStorePassword, boolean selfSigned,
                       ClientAuth clientAuth, X509TrustManager clientTrust, List<String> protocols,
                       List<String> cipherSuites, List<String> applicationProtocols, Duration handshakeDelay,
                       boolean silentHandshake, Duration handshakeTimeout) {
        this.keyManager = keyManager;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.selfSigned = selfSigned;
        this.clientAuth = clientAuth;
        this.clientTrust = clientTrust;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.applicationProtocols = applicationProtocols;
        this.handshakeDelay = handshakeDelay;
        this.silentHandshake = silentHandshake;
        this.handshakeTimeout = handshakeTimeout;
    }

    /**
     * The defaults: a generated certificate signed by the JVM's test CA, no client
     * authentication, the JVM's protocols and cipher suites, no ALPN, no handshake delay, a
     * handshake time-out of 10 seconds.
     *
     * @return the default options
     */
    public static TlsOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Presents a generated certificate that is its own issuer instead of one signed by the
     * JVM's test CA; {@link EmbeddedEchoServer#certificateChain()} then holds only that certificate.
     *
     * @return new options
     */
    public TlsOptions selfSigned() {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, true, clientAuth, clientTrust, protocols,
                cipherSuites, applicationProtocols, handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * Presents the key and certificate chain of this key manager instead of a generated one.
     * {@link EmbeddedEchoServer#trustManager()} then trusts the last certificate of its chain.
     *
     * @param keyManager the server's key manager
     * @return new options
     */
    public TlsOptions keyManager(X509KeyManager keyManager) {
        return new TlsOptions(Checks.notNull(keyManager, "keyManager"), null, null, false, clientAuth, clientTrust,
                protocols, cipherSuites, applicationProtocols, handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * Presents the (first) private key entry of this key store instead of a generated certificate.
     *
     * @param keyStore a loaded key store holding a private key entry
     * @param password the key's password
     * @return new options
     */
    public TlsOptions keyStore(KeyStore keyStore, char[] password) {
        Checks.notNull(keyStore, "keyStore");
        Checks.notNull(password, "password");
        return new TlsOptions(null, keyStore, password.clone(), false, clientAuth, clientTrust, protocols,
                cipherSuites, applicationProtocols, handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * Client authentication; default {@link ClientAuth#NONE}. Client certificates made by
     * {@link EmbeddedEchoServer#clientKeyManager()} (and so those of
     * {@link EmbeddedEchoServer#sslContextForClients()}) are trusted; see
     * {@link #trustedClients(X509TrustManager)} for others.
     *
     * @param clientAuth none, want or need
     * @return new options
     */
    public TlsOptions clientAuth(ClientAuth clientAuth) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, Checks.notNull(clientAuth, "clientAuth"),
                clientTrust, protocols, cipherSuites, applicationProtocols, handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * Verifies client certificates with this trust manager instead of trusting those the server issues.
     *
     * @param trustManager checks the client's chain
     * @return new options
     */
    public TlsOptions trustedClients(X509TrustManager trustManager) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth,
                Checks.notNull(trustManager, "trustManager"), protocols, cipherSuites, applicationProtocols,
                handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * The protocol versions the server accepts; default the JVM's enabled ones.
     *
     * @param protocols for example {@code "TLSv1.3"} or {@code "TLSv1.2"}
     * @return new options
     */
    public TlsOptions protocols(String... protocols) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth, clientTrust,
                names(protocols, "protocols"), cipherSuites, applicationProtocols, handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * The cipher suites the server accepts; default the JVM's enabled ones.
     *
     * @param cipherSuites for example {@code "TLS_AES_128_GCM_SHA256"}
     * @return new options
     */
    public TlsOptions cipherSuites(String... cipherSuites) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth, clientTrust, protocols,
                names(cipherSuites, "cipherSuites"), applicationProtocols, handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * The application protocols the server offers by ALPN, in its order of preference; default
     * none. A client that offers ALPN but none of these fails with {@code no_application_protocol}.
     *
     * @param protocols for example {@code "h2"}, {@code "http/1.1"}
     * @return new options
     */
    public TlsOptions applicationProtocols(String... protocols) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth, clientTrust,
                this.protocols, cipherSuites, names(protocols, "applicationProtocols"), handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * Waits this long after accepting before the server reads the client's hello: a slow
     * handshake, for a client's handshake time-out; default zero.
     *
     * @param delay 0 to 1 hour
     * @return new options
     */
    public TlsOptions handshakeDelay(Duration delay) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth, clientTrust, protocols,
                cipherSuites, applicationProtocols, Checks.delay(delay, "handshakeDelay"), silentHandshake, handshakeTimeout);
    }

    /**
     * Never answers the client's hello: the connection is accepted and the handshake never
     * completes, until the client gives up or the server closes.
     *
     * @return new options
     */
    public TlsOptions silentHandshake() {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth, clientTrust, protocols,
                cipherSuites, applicationProtocols, handshakeDelay, true, handshakeTimeout);
    }

    /**
     * Fails a handshake when the client has sent nothing for this long while the server waits
     * for it (since the connection was accepted or the server's last handshake message);
     * default 10 seconds. The connection is closed and its handshake recorded as
     * {@link TlsHandshake.Status#FAILED} with the reason. A slow but steady client gets through:
     * every byte it sends restarts the time-out. A {@link #handshakeDelay(Duration)} does not
     * count (the time-out starts when the delay ends), and a {@link #silentHandshake()} never
     * times out. {@code Duration.ZERO} means none; beyond about 73 years (up to
     * {@code ChronoUnit.FOREVER.getDuration()}) it means never.
     *
     * @param timeout a non-negative duration; zero means none
     * @return new options
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public TlsOptions handshakeTimeout(Duration timeout) {
        return new TlsOptions(keyManager, keyStore, keyStorePassword, selfSigned, clientAuth, clientTrust, protocols,
                cipherSuites, applicationProtocols, handshakeDelay, silentHandshake,
                Checks.positiveOrZero(timeout, "handshakeTimeout"));
    }

    /**
     * The handshake time-out (see {@link #handshakeTimeout(Duration)}).
     *
     * @return 10 seconds unless set; zero for none
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * The client authentication.
     *
     * @return none, want or need
     */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * The protocol versions set.
     *
     * @return the versions; empty for the JVM's default
     */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * The cipher suites set.
     *
     * @return the suites; empty for the JVM's default
     */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /**
     * The ALPN protocols offered.
     *
     * @return the protocols; empty for none
     */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * The handshake delay.
     *
     * @return zero for none
     */
    public Duration handshakeDelay() {
        return handshakeDelay;
    }

    /**
     * Whether the server never answers a client's hello.
     *
     * @return {@code true} after {@link #silentHandshake()}
     */
    public boolean isHandshakeSilent() {
        return silentHandshake;
    }

    /**
     * Whether a generated certificate is self-signed.
     *
     * @return {@code true} after {@link #selfSigned()}
     */
    public boolean isSelfSigned() {
        return selfSigned;
    }

    X509KeyManager keyManager() {
        return keyManager;
    }

    KeyStore keyStore() {
        return keyStore;
    }

    char[] keyStorePassword() {
        return keyStorePassword;
    }

    X509TrustManager clientTrust() {
        return clientTrust;
    }

    private static List<String> names(String[] values, String name) {
        Checks.notNull(values, name);
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new SettingException(name, Arrays.toString(values)
                        + " (expected: names without blanks, for example \"TLSv1.3\" or \"TLS_AES_128_GCM_SHA256\")");
            }
        }
        return List.of(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsOptions other
                && keyManager == other.keyManager && keyStore == other.keyStore
                && Arrays.equals(keyStorePassword, other.keyStorePassword) && selfSigned == other.selfSigned
                && clientAuth == other.clientAuth && clientTrust == other.clientTrust
                && protocols.equals(other.protocols) && cipherSuites.equals(other.cipherSuites)
                && applicationProtocols.equals(other.applicationProtocols)
                && handshakeDelay.equals(other.handshakeDelay) && silentHandshake == other.silentHandshake
                && handshakeTimeout.equals(other.handshakeTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(keyManager), System.identityHashCode(keyStore), selfSigned,
                clientAuth, System.identityHashCode(clientTrust), protocols, cipherSuites, applicationProtocols,
                handshakeDelay, silentHandshake, handshakeTimeout);
    }

    /**
     * For example {@code TlsOptions[generated, clientAuth=NEED, protocols=[TLSv1.3]]}; only
     * settings that differ from the defaults are listed.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TlsOptions[");
        text.append(keyManager != null ? "keyManager" : keyStore != null ? "keyStore" : selfSigned ? "self-signed" : "generated");
        if (clientAuth != ClientAuth.NONE) {
            text.append(", clientAuth=").append(clientAuth);
        }
        if (clientTrust != null) {
            text.append(", trustedClients");
        }
        if (!protocols.isEmpty()) {
            text.append(", protocols=").append(protocols);
        }
        if (!cipherSuites.isEmpty()) {
            text.append(", cipherSuites=").append(cipherSuites);
        }
        if (!applicationProtocols.isEmpty()) {
            text.append(", alpn=").append(applicationProtocols);
        }
        if (!handshakeDelay.isZero()) {
            text.append(", handshakeDelay=").append(Durations.format(handshakeDelay));
        }
        if (silentHandshake) {
            text.append(", silentHandshake");
        }
        if (!handshakeTimeout.equals(DEFAULT_HANDSHAKE_TIMEOUT)) {
            text.append(", handshakeTimeout=").append(Durations.format(handshakeTimeout));
        }
        return text.append(']').toString();
    }
}
