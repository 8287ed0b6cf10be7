package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.TlsOptions;
import dev.echofixture.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The server's heap per idle connection: N connections (3,000 by default) made by a client
 * process of their own (so that only the server's objects are in this JVM's heap), measured
 * as the live heap after a full GC with them open, less the live heap before them. Rows, for
 * TCP and TLS: connections that sent nothing (before the first byte), and established ones
 * (the TLS handshake and one 64-byte echo done, then idle).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.TlsIdleMemoryMain [connections]
 * </pre>
 */
public final class TlsIdleMemoryMain {

    private TlsIdleMemoryMain() {
    }

    /**
     * Prints one line per row; as {@code clients PORT N MODE}, the client process.
     *
     * @param args {@code [connections]}, or the client process's arguments
     * @throws Exception if a measurement fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], args[4].equals("TLS"));
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        System.out.printf("%d idle connections, live heap after GC, per connection:%n", n);
        measure(Transport.TCP, "silent", n);
        measure(Transport.TCP, "established", n);
        measure(Transport.TLS, "silent", n);
        measure(Transport.TLS, "established", n);
    }

    private static void measure(Transport transport, String mode, int n) throws Exception {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder().maxConnections(n + 16);
        if (transport == Transport.TLS) {
            builder.tls(TlsOptions.defaults().handshakeTimeout(Duration.ZERO)); // silent ones stay for the measurement
        }
        try (EmbeddedEchoServer server = builder.start()) {
            warmUp(server);
            long before = liveHeap();
            Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TlsIdleMemoryMain.class.getName(),
                    "clients", Integer.toString(server.port()), Integer.toString(n), mode, transport.name())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                if (!"ready".equals(line)) {
                    throw new IllegalStateException("the client process said " + line);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (server.stats().activeConnections() < n && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long after = liveHeap();
                System.out.printf("  %-4s %-12s %8.2f KiB  (%d open)%n", transport, mode,
                        (after - before) / 1024.0 / n, server.stats().activeConnections());
            } finally {
                clients.destroy();
                clients.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One echo on a connection closed again, so that the classes and the TLS material exist before the baseline. */
    private static void warmUp(EmbeddedEchoServer server) {
        try (EchoClient client = server.newClient()) {
            client.send("warm-up").join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().activeConnections() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The client process: opens the connections, says "ready", and holds them until its input ends. */
    private static void clients(int port, int n, String mode, boolean tls) throws IOException, GeneralSecurityException {
        List<Socket> sockets = new ArrayList<>(n);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingAll()}, null);
        byte[] ping = new byte[64];
        for (int i = 0; i < n; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            if (mode.equals("established") && !tls) {
                socket.getOutputStream().write(ping);
                readFully(socket.getInputStream(), ping);
            } else if (mode.equals("established")) {
                SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", port, true);
                secure.startHandshake();
                secure.getOutputStream().write(ping);
                secure.getOutputStream().flush();
                readFully(secure.getInputStream(), ping);
                socket = secure;
            }
            sockets.add(socket);
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the measuring process ends us
        }
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static void readFully(InputStream in, byte[] bytes) throws IOException {
        for (int read = 0; read < bytes.length; ) {
            int k = in.read(bytes, read, bytes.length - read);
            if (k < 0) {
                throw new IOException("end of stream after " + read + " bytes");
            }
            read += k;
        }
    }

    /** A benchmark's client trusts the server it measures. */
    private static final class TrustingAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
