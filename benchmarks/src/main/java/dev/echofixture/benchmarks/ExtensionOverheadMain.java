package dev.echofixture.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * What {@code @EchoServer} adds to each test: runs the {@link OverheadFixtures} (1,000 empty
 * tests, 1,000 tests with an injected server, 1,000 with a server and a client) through the JUnit
 * Platform Launcher in this one JVM, interleaved, for several rounds, and prints the time per test
 * of each fixture and the added cost per test (fixture minus empty) of every round.
 *
 * <p>Warm-up lasts until the JIT compiler is quiet: JUnit's own code is large, and on a 2-core
 * machine its compiler threads take a core for the first 20,000-40,000 tests, which slows every
 * fixture. A round counts as quiet when the JVM spent at most 5 % of its wall-clock time
 * compiling ({@link java.lang.management.CompilationMXBean}); warm-up ends after two quiet rounds
 * in a row (at least 3 rounds, at most the given maximum). The measured rounds follow. The
 * figures while the JIT was still compiling (warm-up rounds from the fourth on) are printed too.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.ExtensionOverheadMain [measured rounds] [max warm-up rounds]
 * </pre>
 *
 * Defaults: 9 measured rounds, at most 60 warm-up rounds. Fails (exit 1) if any test fails. The
 * last line ({@code RESULT ...}) is for {@code benchmarks/summarize.py}. Beside wall-clock time it
 * reports the CPU time of the whole JVM (every thread) per test, which a busy machine hardly
 * inflates.
 */
public final class ExtensionOverheadMain {

    private static final double QUIET_COMPILE_SHARE = 0.05;
    private static final int QUIET_ROUNDS = 2;
    private static final int MIN_WARMUP = 3;

    private ExtensionOverheadMain() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code [measured rounds] [max warm-up rounds]}
     */
    public static void main(String[] args) {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int maxWarmup = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Map<String, Class<?>> fixtures = new LinkedHashMap<>();
        fixtures.put("empty", OverheadFixtures.Empty.class);
        fixtures.put("server", OverheadFixtures.ServerOnly.class);
        fixtures.put("server+client", OverheadFixtures.ServerAndClient.class);
        Map<String, List<Double>> perTest = new LinkedHashMap<>();
        Map<String, List<Double>> cpuPerTest = new LinkedHashMap<>();
        Map<String, List<Double>> warmingPerTest = new LinkedHashMap<>();
        fixtures.keySet().forEach(name -> perTest.put(name, new ArrayList<>()));
        fixtures.keySet().forEach(name -> cpuPerTest.put(name, new ArrayList<>()));
        fixtures.keySet().forEach(name -> warmingPerTest.put(name, new ArrayList<>()));
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        Launcher launcher = LauncherFactory.create();
        int warmup = 0;
        int quietInARow = 0;
        int round = 0;
        while (round - warmup < measured) {
            round++;
            boolean warming = warmup == round - 1 && (round <= MIN_WARMUP || quietInARow < QUIET_ROUNDS) && round <= maxWarmup;
            long compileMillisBefore = jit.getTotalCompilationTime();
            long roundStart = System.nanoTime();
            StringBuilder line = new StringBuilder(warming ? "warm-up " : "round   ").append(round).append(':');
            Map<String, Double> thisRound = new LinkedHashMap<>();
            Map<String, Double> thisRoundCpu = new LinkedHashMap<>();
            for (Map.Entry<String, Class<?>> fixture : fixtures.entrySet()) {
                double[] micros = microsPerTest(launcher, fixture.getValue());
                thisRound.put(fixture.getKey(), micros[0]);
                thisRoundCpu.put(fixture.getKey(), micros[1]);
                line.append(String.format("  %s %.0f µs/test (cpu %.0f)", fixture.getKey(), micros[0], micros[1]));
            }
            double compileShare = (jit.getTotalCompilationTime() - compileMillisBefore) * 1e6 / (System.nanoTime() - roundStart);
            double empty = thisRound.get("empty");
            line.append(String.format("  | added: server %.0f µs, server+client %.0f µs | compiling %.0f %% of the round (all JIT threads)",
                    thisRound.get("server") - empty, thisRound.get("server+client") - empty, compileShare * 100));
            System.out.println(line);
            if (warming) {
                warmup = round;
                quietInARow = compileShare <= QUIET_COMPILE_SHARE ? quietInARow + 1 : 0;
                if (round > MIN_WARMUP) {
                    thisRound.forEach((name, micros) -> warmingPerTest.get(name).add(micros));
                }
            } else {
                thisRound.forEach((name, micros) -> perTest.get(name).add(micros));
                thisRoundCpu.forEach((name, micros) -> cpuPerTest.get(name).add(micros));
            }
        }
        double empty = median(perTest.get("empty"));
        double server = median(perTest.get("server"));
        double client = median(perTest.get("server+client"));
        System.out.printf("median of %d rounds (1,000 tests each) after %d warm-up rounds%s: empty %.0f µs/test;"
                        + " added per test: server %.0f µs, server+client %.0f µs%n",
                measured, warmup, quietInARow >= QUIET_ROUNDS ? " (JIT quiet)" : " (JIT still compiling: max warm-up reached)",
                empty, server - empty, client - empty);
        double emptyCpu = median(cpuPerTest.get("empty"));
        double serverCpu = median(cpuPerTest.get("server"));
        double clientCpu = median(cpuPerTest.get("server+client"));
        System.out.printf("CPU time of the whole JVM (every thread), median: empty %.0f µs/test; added per test: server %.0f µs,"
                        + " server+client %.0f µs%n", emptyCpu, serverCpu - emptyCpu, clientCpu - emptyCpu);
        double warmingClient = Double.NaN;
        if (!warmingPerTest.get("empty").isEmpty()) {
            double warmingEmpty = median(warmingPerTest.get("empty"));
            warmingClient = median(warmingPerTest.get("server+client")) - warmingEmpty;
            System.out.printf("while the JIT was still compiling (warm-up rounds %d-%d), median: empty %.0f µs/test;"
                            + " added per test: server %.0f µs, server+client %.0f µs%n",
                    MIN_WARMUP + 1, warmup, warmingEmpty, median(warmingPerTest.get("server")) - warmingEmpty, warmingClient);
        }
        System.out.printf(java.util.Locale.ROOT, "RESULT extension empty_us=%.1f server_added_us=%.1f client_added_us=%.1f"
                        + " empty_cpu_us=%.1f server_added_cpu_us=%.1f client_added_cpu_us=%.1f warmup_rounds=%d"
                        + " client_added_warming_us=%.1f jit_quiet=%d%n",
                empty, server - empty, client - empty, emptyCpu, serverCpu - emptyCpu, clientCpu - emptyCpu, warmup,
                warmingClient, quietInARow >= QUIET_ROUNDS ? 1 : 0);
    }

    /** Wall-clock and CPU microseconds (every thread of the JVM) per test of one run of the fixture. */
    private static double[] microsPerTest(Launcher launcher, Class<?> fixture) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(fixture))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        launcher.execute(request, listener);
        long nanos = System.nanoTime() - start;
        long cpuNanos = processCpuNanos() - cpuStart;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsSucceededCount() != OverheadFixtures.TESTS || summary.getTotalFailureCount() != 0) {
            summary.getFailures().forEach(f -> f.getException().printStackTrace());
            System.err.println(fixture.getName() + ": " + summary.getTestsSucceededCount() + " of "
                    + OverheadFixtures.TESTS + " tests succeeded");
            System.exit(1);
        }
        return new double[] {nanos / 1e3 / OverheadFixtures.TESTS, cpuNanos / 1e3 / OverheadFixtures.TESTS};
    }

    /** CPU time of the whole JVM so far (every thread): unlike wall-clock time, it hardly grows on a busy machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
