package dev.echofixture.benchmarks;

import dev.echofixture.EmbeddedEchoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first {@code EmbeddedEchoServer.start()} + {@code close()} in a fresh JVM: what the first
 * test of a suite pays (class loading, the first bind, the first thread), which JMH's warm
 * numbers hide. Starts {@code runs} fresh JVMs one after the other (default 10); each measures
 * its first start + close with {@code System.nanoTime()} and prints it; this prints every run,
 * then the median, min and max. Interleaved with them (alternating which goes first), as many
 * fresh JVMs each measure a bare {@code ServerSocketChannel} open + bind + close as their first
 * network call: the floor of issue 9's target (first start + close &lt;= 1.5x that). It also
 * times each child JVM from launch to exit, and ends with a {@code RESULT} line of every value
 * for {@code benchmarks/summarize.py}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.FirstStartMain [runs]
 * </pre>
 */
public final class FirstStartMain {

    private static final String CHILD_SERVER = "--child-server";
    private static final String CHILD_BARE = "--child-bare";
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    private FirstStartMain() {
    }

    /**
     * Without arguments or with a number of runs: measures in that many fresh JVMs and prints a
     * summary. With {@code --child-server} or {@code --child-bare}: one measurement in this JVM.
     *
     * @param args {@code [runs]}, or a child flag
     * @throws Exception if a child fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(CHILD_SERVER)) {
            long t0 = System.nanoTime();
            EmbeddedEchoServer server = EmbeddedEchoServer.start();
            long t1 = System.nanoTime();
            server.close();
            long t2 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "start_ms=%.2f close_ms=%.2f total_ms=%.2f%n", ms(t1 - t0), ms(t2 - t1), ms(t2 - t0));
            return;
        }
        if (args.length == 1 && args[0].equals(CHILD_BARE)) {
            long t0 = System.nanoTime();
            try (ServerSocketChannel channel = ServerSocketChannel.open()) {
                channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            long t1 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "total_ms=%.2f%n", ms(t1 - t0));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Double> server = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> serverWall = new ArrayList<>();
        List<Double> bareWall = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            // interleaved, and alternating which goes first, so that both see the same machine
            boolean serverFirst = i % 2 == 1;
            long[] wall = new long[2];
            String s;
            String b;
            if (serverFirst) {
                s = child(CHILD_SERVER, wall, 0);
                b = child(CHILD_BARE, wall, 1);
            } else {
                b = child(CHILD_BARE, wall, 1);
                s = child(CHILD_SERVER, wall, 0);
            }
            System.out.printf("run %d: EmbeddedEchoServer %s wall_ms=%.1f | bare ServerSocketChannel %s wall_ms=%.1f%n",
                    i, s, ms(wall[0]), b, ms(wall[1]));
            server.add(totalMs(s));
            bare.add(totalMs(b));
            serverWall.add(ms(wall[0]));
            bareWall.add(ms(wall[1]));
        }
        System.out.printf("first start+close in a fresh JVM, %d runs: EmbeddedEchoServer %s; bare ServerSocketChannel bind+close %s%n",
                runs, summary(server), summary(bare));
        System.out.printf("whole fresh JVM (launch to exit): with EmbeddedEchoServer %s; with the bare bind+close %s%n",
                summary(serverWall), summary(bareWall));
        System.out.printf("RESULT first server_ms=%s bare_ms=%s server_wall_ms=%s bare_wall_ms=%s%n",
                join(server), join(bare), join(serverWall), join(bareWall));
    }

    private static String join(List<Double> values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            out.append(out.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.2f", v));
        }
        return out.toString();
    }

    private static String child(String mode, long[] wall, int slot) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long started = System.nanoTime();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FirstStartMain.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child " + mode + " did not end within " + CHILD_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0 || line == null) {
            throw new IllegalStateException("child " + mode + " failed with exit " + process.exitValue());
        }
        wall[slot] = System.nanoTime() - started;
        return line;
    }

    private static double totalMs(String line) {
        for (String field : line.split(" ")) {
            if (field.startsWith("total_ms=")) {
                return Double.parseDouble(field.substring("total_ms=".length()));
            }
        }
        throw new IllegalStateException("no total_ms in: " + line);
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format("median %.1f ms (min %.1f, max %.1f)", median, sorted.get(0), sorted.get(n - 1));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
