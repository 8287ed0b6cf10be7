package dev.echofixture.internal.tls;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TcpEchoTests;
import dev.echofixture.TlsOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TLS server's handshake work (the engine's delegated tasks: choosing the key, signing) runs
 * on its task threads, not on the loop that serves established connections; after
 * {@code close()} none of those threads is left.
 */
@Timeout(60)
class TlsTaskThreadTests {

    @Test
    void handshakeTasksRunOffTheLoopAndEndWithTheServer() throws Exception {
        RecordingKeyManager keys = new RecordingKeyManager(KeyManagers.of(() -> Certificates.cachedServer(
                List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), false)));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().host("127.0.0.1")
                .tls(TlsOptions.defaults().keyManager(keys)).start()) {
            for (int i = 0; i < 3; i++) {
                try (EchoClient client = server.newClient()) {
                    byte[] payload = TcpEchoTests.random(100, i);
                    assertArrayEquals(payload, client.send(payload).get(10, TimeUnit.SECONDS));
                }
            }
            assertTrue(!keys.threads.isEmpty(), "the key manager was asked");
            for (String thread : keys.threads) {
                assertEquals(TlsTasks.THREAD_NAME, thread, "the thread that chose the server's key");
            }
            assertEquals(3, server.awaitConnections(3, Duration.ofSeconds(5)).size());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals(TlsTasks.THREAD_NAME) && t.isAlive()),
                "a task thread outlived close()");
    }

    /** Delegates to a key manager and records the threads that choose the server's alias. */
    private static final class RecordingKeyManager extends X509ExtendedKeyManager {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        private final X509KeyManager delegate;

        RecordingKeyManager(X509KeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            threads.add(Thread.currentThread().getName());
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            threads.add(Thread.currentThread().getName());
            return delegate instanceof X509ExtendedKeyManager extended
                    ? extended.chooseEngineServerAlias(keyType, issuers, engine)
                    : delegate.chooseServerAlias(keyType, issuers, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
