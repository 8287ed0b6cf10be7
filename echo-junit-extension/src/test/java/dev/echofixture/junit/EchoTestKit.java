package dev.echofixture.junit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.echofixture.EmbeddedEchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs {@code ...TestCase} fixtures through the Jupiter engine, the way JUnit tests its own
 * extensions, and checks what is left afterwards. Fixtures talk back through report entries
 * ({@code TestReporter.publishEntry("port", ...)}), so that no state is shared between tests
 * running in parallel.
 */
final class EchoTestKit {

    /** How long teardown may take to be seen (the contract: close returns within a second). */
    static final long TEARDOWN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private EchoTestKit() {
    }

    /** Runs the fixtures sequentially, ignoring our own junit-platform.properties. */
    static EngineExecutionResults execute(Class<?>... testClasses) {
        return builder(testClasses).execute();
    }

    /** Runs the fixtures with methods and classes in parallel. */
    static EngineExecutionResults executeInParallel(Class<?>... testClasses) {
        return builder(testClasses)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .execute();
    }

    private static EngineTestKit.Builder builder(Class<?>... testClasses) {
        return EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .selectors(Arrays.stream(testClasses).map(c -> selectClass(c)).toArray(org.junit.platform.engine.DiscoverySelector[]::new));
    }

    /** Every value published under {@code key}, in event order. */
    static List<String> published(EngineExecutionResults results, String key) {
        return entries(results).stream().map(entry -> entry.get(key)).filter(Objects::nonNull).collect(Collectors.toList());
    }

    /** Every report entry published, in event order. */
    static List<Map<String, String>> entries(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .collect(Collectors.toList());
    }

    /** Report entries published by the extension (those with an {@code echo-server} key). */
    static List<Map<String, String>> trafficReports(EngineExecutionResults results) {
        return entries(results).stream().filter(e -> e.containsKey("echo-server")).collect(Collectors.toList());
    }

    /** The published ports as numbers. */
    /** The identities of the servers published with {@code EchoServerExtensionTests.publishPort}, in event order. */
    static List<String> servers(EngineExecutionResults results) {
        return published(results, "server");
    }

    static List<Integer> ports(EngineExecutionResults results) {
        return published(results, "port").stream().map(Integer::valueOf).collect(Collectors.toList());
    }

    /**
     * Asserts that each port can be bound again and that the loop thread of its server has
     * ended, within a bounded wait.
     */
    static void assertServersClosed(Collection<Integer> ports) {
        long deadline = System.nanoTime() + TEARDOWN_NANOS;
        for (int port : ports) {
            while (!bindable(port) || loopThreadAlive(port)) {
                if (System.nanoTime() - deadline >= 0) {
                    fail("the server on port " + port + " was not closed: bindable=" + bindable(port)
                            + ", loop thread alive=" + loopThreadAlive(port));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** Waits until no {@code echo-fixture-*} thread is alive (for tests that run in isolation). */
    static void assertNoEchoFixtureThreads() {
        long deadline = System.nanoTime() + TEARDOWN_NANOS;
        while (!echoFixtureThreads().isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                fail("echo-fixture threads still alive: " + echoFixtureThreads());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    static List<String> echoFixtureThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("echo-fixture")).collect(Collectors.toList());
    }

    private static boolean loopThreadAlive(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("echo-fixture-loop-" + port));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A description of the events, for assertion messages. */
    static String describe(EngineExecutionResults results) {
        return results.allEvents().stream().map(Event::toString).collect(Collectors.joining("\n"));
    }

    /**
     * Sends text over a plain blocking socket and returns what came back (the fixtures' way to
     * prove a server echoes, independent of {@code EchoClient}).
     */
    static String roundTrip(EmbeddedEchoServer server, String text) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 10_000);
            socket.setSoTimeout(10_000);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] echoed = in.readNBytes(bytes.length);
            return new String(echoed, StandardCharsets.UTF_8);
        }
    }
}
