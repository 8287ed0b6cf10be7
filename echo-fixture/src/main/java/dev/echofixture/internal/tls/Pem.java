package dev.echofixture.internal.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Writes a certificate in PEM, for the standalone endpoint's log. Stateless; any thread. */
public final class Pem {

    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }
}
