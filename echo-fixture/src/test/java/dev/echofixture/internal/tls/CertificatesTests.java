package dev.echofixture.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The certificates made in-process parse back as the X.509 they claim to be, and chain to the JVM's CA. */
@Timeout(30)
class CertificatesTests {

    @Test
    void theCaIsACaAndSignsTheLeaf() throws Exception {
        X509Certificate ca = Certificates.ca().leaf();
        assertTrue(ca.getBasicConstraints() >= 0, "basicConstraints cA");
        ca.verify(ca.getPublicKey());
        Certificates.Identity server = Certificates.server(List.of("localhost", "db.example.test"),
                List.of(InetAddress.getByName("127.0.0.1")), false);
        X509Certificate leaf = server.leaf();
        leaf.verify(ca.getPublicKey());
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertEquals(ca.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals("[[2, localhost], [2, db.example.test], [7, 127.0.0.1]]", String.valueOf(leaf.getSubjectAlternativeNames()));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
        assertEquals("EC", server.key().getAlgorithm());
        assertEquals(List.of(leaf, ca), server.chain());
    }

    @Test
    void aSelfSignedLeafIsItsOwnIssuer() throws Exception {
        X509Certificate leaf = Certificates.server(List.of("localhost"), List.of(), true).leaf();
        leaf.verify(leaf.getPublicKey());
        assertEquals(leaf.getSubjectX500Principal(), leaf.getIssuerX500Principal());
    }

    @Test
    void serversWithTheSameNamesShareOneCertificate() {
        List<InetAddress> none = List.of();
        Certificates.Identity first = Certificates.cachedServer(List.of("cache.example.test"), none, false);
        assertSame(first, Certificates.cachedServer(List.of("cache.example.test"), none, false));
        assertNotSame(first, Certificates.cachedServer(List.of("other.example.test"), none, false));
    }

    @Test
    void derWritesLengthsAndObjectIdentifiers() {
        assertEquals("06032a8648", hex(Der.oid("1.2.840")).substring(0, 10));
        assertEquals("0481c8", hex(Der.octetString(new byte[200])).substring(0, 6));
        assertEquals("0482012c", hex(Der.octetString(new byte[300])).substring(0, 8));
        assertEquals("03020780", hex(Der.namedBits(0x80)));
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
