package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.util.Arrays;

/**
 * Where the time of one test's server and client goes: times each step of
 * {@code EmbeddedEchoServer.start()}, {@code newClient()}, {@code client.close()},
 * {@code server.close()} with {@code System.nanoTime()}, {@code iterations} times in a row
 * (default 5,000; the first half is warm-up), and prints the median and 90th percentile of each
 * step over the second half.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.StartCloseBreakdownMain [iterations]
 * </pre>
 */
public final class StartCloseBreakdownMain {

    private static final String[] STEPS = {"server start", "client connect", "client close", "server close", "total"};

    private StartCloseBreakdownMain() {
    }

    /**
     * Runs the breakdown.
     *
     * @param args {@code [iterations]}
     */
    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int measured = iterations - iterations / 2;
        long[][] nanos = new long[STEPS.length][measured];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            EmbeddedEchoServer server = EmbeddedEchoServer.start();
            long t1 = System.nanoTime();
            EchoClient client = server.newClient();
            long t2 = System.nanoTime();
            client.close();
            long t3 = System.nanoTime();
            server.close();
            long t4 = System.nanoTime();
            int j = i - iterations / 2;
            if (j >= 0) {
                nanos[0][j] = t1 - t0;
                nanos[1][j] = t2 - t1;
                nanos[2][j] = t3 - t2;
                nanos[3][j] = t4 - t3;
                nanos[4][j] = t4 - t0;
            }
        }
        System.out.printf("%d iterations, last %d measured (µs):%n", iterations, measured);
        for (int s = 0; s < STEPS.length; s++) {
            long[] sorted = nanos[s].clone();
            Arrays.sort(sorted);
            System.out.printf("  %-15s median %7.1f  p90 %7.1f%n", STEPS[s],
                    sorted[measured / 2] / 1e3, sorted[(int) (measured * 0.9)] / 1e3);
        }
    }
}
