package dev.echofixture.benchmarks;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's own floor under the first TLS server of a JVM, without echo-fixture: in a JVM
 * warmed like {@link TlsFirstStartMain}'s (200 TCP servers), loads a key store made by keytool
 * and decrypts its key (not timed: they stand for the certificate echo-fixture generates), then
 * times the first server {@code SSLContext} (getInstance, init with a key manager holding that
 * key, default parameters, an engine), a client
 * context that trusts the certificate, and one handshake between the two engines in memory
 * (no sockets). No TLS server can start and serve its first handshake in less, whatever it
 * does with its certificate.
 *
 * <pre>
 * keytool -genkeypair -keyalg EC -groupname secp256r1 -alias server -dname CN=localhost \
 *     -ext san=dns:localhost -storetype PKCS12 -keystore /tmp/floor.p12 -storepass changeit
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.TlsFloorMain /tmp/floor.p12 changeit
 * </pre>
 */
public final class TlsFloorMain {

    private TlsFloorMain() {
    }

    /**
     * Runs the measurement and prints one line per step.
     *
     * @param args the PKCS12 key store's path and password
     * @throws Exception if the key store cannot be read or the handshake fails
     */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TCP).start()) {
                server.port();
            }
        }
        char[] password = args[1].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            keys.load(in, password);
        }
        String alias = keys.aliases().nextElement();
        X509Certificate certificate = (X509Certificate) keys.getCertificate(alias);
        PrivateKey key = (PrivateKey) keys.getKey(alias, password); // decrypted here, not timed
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);

        long t0 = System.nanoTime();
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new KeyManager[] {new OneKey(key, certificate)}, null, null);
        SSLParameters parameters = server.getDefaultSSLParameters();
        SSLEngine serverEngine = server.createSSLEngine();
        serverEngine.setUseClientMode(false);
        serverEngine.setSSLParameters(parameters);
        long t1 = System.nanoTime();
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        SSLEngine clientEngine = client.createSSLEngine("localhost", 443);
        clientEngine.setUseClientMode(true);
        SSLParameters verify = clientEngine.getSSLParameters();
        verify.setEndpointIdentificationAlgorithm("HTTPS");
        clientEngine.setSSLParameters(verify);
        long t2 = System.nanoTime();
        handshake(clientEngine, serverEngine);
        long t3 = System.nanoTime();
        System.out.printf("server SSLContext (getInstance, init, parameters, engine): %6.1f ms%n", (t1 - t0) / 1e6);
        System.out.printf("client SSLContext (trust manager, init, engine):           %6.1f ms%n", (t2 - t1) / 1e6);
        System.out.printf("one handshake in memory (%s):                          %6.1f ms%n",
                clientEngine.getSession().getProtocol(), (t3 - t2) / 1e6);
        System.out.printf("floor: first server context + first handshake:            %6.1f ms%n", (t3 - t0) / 1e6);
        System.out.printf("       of which the server's context alone:                 %6.1f ms%n", (t1 - t0) / 1e6);
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer toServer = ByteBuffer.allocate(client.getSession().getPacketBufferSize() * 4);
        ByteBuffer toClient = ByteBuffer.allocate(server.getSession().getPacketBufferSize() * 4);
        ByteBuffer plain = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 4);
        client.beginHandshake();
        server.beginHandshake();
        for (int turn = 0; turn < 100; turn++) {
            step(client, toServer, toClient, plain);
            step(server, toClient, toServer, plain);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new IllegalStateException("no handshake: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** Runs the engine until it needs the peer: wraps into {@code out}, unwraps from {@code in}. */
    private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer plain) throws Exception {
        for (int i = 0; i < 100; i++) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    int before = in.remaining();
                    engine.unwrap(in, plain);
                    boolean consumed = in.remaining() < before;
                    in.compact();
                    plain.clear();
                    if (!consumed && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** The one key and certificate, for engines; what echo-fixture's own key manager does. */
    private static final class OneKey extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate certificate;

        OneKey(PrivateKey key, X509Certificate certificate) {
            this.key = key;
            this.certificate = certificate;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"server"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return key.getAlgorithm().equals(keyType) ? "server" : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, null);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {certificate};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }
}
