package dev.echofixture;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking TLS test peer on the JDK's {@link SSLSocket}, independent of {@link EchoClient}.
 * It verifies the host name as HTTPS clients do. Reads are bounded by a 20 s socket time-out
 * (and the test class's {@code @Timeout}).
 */
final class TlsPeer implements AutoCloseable {

    final SSLSocket socket;

    private TlsPeer(SSLSocket socket) {
        this.socket = socket;
    }

    /** Connects with the server's client context, to its host and port; does not handshake yet. */
    static TlsPeer connect(EmbeddedEchoServer server) throws IOException {
        return connect(server, server.sslContextForClients(), server.host(), parameters -> { });
    }

    /**
     * Connects with {@code context} to the server's port, naming {@code peerHost} (verified
     * against the certificate, sent by SNI when it is a DNS name); {@code tweak} adjusts the
     * client's parameters (protocols, ALPN...). Does not handshake yet.
     */
    static TlsPeer connect(EmbeddedEchoServer server, SSLContext context, String peerHost,
                           Consumer<SSLParameters> tweak) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(server.address().getAddress(), server.port()), 10_000);
        plain.setSoTimeout(20_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, peerHost, server.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tweak.accept(parameters);
        socket.setSSLParameters(parameters);
        socket.setUseClientMode(true);
        return new TlsPeer(socket);
    }

    void handshake() throws IOException {
        socket.startHandshake();
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Writes on another thread, so that a large payload cannot dead-lock against the echo. */
    CompletableFuture<Void> writeInBackground(byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "tls-peer-writer");
            t.setDaemon(true);
            t.start();
        });
    }

    byte[] readExactly(int n) throws IOException {
        byte[] bytes = new byte[n];
        InputStream in = socket.getInputStream();
        int at = 0;
        while (at < n) {
            int k = in.read(bytes, at, n - at);
            if (k < 0) {
                throw new EOFException("end of stream after " + at + " of " + n + " bytes");
            }
            at += k;
        }
        return bytes;
    }

    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int k; (k = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, k);
        }
        return all.toByteArray();
    }

    /** TLS 1.3 half-close: sends close_notify, keeps reading. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
