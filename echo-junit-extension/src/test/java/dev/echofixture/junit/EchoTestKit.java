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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** A server a fixture published, with the loop thread(s) named after its port while it ran. */
    private record Published(EmbeddedEchoServer server, int port, List<Thread> loopThreads) {
    }

    /** Every server published so far, by identity (never by port). */
    private static final Map<EmbeddedEchoServer, String> IDS = Collections.synchronizedMap(new IdentityHashMap<>());
    private static final Map<String, Published> PUBLISHED = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

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

    /** Runs the fixtures sequentially with the given configuration parameters (key, value, key, value...). */
    static EngineExecutionResults executeWith(Map<String, String> parameters, Class<?>... testClasses) {
        EngineTestKit.Builder builder = builder(testClasses);
        parameters.forEach(builder::configurationParameter);
        return builder.execute();
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

    /** Report entries published by the extension (those with an {@code echo-server} or {@code echo-server-<n>} key). */
    static List<Map<String, String>> trafficReports(EngineExecutionResults results) {
        return entries(results).stream().filter(e -> e.keySet().stream().anyMatch(k -> k.matches("echo-server(-\\d+)?")))
                .collect(Collectors.toList());
    }

    /** The exceptions the failed tests finished with, in event order. */
    static List<Throwable> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(event -> event.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    /** The identities of the servers published with {@code EchoServerExtensionTests.publishPort}, in event order. */
    static List<String> servers(EngineExecutionResults results) {
        return published(results, "server");
    }

    /** The published ports as numbers. */
    static List<Integer> ports(EngineExecutionResults results) {
        return published(results, "port").stream().map(Integer::valueOf).collect(Collectors.toList());
    }

    /**
     * The identity of a server, for fixtures to publish: a closed server's port may be handed out
     * again (to a server of a test running at the same time), its identity not. The first call,
     * made while the server runs, also notes its loop thread.
     */
    static String identify(EmbeddedEchoServer server) {
        return IDS.computeIfAbsent(server, s -> {
            String id = Integer.toString(NEXT_ID.incrementAndGet());
            List<Thread> loop = loopThreads(s.port());
            if (s.port() > 0 && loop.isEmpty()) {
                throw new AssertionError("no loop thread echo-fixture-loop-" + s.port() + " for the running " + s);
            }
            PUBLISHED.put(id, new Published(s, s.port(), loop));
            return id;
        });
    }

    /**
     * Asserts, within a bounded wait, that each server the fixtures published is closed: no
     * longer running, its loop thread ended, and its port free, unless another server's loop
     * now owns that port (ports are handed out again; identities are not).
     */
    static void assertServersClosed(EngineExecutionResults results) {
        long deadline = System.nanoTime() + TEARDOWN_NANOS;
        for (String id : new LinkedHashSet<>(servers(results))) {
            Published server = PUBLISHED.get(id);
            while (!closed(server)) {
                if (System.nanoTime() - deadline >= 0) {
                    fail("server #" + id + " on port " + server.port() + " was not closed: running=" + server.server().isRunning()
                            + ", loop thread still named for the port=" + loopThreadNamed(server.port())
                            + ", port bindable=" + bindable(server.port()) + ", port held by another server="
                            + heldByAnotherServer(server));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /**
     * Closed: not running, and either its port is free and no loop thread carries the port in its
     * name any more (the server's loop thread went back to the pool, renamed, or ended), or
     * another server's loop now owns that port. A pooled loop thread may serve another server
     * next, so the thread's identity says nothing once the server has closed; its name does.
     */
    private static boolean closed(Published server) {
        if (server.server().isRunning()) {
            return false;
        }
        boolean named = loopThreadNamed(server.port());
        return bindable(server.port()) ? !named : named;
    }

    private static boolean heldByAnotherServer(Published server) {
        return !server.server().isRunning() && !bindable(server.port()) && loopThreadNamed(server.port());
    }

    private static boolean loopThreadNamed(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("echo-fixture-loop-" + port));
    }

    private static List<Thread> loopThreads(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("echo-fixture-loop-" + port))
                .collect(Collectors.toList());
    }

    /**
     * Waits until no {@code echo-fixture-*} thread is alive but idle pooled loop threads
     * ({@code echo-fixture-idle-<n>}, which hold no socket and end by themselves after two seconds
     * without a server), for tests that run in isolation.
     */
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
                .filter(name -> name.startsWith("echo-fixture") && !name.startsWith("echo-fixture-idle-"))
                .collect(Collectors.toList());
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
