package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.util.Arrays;

/**
 * What the first TLS server costs in a JVM that already ran TCP servers (issue 10's target:
 * at most 50 ms more than TCP): warms up with 200 TCP start + close and 20 TCP tests (start,
 * {@code newClient()}, one echo, close: so that the client's classes are loaded), times one warm TCP test
 * (start, {@code newClient()}, one echo, close) for comparison, then the JVM's first TLS test
 * the same way, step by step: {@code start()} (the JVM's test CA, the first certificate and
 * the first {@code SSLContext} are made on a background thread meanwhile), the first
 * {@code newClient()} connect + echo (it waits for what the background has not finished yet),
 * and the sum; then the medians of 200 more start + close of each kind. With an argument, the
 * first TLS test sleeps that many milliseconds between {@code start()} and {@code newClient()},
 * as a test that does work of its own there (not counted in the sum): what is left of the
 * background setup then shows in the first connect.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.TlsFirstStartMain [slack-ms]
 * </pre>
 */
public final class TlsFirstStartMain {

    private TlsFirstStartMain() {
    }

    /**
     * Runs the measurement and prints one line per figure.
     *
     * @param args {@code [slack-ms]}: the first TLS test's own work between start and connect (default 0)
     * @throws InterruptedException if interrupted while sleeping the slack
     */
    public static void main(String[] args) throws InterruptedException {
        long slackMillis = args.length > 0 ? Long.parseLong(args[0]) : 0;
        for (int i = 0; i < 200; i++) {
            startClose(Transport.TCP);
        }
        for (int i = 0; i < 20; i++) {
            test(Transport.TCP, 0);
        }
        long tcpLast = startClose(Transport.TCP);
        long[] tcpTest = test(Transport.TCP, 0);
        long[] tlsTest = test(Transport.TLS, slackMillis);
        long[] tcp = new long[200];
        long[] tls = new long[200];
        for (int i = 0; i < 200; i++) {
            tcp[i] = startClose(Transport.TCP);
            tls[i] = startClose(Transport.TLS);
        }
        System.out.printf("warm TCP start+close (last of 200 warm-up): %7.2f ms%n", tcpLast / 1e6);
        System.out.printf("warm TCP test:  start %.2f, connect+echo %.2f, start..echo %.2f, close %.2f ms%n",
                tcpTest[0] / 1e6, tcpTest[1] / 1e6, (tcpTest[0] + tcpTest[1]) / 1e6, tcpTest[2] / 1e6);
        System.out.printf("first TLS test%s: start %.2f, connect+echo %.2f, start..echo %.2f, close %.2f ms%n",
                slackMillis > 0 ? " (" + slackMillis + " ms of own work after start, not counted)" : "", tlsTest[0] / 1e6, tlsTest[1] / 1e6, (tlsTest[0] + tlsTest[1]) / 1e6, tlsTest[2] / 1e6);
        System.out.printf("median of 200 TCP start+close:              %7.3f ms%n", median(tcp) / 1e6);
        System.out.printf("median of 200 TLS start+close:              %7.3f ms%n", median(tls) / 1e6);
    }

    /** One test's server: start, (slack), a client's connect and one echo, close of both (nanoseconds each). */
    private static long[] test(Transport transport, long slackMillis) throws InterruptedException {
        long t0 = System.nanoTime();
        EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start();
        long t1 = System.nanoTime();
        if (slackMillis > 0) {
            Thread.sleep(slackMillis);
        }
        long t1s = System.nanoTime();
        EchoClient client = server.newClient();
        client.send("x").join();
        long t2 = System.nanoTime();
        client.close();
        server.close();
        long t3 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1s, t3 - t2};
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
