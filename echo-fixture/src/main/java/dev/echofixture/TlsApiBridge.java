package dev.echofixture;

import dev.echofixture.internal.tls.TlsApiAccess;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/** Hands the TLS part what it reads from {@link TlsOptions} and makes of {@link TlsHandshake}; see {@link TlsApiAccess}. */
final class TlsApiBridge implements TlsApiAccess.Bridge {

    static {
        TlsApiAccess.install(new TlsApiBridge());
    }

    private TlsApiBridge() {
    }

    @Override
    public X509KeyManager keyManager(TlsOptions options) {
        return options.keyManager();
    }

    @Override
    public KeyStore keyStore(TlsOptions options) {
        return options.keyStore();
    }

    @Override
    public char[] keyStorePassword(TlsOptions options) {
        return options.keyStorePassword();
    }

    @Override
    public X509TrustManager clientTrust(TlsOptions options) {
        return options.clientTrust();
    }

    @Override
    public TlsHandshake handshake(TlsHandshake.Status status, String protocol, String cipherSuite, String serverName,
                                  String applicationProtocol, List<X509Certificate> clientCertificates, String failure,
                                  String alert) {
        return new TlsHandshake(status, protocol, cipherSuite, serverName, applicationProtocol, clientCertificates,
                failure, alert);
    }

    @Override
    public TlsHandshake started() {
        return TlsHandshake.STARTED;
    }

    @Override
    public TlsHandshake withCloseNotifyReceived(TlsHandshake handshake) {
        return handshake.withCloseNotifyReceived();
    }
}
