package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.server.ServerConfig;
import dev.echofixture.internal.server.ServerContext;
import dev.echofixture.internal.server.StreamServer;
import dev.echofixture.internal.tls.ServerTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JVM's first TLS server makes its material on a background thread: a connection accepted
 * meanwhile waits for it (the loop goes on), then handshakes; a setup that fails fails the held
 * connections' handshakes.
 */
@Timeout(60)
class TlsSetupTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aConnectionAcceptedBeforeTheMaterialIsMadeWaitsThenHandshakesAndEchoes() throws Exception {
        TlsOptions options = TlsOptions.defaults();
        ServerTls.Identity identity = ServerTls.identity(options, "127.0.0.1", LOOPBACK);
        CompletableFuture<Runnable> setup = new CompletableFuture<>();
        ServerTls tls = ServerTls.later(options, () -> identity, setup::complete);
        ServerContext context = new ServerContext(config(), new ConnectionRegistry(1024, () -> "test"), tls);
        StreamServer streamServer = StreamServer.open(context);
        try (SSLSocket socket = connect(streamServer, identity)) {
            CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    socket.getOutputStream().write("held".getBytes(UTF_8)); // handshakes first
                    return new String(socket.getInputStream().readNBytes(4), UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            EchoConnection connection = context.registry().await(1, Duration.ofSeconds(10)).get(0);
            Await.until(() -> connection.tls().isPresent(), "the connection's TLS link set up"); // just after it is listed
            assertEquals(TlsHandshake.Status.IN_PROGRESS, connection.tls().orElseThrow().status());
            assertFalse(tls.isReady());
            assertFalse(echoed.isDone(), "no handshake without the server's material");

            setup.get().run(); // the material is made: the held connection gets its engine

            assertEquals("held", echoed.get(10, TimeUnit.SECONDS));
            TlsHandshake handshake = connection.awaitTls(Duration.ofSeconds(5));
            assertTrue(handshake.isComplete(), handshake.toString());
            assertEquals("held", connection.receivedText());
        } finally {
            streamServer.close();
        }
    }

    @Test
    void aFailedSetupFailsTheHeldHandshakesAndTheAccessors() throws Exception {
        TlsOptions options = TlsOptions.defaults();
        ServerTls.Identity identity = ServerTls.identity(options, "127.0.0.1", LOOPBACK);
        CompletableFuture<Runnable> setup = new CompletableFuture<>();
        ServerTls tls = ServerTls.later(options, () -> {
            throw new IllegalStateException("cannot make an EC P-256 key pair: no provider");
        }, setup::complete);
        ServerContext context = new ServerContext(config(), new ConnectionRegistry(1024, () -> "test"), tls);
        StreamServer streamServer = StreamServer.open(context);
        try (SSLSocket socket = connect(streamServer, identity)) {
            CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
                try {
                    socket.startHandshake();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            EchoConnection connection = context.registry().await(1, Duration.ofSeconds(10)).get(0);

            setup.get().run();

            CompletableFuture<Void> failed = handshake.handle((ok, e) -> {
                assertTrue(e != null && e.getCause() instanceof java.io.UncheckedIOException
                        && e.getCause().getCause() instanceof SSLHandshakeException, "the client's handshake fails: " + e);
                return null;
            });
            failed.get(10, TimeUnit.SECONDS);
            TlsHandshake recorded = connection.awaitTls(Duration.ofSeconds(5));
            assertEquals(TlsHandshake.Status.FAILED, recorded.status());
            assertTrue(recorded.failure().orElseThrow().contains("no provider"), recorded.toString());
            Await.until(() -> !connection.isOpen(), "the held connection closed");
            IllegalStateException e = assertThrows(IllegalStateException.class, tls::trustManager);
            assertTrue(e.getMessage().contains("TLS setup failed") && e.getMessage().contains("no provider"), e.getMessage());
        } finally {
            streamServer.close();
        }
    }

    private static ServerConfig config() {
        return EmbeddedEchoServer.builder().transport(Transport.TLS).seed(1).config();
    }

    private static SSLSocket connect(StreamServer streamServer, ServerTls.Identity identity) throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {identity.trustManager()}, null);
        InetSocketAddress address = (InetSocketAddress) streamServer.localAddress();
        Socket plain = new Socket();
        plain.connect(address, 10_000);
        plain.setSoTimeout(20_000);
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", address.getPort(), true);
        socket.setUseClientMode(true);
        return socket;
    }
}
