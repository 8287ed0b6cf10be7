package dev.echofixture.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Key managers for {@link javax.net.ssl.SSLEngine}s: one that holds a single generated
 * {@link Certificates.Identity} (made on first use, so that a client certificate nobody asks
 * for costs nothing), and an adapter that lets an engine use a plain {@link X509KeyManager}
 * (the JDK gives engines nothing from a key manager that is not an {@link X509ExtendedKeyManager}).
 *
 * <p>Thread-safe.
 */
final class KeyManagers {

    static final String ALIAS = "echo-fixture";

    private KeyManagers() {
    }

    /** A key manager with the one identity {@code identity} supplies, asked for once. */
    static X509ExtendedKeyManager of(Supplier<Certificates.Identity> identity) {
        return new Single(identity);
    }

    /** {@code keyManager} itself if engines can use it, else an adapter that can. */
    static X509ExtendedKeyManager forEngines(X509KeyManager keyManager) {
        return keyManager instanceof X509ExtendedKeyManager extended ? extended : new EngineAdapter(keyManager);
    }

    private static final class Single extends X509ExtendedKeyManager {
        private final Supplier<Certificates.Identity> supplier;
        private volatile Certificates.Identity identity;

        Single(Supplier<Certificates.Identity> supplier) {
            this.supplier = supplier;
        }

        private Certificates.Identity identity() {
            Certificates.Identity known = identity;
            if (known == null) {
                synchronized (this) {
                    known = identity;
                    if (known == null) {
                        known = supplier.get();
                        identity = known;
                    }
                }
            }
            return known;
        }

        private static boolean fits(String keyType) {
            return keyType != null && keyType.startsWith("EC"); // the generated keys are EC P-256
        }

        private String aliasFor(String... keyTypes) {
            if (keyTypes != null) {
                for (String keyType : keyTypes) {
                    if (fits(keyType)) {
                        return ALIAS;
                    }
                }
            }
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return fits(keyType) ? new String[] {ALIAS} : null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return aliasFor(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyTypes);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return fits(keyType) ? new String[] {ALIAS} : null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? identity().chain().toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? identity().key() : null;
        }
    }

    private static final class EngineAdapter extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;

        EngineAdapter(X509KeyManager delegate) {
            this.delegate = delegate;
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
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseClientAlias(keyType, issuers, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseServerAlias(keyType, issuers, null);
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
