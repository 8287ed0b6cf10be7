package dev.echofixture.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

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
 * Platform Launcher in this one JVM, interleaved, for several rounds. The first rounds are
 * warm-up; for the others it prints the time per test of each fixture and the added cost per
 * test (fixture minus empty), then the median over the measured rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.ExtensionOverheadMain [rounds] [warm-up rounds]
 * </pre>
 *
 * Defaults: 9 rounds, of which the first 3 are warm-up. Fails (exit 1) if any test fails. The
 * last line ({@code RESULT ...}) is for {@code benchmarks/summarize.py}. Beside wall-clock time it
 * reports the CPU time of the whole JVM (every thread) per test, which a busy machine hardly
 * inflates.
 */
public final class ExtensionOverheadMain {

    private ExtensionOverheadMain() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code [rounds] [warm-up rounds]}
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Map<String, Class<?>> fixtures = new LinkedHashMap<>();
        fixtures.put("empty", OverheadFixtures.Empty.class);
        fixtures.put("server", OverheadFixtures.ServerOnly.class);
        fixtures.put("server+client", OverheadFixtures.ServerAndClient.class);
        Map<String, List<Double>> perTest = new LinkedHashMap<>();
        Map<String, List<Double>> cpuPerTest = new LinkedHashMap<>();
        fixtures.keySet().forEach(name -> perTest.put(name, new ArrayList<>()));
        fixtures.keySet().forEach(name -> cpuPerTest.put(name, new ArrayList<>()));
        Launcher launcher = LauncherFactory.create();
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(round <= warmup ? "warm-up " : "round   ").append(round).append(':');
            Map<String, Double> thisRound = new LinkedHashMap<>();
            Map<String, Double> thisRoundCpu = new LinkedHashMap<>();
            for (Map.Entry<String, Class<?>> fixture : fixtures.entrySet()) {
                double[] micros = microsPerTest(launcher, fixture.getValue());
                thisRound.put(fixture.getKey(), micros[0]);
                thisRoundCpu.put(fixture.getKey(), micros[1]);
                line.append(String.format("  %s %.0f µs/test (cpu %.0f)", fixture.getKey(), micros[0], micros[1]));
            }
            double empty = thisRound.get("empty");
            line.append(String.format("  | added: server %.0f µs, server+client %.0f µs",
                    thisRound.get("server") - empty, thisRound.get("server+client") - empty));
            System.out.println(line);
            if (round > warmup) {
                thisRound.forEach((name, micros) -> perTest.get(name).add(micros));
                thisRoundCpu.forEach((name, micros) -> cpuPerTest.get(name).add(micros));
            }
        }
        double empty = median(perTest.get("empty"));
        double server = median(perTest.get("server"));
        double client = median(perTest.get("server+client"));
        System.out.printf("median of %d rounds (%d tests each): empty %.0f µs/test; added per test: server %.0f µs,"
                        + " server+client %.0f µs%n",
                rounds - warmup, OverheadFixtures.TESTS, empty, server - empty, client - empty);
        double emptyCpu = median(cpuPerTest.get("empty"));
        double serverCpu = median(cpuPerTest.get("server"));
        double clientCpu = median(cpuPerTest.get("server+client"));
        System.out.printf("CPU time of the whole JVM (every thread), median: empty %.0f µs/test; added per test: server %.0f µs,"
                        + " server+client %.0f µs%n", emptyCpu, serverCpu - emptyCpu, clientCpu - emptyCpu);
        System.out.printf(java.util.Locale.ROOT, "RESULT extension empty_us=%.1f server_added_us=%.1f client_added_us=%.1f"
                        + " empty_cpu_us=%.1f server_added_cpu_us=%.1f client_added_cpu_us=%.1f%n",
                empty, server - empty, client - empty, emptyCpu, serverCpu - emptyCpu, clientCpu - emptyCpu);
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
