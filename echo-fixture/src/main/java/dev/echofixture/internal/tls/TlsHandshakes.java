package dev.echofixture.internal.tls;

import dev.echofixture.TlsHandshake;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/**
 * Builds {@link TlsHandshake} snapshots from an {@link SSLEngine}, and names TLS alerts: the
 * one a peer sent (from the engine's "Received fatal alert: ..." message) or one the engine
 * wrote in the clear (from the record's bytes, RFC 8446 section 6).
 *
 * <p>Stateless; any thread.
 */
final class TlsHandshakes {

    private static final String RECEIVED = "Received fatal alert: ";
    private static final int ALERT_RECORD = 21;
    private static final Map<Integer, String> ALERTS = Map.ofEntries(
            Map.entry(0, "close_notify"), Map.entry(10, "unexpected_message"), Map.entry(20, "bad_record_mac"),
            Map.entry(22, "record_overflow"), Map.entry(40, "handshake_failure"), Map.entry(42, "bad_certificate"),
            Map.entry(43, "unsupported_certificate"), Map.entry(44, "certificate_revoked"),
            Map.entry(45, "certificate_expired"), Map.entry(46, "certificate_unknown"),
            Map.entry(47, "illegal_parameter"), Map.entry(48, "unknown_ca"), Map.entry(49, "access_denied"),
            Map.entry(50, "decode_error"), Map.entry(51, "decrypt_error"), Map.entry(70, "protocol_version"),
            Map.entry(71, "insufficient_security"), Map.entry(80, "internal_error"),
            Map.entry(86, "inappropriate_fallback"), Map.entry(90, "user_canceled"),
            Map.entry(109, "missing_extension"), Map.entry(110, "unsupported_extension"),
            Map.entry(112, "unrecognized_name"), Map.entry(113, "bad_certificate_status_response"),
            Map.entry(115, "unknown_psk_identity"), Map.entry(116, "certificate_required"),
            Map.entry(120, "no_application_protocol"));

    private TlsHandshakes() {
    }

    static TlsHandshake completed(SSLEngine engine) {
        SSLSession session = engine.getSession();
        String alpn = engine.getApplicationProtocol();
        return TlsApiAccess.bridge().handshake(TlsHandshake.Status.COMPLETED, session.getProtocol(), session.getCipherSuite(),
                serverName(session), alpn == null || alpn.isEmpty() ? null : alpn, peerCertificates(session), null, null);
    }

    /** A failed handshake; {@code engine} may be {@code null} (none was made). */
    static TlsHandshake failed(SSLEngine engine, String serverName, SSLException e, String alert) {
        String sni = serverName != null ? serverName : requestedServerName(engine);
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return TlsApiAccess.bridge().handshake(TlsHandshake.Status.FAILED, "NONE", "NONE", sni, null, List.of(), message, alert);
    }

    /** The SNI host name of the handshake in progress, once the client's hello was read. */
    static String requestedServerName(SSLEngine engine) {
        SSLSession session = engine != null ? engine.getHandshakeSession() : null;
        return session != null ? serverName(session) : null;
    }

    private static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            try {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                        return new SNIHostName(name.getEncoded()).getAsciiName();
                    }
                }
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static List<X509Certificate> peerCertificates(SSLSession session) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** The alert named in "Received fatal alert: name", or null. */
    static String receivedAlert(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.startsWith(RECEIVED)) {
                return message.substring(RECEIVED.length()).trim();
            }
        }
        return null;
    }

    /** The first alert among the plaintext records in {@code out} (read mode, not moved), or null. */
    static String plaintextAlert(ByteBuffer out) {
        int at = out.position();
        while (out.limit() - at >= 7) {
            int type = out.get(at) & 0xff;
            int length = ((out.get(at + 3) & 0xff) << 8) | (out.get(at + 4) & 0xff);
            if (type == ALERT_RECORD && length == 2) {
                int description = out.get(at + 6) & 0xff;
                return ALERTS.getOrDefault(description, "alert " + description);
            }
            at += 5 + length;
        }
        return null;
    }
}
