package dev.echofixture.internal.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Makes the certificates of a TLS server in-process, as OkHttp's {@code HeldCertificate} does:
 * an EC P-256 key from the JDK's {@link KeyPairGenerator}, an X.509 v3 certificate written with
 * {@link Der} and signed with SHA256withECDSA, parsed back by {@link CertificateFactory}.
 * Every certificate is valid from a day ago to a day ahead.
 *
 * <p>One test CA is made per JVM, on first use, and signs every server's and client's leaf
 * certificate, so a client that trusts the CA trusts every server of the JVM; servers with the
 * same names share one certificate for half a day ({@link #cachedServer}), so that only the
 * first TLS server of a JVM pays for key pairs and signatures. The CA's name carries
 * a random number, so that CAs of different JVMs never get confused.
 *
 * <p>Thread-safe.
 */
public final class Certificates {

    /** A private key and its certificate chain, leaf first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    static final Duration VALIDITY_SLACK = Duration.ofDays(1);

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String OID_EC_SHA256 = "1.2.840.10045.4.3.2";
    private static final String OID_CN = "2.5.4.3";
    private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String OID_KEY_USAGE = "2.5.29.15";
    private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
    private static final String OID_SAN = "2.5.29.17";
    private static final String OID_SKI = "2.5.29.14";
    private static final String OID_AKI = "2.5.29.35";
    private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DIGITAL_SIGNATURE = 0x80;
    private static final int KEY_CERT_SIGN = 0x04;
    private static final int CRL_SIGN = 0x02;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CACHED = 64;
    private static final long REUSE_MILLIS = Duration.ofHours(12).toMillis();
    private static final java.util.Map<List<Object>, Identity> SERVERS = new java.util.concurrent.ConcurrentHashMap<>();

    private Certificates() {
    }

    /** The JVM's test CA, made on first use. */
    public static Identity ca() {
        return CaHolder.CA;
    }

    private static final class CaHolder {
        static final Identity CA = makeCa();
    }

    private static Identity makeCa() {
        KeyPair pair = keyPair();
        String name = "echo-fixture test CA " + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        byte[] extensions = Der.sequence(
                extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                extension(OID_KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE | KEY_CERT_SIGN | CRL_SIGN)),
                extension(OID_SKI, false, Der.octetString(keyId(pair))));
        X509Certificate cert = sign(name(name), name(name), pair, pair.getPrivate(), extensions);
        return new Identity(pair.getPrivate(), List.of(cert));
    }

    /**
     * A server certificate for these names and addresses, signed by the JVM's CA (chain: leaf,
     * CA) or self-signed (chain: the leaf alone).
     */
    public static Identity server(Collection<String> dnsNames, Collection<InetAddress> addresses, boolean selfSigned) {
        KeyPair pair = keyPair();
        List<byte[]> names = new ArrayList<>();
        for (String dns : dnsNames) {
            names.add(Der.implicit(2, dns.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        for (InetAddress address : addresses) {
            names.add(Der.implicit(7, address.getAddress()));
        }
        String subject = dnsNames.isEmpty() ? "echo-fixture server" : dnsNames.iterator().next();
        byte[] usage = Der.sequence(Der.oid(OID_SERVER_AUTH), Der.oid(OID_CLIENT_AUTH));
        return leaf(pair, subject, usage, names, selfSigned);
    }

    /**
     * As {@link #server}, but made once per JVM for each set of names and reused for half a day
     * (so it is always valid from at least half a day ago to half a day ahead): a server start
     * then costs no key pair and no signature. At most {@value #MAX_CACHED} sets are kept.
     * Synchronized, so that servers starting together make one certificate, not one each.
     */
    static synchronized Identity cachedServer(Collection<String> dnsNames, Collection<InetAddress> addresses, boolean selfSigned) {
        List<Object> key = List.of(List.copyOf(dnsNames), List.copyOf(addresses), selfSigned);
        Identity cached = SERVERS.get(key);
        if (cached != null && cached.leaf().getNotAfter().getTime() - REUSE_MILLIS - System.currentTimeMillis() > 0) {
            return cached;
        }
        Identity made = server(dnsNames, addresses, selfSigned);
        if (SERVERS.size() >= MAX_CACHED) {
            SERVERS.clear(); // a rare case (many bound hosts): simply start over
        }
        SERVERS.put(key, made);
        return made;
    }

    /** A client certificate with this common name, signed by the JVM's CA. */
    static Identity client(String commonName) {
        return leaf(keyPair(), commonName, Der.sequence(Der.oid(OID_CLIENT_AUTH)), List.of(), false);
    }

    private static Identity leaf(KeyPair pair, String subject, byte[] extKeyUsage, List<byte[]> sans, boolean selfSigned) {
        Identity ca = selfSigned ? null : ca();
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(extension(OID_BASIC_CONSTRAINTS, true, Der.sequence()));
        extensions.add(extension(OID_KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE)));
        extensions.add(extension(OID_EXT_KEY_USAGE, false, extKeyUsage));
        if (!sans.isEmpty()) {
            extensions.add(extension(OID_SAN, false, Der.sequence(sans.toArray(byte[][]::new))));
        }
        extensions.add(extension(OID_SKI, false, Der.octetString(keyId(pair))));
        if (ca != null) {
            byte[] caKeyId = keyId(ca.leaf().getPublicKey().getEncoded());
            extensions.add(extension(OID_AKI, false, Der.sequence(Der.implicit(0, caKeyId))));
        }
        byte[] issuer = ca != null ? ca.leaf().getSubjectX500Principal().getEncoded() : name(subject);
        PrivateKey signer = ca != null ? ca.key() : pair.getPrivate();
        X509Certificate cert = sign(name(subject), issuer, pair, signer, Der.sequence(extensions.toArray(byte[][]::new)));
        return new Identity(pair.getPrivate(), ca != null ? List.of(cert, ca.leaf()) : List.of(cert));
    }

    /**
     * A self-signed server certificate for {@code localhost} valid in the given window (tests of
     * expired or not yet valid user certificates).
     */
    public static Identity selfSigned(String commonName, ZonedDateTime notBefore, ZonedDateTime notAfter) {
        KeyPair pair = keyPair();
        byte[] extensions = Der.sequence(
                extension(OID_BASIC_CONSTRAINTS, true, Der.sequence()),
                extension(OID_KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE)),
                extension(OID_SAN, false, Der.sequence(Der.implicit(2,
                        "localhost".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))));
        X509Certificate cert = sign(name(commonName), name(commonName), pair, pair.getPrivate(), extensions,
                notBefore, notAfter);
        return new Identity(pair.getPrivate(), List.of(cert));
    }

    private static X509Certificate sign(byte[] subject, byte[] issuer, KeyPair pair, PrivateKey signer, byte[] extensions) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return sign(subject, issuer, pair, signer, extensions, now.minus(VALIDITY_SLACK), now.plus(VALIDITY_SLACK));
    }

    private static X509Certificate sign(byte[] subject, byte[] issuer, KeyPair pair, PrivateKey signer, byte[] extensions,
                                        ZonedDateTime notBefore, ZonedDateTime notAfter) {
        byte[] algorithm = Der.sequence(Der.oid(OID_EC_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)), // v3
                Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                algorithm,
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                pair.getPublic().getEncoded(), // SubjectPublicKeyInfo
                Der.explicit(3, extensions));
        try {
            Signature signature = Signature.getInstance(SIGNATURE);
            signature.initSign(signer);
            signature.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signature.sign()));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate with " + SIGNATURE + ": " + e, e);
        }
    }

    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(OID_CN), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] keyId(KeyPair pair) {
        return keyId(pair.getPublic().getEncoded());
    }

    private static byte[] keyId(byte[] publicKey) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(publicKey);
            return java.util.Arrays.copyOf(sha1, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an EC P-256 key pair: " + e, e);
        }
    }
}
