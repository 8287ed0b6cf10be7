package dev.echofixture.internal.tls;

import dev.echofixture.TlsOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS material of one server, made and checked at start: the server's key and chain
 * (generated, or the user's), its {@link SSLContext} and engine parameters, the trust manager
 * a client needs, and (on first use) a client context and client certificate.
 *
 * <h2>The first TLS server of a JVM</h2>
 * Making the JVM's test CA and first certificate and loading the JDK's TLS classes costs
 * some 100-200 ms the first time in a JVM (key pairs, signatures, the first {@code SSLContext}),
 * and a few tenths of a millisecond for every later server. So {@link #create} makes the
 * material of the JVM's first TLS server on a background thread ({@value #SETUP_THREAD},
 * daemon, one per such server, ended once the material is made) when nothing in the
 * options needs checking at start (no user key, protocols or cipher suites): {@code start()}
 * returns once the port is bound, the test's own work meanwhile overlaps the setup, and
 * whatever needs the material waits for it: {@link #chain()}, {@link #trustManager()},
 * {@link #clientContext()} block, and a connection accepted before it is ready is held
 * ({@link #whenReady}) without blocking the loop. Every later server, and every server whose
 * options need a check, makes it synchronously at start.
 *
 * <p>Thread-safe: immutable after {@link #create}, except the lazily made client context.
 */
public final class ServerTls {

    static final String SETUP_THREAD = "echo-fixture-tls-setup";

    /** Whether a TLS server of this JVM has its material: the CA exists and the JDK's TLS classes are loaded. */
    private static volatile boolean warm;

    private final TlsOptions options;
    private final CompletableFuture<Identity> identity;
    private final CompletableFuture<Material> material;
    private volatile X509ExtendedKeyManager clientKeyManager; // made on first use
    private volatile SSLContext clientContext;
    private TlsTasks tasks; // made on the first handshake's tasks; guarded by this
    private boolean closed; // guarded by this

    /** What a client needs: the chain the server presents and a trust manager that trusts it. */
    public record Identity(X509ExtendedKeyManager keyManager, List<X509Certificate> chain, X509TrustManager trustManager) {
    }

    /** What the server's engines need. */
    private record Material(SSLContext serverContext, SSLParameters parameters) {
    }

    private ServerTls(TlsOptions options, CompletableFuture<Identity> identity, CompletableFuture<Material> material) {
        this.options = options;
        this.identity = identity;
        this.material = material;
    }

    /**
     * Makes or checks the server's key material and settings: at once, or for the JVM's first
     * TLS server with nothing to check, on a background thread (see the class comment).
     *
     * @param host        the host the server binds, as the user gave it
     * @param bindAddress its address
     * @throws IllegalArgumentException naming a bad setting and the fix
     */
    public static ServerTls create(TlsOptions options, String host, InetAddress bindAddress) {
        if (warm || needsCheckAtStart(options)) {
            Identity identity = identity(options, host, bindAddress);
            Material material = material(options, identity);
            return new ServerTls(options, CompletableFuture.completedFuture(identity),
                    CompletableFuture.completedFuture(material));
        }
        return later(options, new Generated(options, host, bindAddress), SetupThread.INSTANCE);
    }

    /**
     * A server whose material {@code setup} makes: {@code identity}, then the server's context.
     * (Tests hold {@code setup} to see connections wait for it.)
     */
    public static ServerTls later(TlsOptions options, Supplier<Identity> identity, Executor setup) {
        CompletableFuture<Identity> identityMade = new CompletableFuture<>();
        CompletableFuture<Material> materialMade = new CompletableFuture<>();
        setup.execute(new Setup(options, identity, identityMade, materialMade));
        return new ServerTls(options, identityMade, materialMade);
    }

    // Named classes rather than lambdas here: no lambda on the first TLS start (docs/DESIGN.md, "First start").

    /** Makes the material and completes the futures with it (or with the failure). */
    private record Setup(TlsOptions options, Supplier<Identity> identity, CompletableFuture<Identity> identityMade,
                         CompletableFuture<Material> materialMade) implements Runnable {
        @Override
        public void run() {
            try {
                Identity made = identity.get();
                identityMade.complete(made);
                materialMade.complete(material(options, made));
            } catch (RuntimeException | Error e) {
                identityMade.completeExceptionally(e);
                materialMade.completeExceptionally(e);
            }
        }
    }

    /** The generated (or the user's) identity of a server. */
    private record Generated(TlsOptions options, String host, InetAddress bindAddress) implements Supplier<Identity> {
        @Override
        public Identity get() {
            return identity(options, host, bindAddress);
        }
    }

    /** Runs each setup on a new daemon thread, {@value #SETUP_THREAD}. */
    private static final class SetupThread implements Executor {
        static final SetupThread INSTANCE = new SetupThread();

        @Override
        public void execute(Runnable setup) {
            Thread thread = new Thread(setup, SETUP_THREAD);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Settings that must fail {@code start()} when bad: the user's key material, protocols, cipher suites. */
    private static boolean needsCheckAtStart(TlsOptions options) {
        return TlsApiAccess.bridge().keyManager(options) != null || TlsApiAccess.bridge().keyStore(options) != null
                || !options.protocols().isEmpty() || !options.cipherSuites().isEmpty();
    }

    /** The server's key manager, chain and a trust manager for clients; checks the user's chain. */
    public static Identity identity(TlsOptions options, String host, InetAddress bindAddress) {
        X509ExtendedKeyManager keyManager;
        List<X509Certificate> chain;
        String source;
        if (TlsApiAccess.bridge().keyManager(options) != null) {
            source = "keyManager";
            keyManager = KeyManagers.forEngines(TlsApiAccess.bridge().keyManager(options));
            chain = chainOf(keyManager, source);
        } else if (TlsApiAccess.bridge().keyStore(options) != null) {
            source = "keyStore";
            keyManager = fromKeyStore(TlsApiAccess.bridge().keyStore(options), TlsApiAccess.bridge().keyStorePassword(options));
            chain = chainOf(keyManager, source);
        } else {
            source = null;
            Certificates.Identity identity = generated(host, bindAddress, options.isSelfSigned());
            keyManager = KeyManagers.of(() -> identity);
            chain = identity.chain();
        }
        if (source != null) {
            checkValid(chain, source);
        }
        try {
            X509Certificate anchor = chain.get(chain.size() - 1);
            X509TrustManager trust = anchor.equals(Certificates.ca().leaf()) ? CaTrust.MANAGER : trusting(anchor);
            return new Identity(keyManager, chain, trust);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    private static Material material(TlsOptions options, Identity identity) {
        try {
            X509TrustManager clientTrust = TlsApiAccess.bridge().clientTrust(options) != null ? TlsApiAccess.bridge().clientTrust(options) : CaTrust.MANAGER;
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {identity.keyManager()}, new TrustManager[] {clientTrust}, null);
            SSLParameters parameters = parameters(context, options);
            warm = true;
            return new Material(context, parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    TlsOptions options() {
        return options;
    }

    /** The threads that run this server's handshake tasks, made on first use. */
    synchronized TlsTasks tasks() {
        if (tasks == null) {
            tasks = new TlsTasks();
            if (closed) {
                tasks.close(); // a late handshake of a closed server: its tasks are refused
            }
        }
        return tasks;
    }

    /** The server closed: ends the task threads (see {@link TlsTasks#close()}). */
    public void close() {
        TlsTasks made;
        synchronized (this) {
            closed = true;
            made = tasks;
        }
        if (made != null) {
            made.close();
        }
    }

    /** Whether {@link #newEngine()} can be called without waiting. */
    public boolean isReady() {
        return material.isDone();
    }

    /**
     * Runs {@code action} once the material is made or failed (at once if it is): on the
     * setup thread, or on the caller's if it is done.
     */
    void whenReady(Runnable action) {
        material.whenComplete((made, failure) -> action.run());
    }

    /**
     * A server-mode engine with the configured protocols, suites, ALPN and client authentication.
     *
     * @throws IllegalStateException if the material could not be made (waits for it first)
     */
    SSLEngine newEngine() {
        Material made = await(material);
        SSLEngine engine = made.serverContext().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(made.parameters());
        return engine;
    }

    public List<X509Certificate> chain() {
        return await(identity).chain();
    }

    public X509TrustManager trustManager() {
        return await(identity).trustManager();
    }

    public X509ExtendedKeyManager clientKeyManager() {
        X509ExtendedKeyManager known = clientKeyManager;
        if (known == null) {
            synchronized (this) {
                known = clientKeyManager;
                if (known == null) {
                    known = KeyManagers.of(() -> Certificates.client("echo-fixture client")); // its key: on first use
                    clientKeyManager = known;
                }
            }
        }
        return known;
    }

    /** A client context that trusts this server and presents a certificate the server trusts. */
    public SSLContext clientContext() {
        SSLContext known = clientContext;
        if (known == null) {
            X509TrustManager trust = trustManager();
            synchronized (this) {
                known = clientContext;
                if (known == null) {
                    try {
                        known = SSLContext.getInstance("TLS");
                        known.init(new KeyManager[] {clientKeyManager()}, new TrustManager[] {trust}, null);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("cannot set up a TLS client context: " + e, e);
                    }
                    clientContext = known;
                }
            }
        }
        return known;
    }

    /** The value, waiting for the setup thread if need be; its failure as an exception of this thread. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the server's TLS setup failed: " + cause.getMessage(), cause);
        }
    }

    private static Certificates.Identity generated(String host, InetAddress bindAddress, boolean selfSigned) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            addresses.add(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}));
            byte[] v6 = new byte[16];
            v6[15] = 1;
            addresses.add(InetAddress.getByAddress("::1", v6));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // not for literal bytes of the right length
        }
        if (bindAddress != null && !bindAddress.isAnyLocalAddress()) {
            addresses.add(bindAddress);
        }
        if (host != null && !host.isBlank() && Character.isLetter(host.charAt(0)) && host.indexOf(':') < 0) {
            names.add(host.toLowerCase(java.util.Locale.ROOT));
        }
        return Certificates.cachedServer(names, addresses, selfSigned);
    }

    private static X509ExtendedKeyManager fromKeyStore(KeyStore keyStore, char[] password) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, password);
            for (KeyManager km : factory.getKeyManagers()) {
                if (km instanceof X509KeyManager x509) {
                    return KeyManagers.forEngines(x509);
                }
            }
            throw new IllegalArgumentException("keyStore: " + keyStore.getType()
                    + " (expected: a key store with a private key entry and its certificate chain)");
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("keyStore: the password does not unlock its key (" + e.getMessage()
                    + "; expected: the key's password as the second argument of keyStore(keyStore, password))", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keyStore: " + e.getMessage()
                    + " (expected: a loaded key store with a private key entry)", e);
        }
    }

    private static List<X509Certificate> chainOf(X509KeyManager keyManager, String source) {
        for (String keyType : List.of("EC", "RSA", "RSASSA-PSS", "EdDSA", "DSA")) {
            String[] aliases = keyManager.getServerAliases(keyType, null);
            if (aliases != null) {
                for (String alias : aliases) {
                    X509Certificate[] certificates = keyManager.getCertificateChain(alias);
                    if (certificates != null && certificates.length > 0) {
                        return List.of(certificates);
                    }
                }
            }
        }
        throw new IllegalArgumentException(source + ": no private key with a certificate chain"
                + " (expected: a key entry for the server, for example made with keytool -genkeypair;"
                + " or leave it unset for a generated certificate)");
    }

    private static void checkValid(List<X509Certificate> chain, String source) {
        for (X509Certificate certificate : chain) {
            String subject = certificate.getSubjectX500Principal().getName();
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                throw new IllegalArgumentException(source + ": certificate " + subject + " expired on "
                        + certificate.getNotAfter().toInstant() + " (expected: a certificate valid now; renew it,"
                        + " or leave " + source + " unset for a generated one)", e);
            } catch (CertificateNotYetValidException e) {
                throw new IllegalArgumentException(source + ": certificate " + subject + " is valid only from "
                        + certificate.getNotBefore().toInstant() + " (expected: a certificate valid now; check the"
                        + " clock or the certificate's dates, or leave " + source + " unset for a generated one)", e);
            }
        }
    }

    /** Trusts the JVM's test CA: made once, shared by every server (a trust manager is immutable). */
    private static final class CaTrust {
        static final X509TrustManager MANAGER = caTrust();

        private static X509TrustManager caTrust() {
            try {
                return trusting(Certificates.ca().leaf());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot trust the test CA: " + e, e);
            }
        }
    }

    private static X509TrustManager trusting(X509Certificate anchor) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // an empty in-memory store reads nothing
        }
        store.setCertificateEntry("anchor", anchor);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
    }

    private static SSLParameters parameters(SSLContext context, TlsOptions options) {
        SSLParameters supported = context.getSupportedSSLParameters();
        SSLParameters parameters = context.getDefaultSSLParameters();
        if (!options.protocols().isEmpty()) {
            check(options.protocols(), supported.getProtocols(), "protocols", "TLSv1.3");
            parameters.setProtocols(options.protocols().toArray(String[]::new));
        }
        if (!options.cipherSuites().isEmpty()) {
            check(options.cipherSuites(), supported.getCipherSuites(), "cipherSuites", "TLS_AES_128_GCM_SHA256");
            parameters.setCipherSuites(options.cipherSuites().toArray(String[]::new));
        }
        if (!options.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(options.applicationProtocols().toArray(String[]::new));
        }
        switch (options.clientAuth()) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> {
                parameters.setNeedClientAuth(false);
                parameters.setWantClientAuth(false);
            }
        }
        return parameters;
    }

    private static void check(List<String> wanted, String[] supported, String name, String example) {
        List<String> known = Arrays.asList(supported);
        List<String> unknown = new ArrayList<>(wanted);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            List<String> shown = known.size() > 12 ? known.subList(0, 12) : known;
            throw new IllegalArgumentException(name + ": " + String.join(", ", unknown)
                    + " (expected: names this JVM supports, for example " + example + "; supported: "
                    + String.join(", ", shown) + (known.size() > shown.size() ? ", ..." : "")
                    + "; see SSLContext.getDefault().getSupportedSSLParameters())");
        }
    }
}
