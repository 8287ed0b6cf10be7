package dev.echofixture.benchmarks;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.util.Arrays;

/**
 * What the first TLS server costs in a JVM that already ran TCP servers (issue 10's target:
 * at most 50 ms more than TCP): warms up with 200 TCP start + close, then times the first TLS
 * start + close (the JVM's test CA, the TLS classes and the first {@code SSLContext} included),
 * the first TLS client connect + echo, and the medians of 200 more of each kind.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.TlsFirstStartMain
 * </pre>
 */
public final class TlsFirstStartMain {

    private TlsFirstStartMain() {
    }

    /**
     * Runs the measurement and prints one line per figure.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (int i = 0; i < 200; i++) {
            startClose(Transport.TCP);
        }
        long tcpLast = startClose(Transport.TCP);
        long firstTls = startClose(Transport.TLS);
        long firstTlsEcho;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start()) {
            long t0 = System.nanoTime();
            try (var client = server.newClient()) {
                client.send("x").join();
            }
            firstTlsEcho = System.nanoTime() - t0;
        }
        long[] tcp = new long[200];
        long[] tls = new long[200];
        for (int i = 0; i < 200; i++) {
            tcp[i] = startClose(Transport.TCP);
            tls[i] = startClose(Transport.TLS);
        }
        System.out.printf("warm TCP start+close (last of 200 warm-up): %.2f ms%n", tcpLast / 1e6);
        System.out.printf("first TLS start+close in this JVM:          %.2f ms%n", firstTls / 1e6);
        System.out.printf("first TLS newClient() connect + echo:       %.2f ms%n", firstTlsEcho / 1e6);
        System.out.printf("median of 200 TCP start+close:              %.3f ms%n", median(tcp) / 1e6);
        System.out.printf("median of 200 TLS start+close:              %.3f ms%n", median(tls) / 1e6);
    }

    private static long startClose(Transport transport) {
        long t0 = System.nanoTime();
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start()) {
            server.port();
        }
        return System.nanoTime() - t0;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
