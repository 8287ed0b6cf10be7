package dev.echofixture.benchmarks;

import dev.echofixture.EmbeddedEchoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
 * then the median, min and max. Interleaved with them (rotating which goes first), as many
 * fresh JVMs each measure a bare {@code ServerSocketChannel} open + bind + close as their first
 * network call: the floor of issue 9's target (first start + close &lt;= 1.5x that). For scale,
 * as many fresh JVMs run the least any selector-based server does: bind, open a selector,
 * register, start one thread that selects, wake it, join it, close. It also times each child
 * JVM from launch to exit, and ends with a {@code RESULT} line of every value for
 * {@code benchmarks/summarize.py}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.FirstStartMain [runs]
 * </pre>
 */
public final class FirstStartMain {

    private static final String CHILD_SERVER = "--child-server";
    private static final String CHILD_BARE = "--child-bare";
    private static final String CHILD_SELECTOR = "--child-selector";
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
        if (args.length == 1 && args[0].equals(CHILD_SELECTOR)) {
            long t0 = System.nanoTime();
            minimalSelectorServer();
            long t1 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "total_ms=%.2f%n", ms(t1 - t0));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Double> server = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> selector = new ArrayList<>();
        List<Double> serverWall = new ArrayList<>();
        List<Double> bareWall = new ArrayList<>();
        List<Double> selectorWall = new ArrayList<>();
        String[] modes = {CHILD_SERVER, CHILD_BARE, CHILD_SELECTOR};
        for (int i = 1; i <= runs; i++) {
            // interleaved, and rotating which goes first, so that all see the same machine
            long[] wall = new long[modes.length];
            String[] lines = new String[modes.length];
            for (int k = 0; k < modes.length; k++) {
                int slot = (i + k) % modes.length;
                lines[slot] = child(modes[slot], wall, slot);
            }
            System.out.printf("run %d: EmbeddedEchoServer %s wall_ms=%.1f | bare ServerSocketChannel %s wall_ms=%.1f"
                            + " | minimal selector server %s wall_ms=%.1f%n",
                    i, lines[0], ms(wall[0]), lines[1], ms(wall[1]), lines[2], ms(wall[2]));
            server.add(totalMs(lines[0]));
            bare.add(totalMs(lines[1]));
            selector.add(totalMs(lines[2]));
            serverWall.add(ms(wall[0]));
            bareWall.add(ms(wall[1]));
            selectorWall.add(ms(wall[2]));
        }
        System.out.printf("first start+close in a fresh JVM, %d runs: EmbeddedEchoServer %s; bare ServerSocketChannel bind+close %s;"
                        + " minimal selector server %s%n",
                runs, summary(server), summary(bare), summary(selector));
        System.out.printf("whole fresh JVM (launch to exit): with EmbeddedEchoServer %s; with the bare bind+close %s;"
                        + " with the minimal selector server %s%n",
                summary(serverWall), summary(bareWall), summary(selectorWall));
        System.out.printf("RESULT first server_ms=%s bare_ms=%s selector_ms=%s server_wall_ms=%s bare_wall_ms=%s selector_wall_ms=%s%n",
                join(server), join(bare), join(selector), join(serverWall), join(bareWall), join(selectorWall));
    }

    /**
     * The least a selector-based server does on its first start and close: bind, a selector, a
     * registration, one thread that selects until woken, then close. An anonymous class, not a
     * lambda, as {@code EmbeddedEchoServer} spins none.
     */
    private static void minimalSelectorServer() throws IOException, InterruptedException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        Selector selector = Selector.open();
        channel.register(selector, SelectionKey.OP_ACCEPT);
        Thread loop = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    selector.select();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "minimal-selector-loop");
        loop.setDaemon(true);
        loop.start();
        selector.wakeup();
        loop.join();
        channel.close();
        selector.close();
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
