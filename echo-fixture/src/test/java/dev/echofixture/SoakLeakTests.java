package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Soak: {@code start()}/{@code close()} cycles leave nothing behind: threads, open file
 * descriptors ({@code /proc/self/fd}, where there is one), socket files, and heap after GC all
 * come back to the baseline (idle pooled loop threads end within a few seconds). The figures are printed. Full scale: 5,000
 * cycles per transport; short form: 500.
 */
@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
class SoakLeakTests {

    static final int CYCLES = Soak.scale(500, 5_000);
    /** GC noise; a leak of one small object per cycle would show well above it at 5,000 cycles. */
    static final long HEAP_SLACK = 4L * 1024 * 1024;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void startCloseCyclesLeaveNothingBehind(Transport transport) throws Exception {
        // one cycle first: classes loaded, pools and caches of the JDK warmed
        cycle(transport, 0);
        Figures before = Figures.now();
        Soak.measure("leaks " + transport, CYCLES + " start()/close() cycles, one echo each 50th", () -> {
            int leftBehind = 0;
            for (int i = 1; i <= CYCLES; i++) {
                leftBehind += cycle(transport, i);
            }
            Await.until(Duration.ofSeconds(10), () -> Figures.now().threads <= before.threads,
                    () -> "threads back to " + before.threads + ": " + Figures.now().threads);
            // a closed socket's or TLS engine's objects go only after the JDK's Cleaner thread has run
            // and a later GC: on a busy machine that thread may not have run between our GCs yet, so
            // the heap gets a bounded wait to come back too (a leak keeps it up)
            Await.until(Duration.ofSeconds(10), () -> SoakFaultTests.usedHeapAfterGc() <= before.heap + HEAP_SLACK,
                    () -> "heap after GC back to " + before.heap / 1024 + " KiB + " + HEAP_SLACK / 1024 + " KiB: "
                            + SoakFaultTests.usedHeapAfterGc() / 1024 + " KiB");
            Figures after = Figures.now();
            String figures = transport + " after " + CYCLES + " cycles: threads " + before.threads + " -> " + after.threads
                    + ", fds " + before.fds + " -> " + after.fds + ", socket files left " + leftBehind
                    + ", heap after GC " + before.heap / 1024 + " KiB -> " + after.heap / 1024 + " KiB";
            Soak.note(figures);
            assertTrue(after.threads <= before.threads, figures);
            assertTrue(before.fds < 0 || after.fds <= before.fds + 2, figures);   // +2: a jar or log file the JDK opened
            assertEquals(0, leftBehind, figures);
            assertTrue(after.heap <= before.heap + HEAP_SLACK, figures);
            return -1;
        });
    }

    /**
     * One start, an echo on every 50th, a close; returns 1 if its socket file is left. (The
     * directory of the default socket files is one per JVM; it must hold no file of ours.)
     */
    private static int cycle(Transport transport, int i) throws Exception {
        Path socketFile = null;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start()) {
            if (transport == Transport.UNIX) {
                socketFile = ((java.net.UnixDomainSocketAddress) server.socketAddress()).getPath();
            }
            if (i % 50 == 0) {
                try (EchoClient client = server.newClient()) {
                    assertEquals("cycle " + i, client.send("cycle " + i).get(30, TimeUnit.SECONDS));
                }
            }
        }
        if (socketFile == null) {
            return 0;
        }
        return Files.exists(socketFile) ? 1 : 0;
    }

    /** What a leak would leave: threads of ours, open descriptors, our socket directories, heap after GC. */
    private record Figures(long threads, long fds, long heap) {

        static Figures now() {
            long threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("echo-fixture")).count();
            return new Figures(threads, countFds(), SoakFaultTests.usedHeapAfterGc());
        }

        private static long countFds() {
            Path fds = Path.of("/proc/self/fd");
            if (!Files.isDirectory(fds)) {
                return -1;
            }
            try (Stream<Path> list = Files.list(fds)) {
                return list.count();
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
