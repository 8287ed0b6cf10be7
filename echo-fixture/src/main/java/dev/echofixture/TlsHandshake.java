package dev.echofixture;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What the server saw of one TLS handshake: how far it got, what was negotiated, and why it
 * failed. A snapshot value; {@link EchoConnection#tls()} returns the latest one.
 *
 * <pre>{@code
 * TlsHandshake tls = connection.awaitTls(Duration.ofSeconds(5));
 * assertEquals(TlsHandshake.Status.FAILED, tls.status());
 * assertEquals(Optional.of("certificate_unknown"), tls.alert());  // the client did not trust the server
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TlsHandshake {

    /** How far a handshake got. */
    public enum Status {
        /** Started (the connection was accepted) and not yet finished. */
        IN_PROGRESS,
        /** Finished: the connection carries application data. */
        COMPLETED,
        /** Failed: the connection was closed, see {@link TlsHandshake#failure()} and {@link TlsHandshake#alert()}. */
        FAILED
    }

    static final TlsHandshake STARTED = new TlsHandshake(Status.IN_PROGRESS, "NONE", "NONE", null, null, List.of(), null, null);

    private final Status status;
    private final String protocol;
    private final String cipherSuite;
    private final String serverName;
    private final String applicationProtocol;
    private final List<X509Certificate> clientCertificates;
    private final String failure;
    private final String alert;
    private final boolean closeNotifyReceived;

    TlsHandshake(Status status, String protocol, String cipherSuite, String serverName, String applicationProtocol,
                 List<X509Certificate> clientCertificates, String failure, String alert) {
        this(status, protocol, cipherSuite, serverName, applicationProtocol, clientCertificates, failure, alert, false);
    }

    private TlsHandshake(Status status, String protocol, String cipherSuite, String serverName, String applicationProtocol,
                         List<X509Certificate> clientCertificates, String failure, String alert, boolean closeNotifyReceived) {
        this.status = status;
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.serverName = serverName;
        this.applicationProtocol = applicationProtocol;
        this.clientCertificates = List.copyOf(clientCertificates);
        this.failure = failure;
        this.alert = alert;
        this.closeNotifyReceived = closeNotifyReceived;
    }

    /** This snapshot, after the client's close_notify arrived. */
    TlsHandshake withCloseNotifyReceived() {
        return new TlsHandshake(status, protocol, cipherSuite, serverName, applicationProtocol, clientCertificates,
                failure, alert, true);
    }

    /**
     * How far the handshake got.
     *
     * @return in progress, completed or failed
     */
    public Status status() {
        return status;
    }

    /**
     * Whether the handshake completed.
     *
     * @return {@code status() == COMPLETED}
     */
    public boolean isComplete() {
        return status == Status.COMPLETED;
    }

    /**
     * The negotiated protocol version.
     *
     * @return for example {@code "TLSv1.3"}; {@code "NONE"} unless completed
     */
    public String protocol() {
        return protocol;
    }

    /**
     * The negotiated cipher suite.
     *
     * @return for example {@code "TLS_AES_128_GCM_SHA256"}; {@code "NONE"} unless completed
     */
    public String cipherSuite() {
        return cipherSuite;
    }

    /**
     * The host name the client asked for with server name indication (SNI), also for a failed
     * handshake once the client's hello was read. Clients send SNI only for host names with a
     * dot (not for {@code localhost} or an IP address).
     *
     * @return the requested host name, empty if the client sent none
     */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /**
     * The application protocol agreed by ALPN.
     *
     * @return for example {@code "h2"}; empty when the client or the server offered none
     */
    public Optional<String> applicationProtocol() {
        return Optional.ofNullable(applicationProtocol);
    }

    /**
     * The certificate chain the client presented (client authentication), leaf first.
     *
     * @return the chain; empty if the client sent none or the handshake did not complete
     */
    public List<X509Certificate> clientCertificates() {
        return clientCertificates;
    }

    /**
     * Why the handshake failed, as the server's TLS engine put it, for example
     * {@code "Received fatal alert: certificate_unknown"} or {@code "Empty client certificate chain"}.
     *
     * @return the reason; empty unless failed
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The TLS alert that ended a failed handshake, by its RFC 8446 name, for example
     * {@code "certificate_unknown"} (received from a client that did not trust the server) or
     * {@code "protocol_version"} (sent by the server). Known for every alert the client sent,
     * and for alerts the server sent in the clear (TLS 1.2, or before a TLS 1.3 server hello);
     * a TLS 1.3 alert sent after the server hello is encrypted and shows only in {@link #failure()}.
     *
     * @return the alert name; empty when not known or not failed
     */
    public Optional<String> alert() {
        return Optional.ofNullable(alert);
    }

    /**
     * Whether the client closed its side of the TLS connection cleanly, with a
     * {@code close_notify} alert (as {@code SSLSocket.close()}, {@code SSLEngine.closeOutbound()}
     * and {@link EchoClient#close()} do), rather than by closing the TCP connection without one
     * (a truncation, which a TLS peer cannot tell from an attack cutting the connection short).
     *
     * <pre>{@code
     * client.close();                                     // the TLS client under test; then, once the server saw it:
     * assertTrue(connection.tls().orElseThrow().closeNotifyReceived());
     * }</pre>
     *
     * @return {@code true} once the client's {@code close_notify} arrived; {@code false} before,
     *         and for ever if the client closed without one
     * @since 0.1.0
     */
    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /**
     * For example {@code TlsHandshake[COMPLETED, TLSv1.3, TLS_AES_128_GCM_SHA256, sni=db.example]} or
     * {@code TlsHandshake[FAILED, alert=certificate_unknown: Received fatal alert: certificate_unknown]}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TlsHandshake[").append(status);
        if (status == Status.COMPLETED) {
            text.append(", ").append(protocol).append(", ").append(cipherSuite);
        }
        if (serverName != null) {
            text.append(", sni=").append(serverName);
        }
        if (applicationProtocol != null) {
            text.append(", alpn=").append(applicationProtocol);
        }
        if (!clientCertificates.isEmpty()) {
            text.append(", client=").append(clientCertificates.get(0).getSubjectX500Principal().getName());
        }
        if (failure != null) {
            text.append(", ").append(alert != null ? "alert=" + alert + ": " : "").append(failure);
        }
        if (closeNotifyReceived) {
            text.append(", close_notify received");
        }
        return text.append(']').toString();
    }
}
