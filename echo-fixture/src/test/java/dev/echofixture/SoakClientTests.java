package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Soak of {@link EchoClient}: many sends outstanding, a very large payload, many threads at
 * once, a silent server, a server that goes away. Scale: see {@link Soak}.
 */
@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
class SoakClientTests {

    static final int OUTSTANDING = Soak.scale(1_000, 10_000);
    static final int LARGE = Soak.scale(8, 64) * 1024 * 1024;
    static final int THREADS = 16;
    static final int SENDS_PER_THREAD = Soak.scale(25, 200);

    @Test
    void manySendsOutstandingEachCompleteWithItsOwnBytes() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().recordLimit(0).start();
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofMinutes(2))) {
            Soak.measure("client outstanding", OUTSTANDING + " sends of 1..512 B outstanding", () -> {
                SplittableRandom random = new SplittableRandom(21);
                List<byte[]> payloads = new ArrayList<>();
                List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
                for (int i = 0; i < OUTSTANDING; i++) {
                    byte[] payload = new byte[1 + random.nextInt(512)];
                    random.nextBytes(payload);
                    payloads.add(payload);
                    echoes.add(client.send(payload));
                }
                long lost = 0;
                for (int i = 0; i < OUTSTANDING; i++) {
                    byte[] echoed = echoes.get(i).get(2, TimeUnit.MINUTES);
                    assertArrayEquals(payloads.get(i), echoed, "send " + i);
                    lost += payloads.get(i).length - echoed.length;
                }
                return lost;
            });
        }
    }

    @Test
    void aVeryLargePayloadComesBackWhole() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().recordLimit(0).start();
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofMinutes(2))) {
            Soak.measure("client large payload", "one send of " + Soak.size(LARGE), () -> {
                byte[] payload = new byte[LARGE];
                new SplittableRandom(22).nextBytes(payload);
                byte[] expected = MessageDigest.getInstance("SHA-256").digest(payload);
                byte[] echoed = client.send(payload).get(2, TimeUnit.MINUTES);
                assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(echoed));
                return payload.length - echoed.length;
            });
        }
    }

    @Test
    void sixteenThreadsSendingAtOnceEachSeeTheirSendsCompleteInTheirOrder() throws Exception {
        ExecutorService threads = Soak.threads("client-senders", THREADS);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().recordLimit(0).start();
             EchoClient client = EchoClient.connect(server.uri(), Duration.ofMinutes(2))) {
            Soak.measure("client threads", THREADS + " threads x " + SENDS_PER_THREAD + " sends", () -> {
                AtomicInteger outOfOrder = new AtomicInteger();
                List<CompletableFuture<Long>> senders = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    senders.add(CompletableFuture.supplyAsync(() -> {
                        SplittableRandom random = new SplittableRandom(thread);
                        List<CompletableFuture<byte[]>> mine = new ArrayList<>();
                        List<byte[]> payloads = new ArrayList<>();
                        for (int i = 0; i < SENDS_PER_THREAD; i++) {
                            byte[] payload = new byte[1 + random.nextInt(8 * 1024)];
                            random.nextBytes(payload);
                            payloads.add(payload);
                            CompletableFuture<byte[]> before = i == 0 ? null : mine.get(i - 1);
                            CompletableFuture<byte[]> echo = client.send(payload);
                            echo.whenComplete((r, e) -> {
                                if (before != null && !before.isDone()) {
                                    outOfOrder.incrementAndGet();
                                }
                            });
                            mine.add(echo);
                        }
                        long lost = 0;
                        for (int i = 0; i < SENDS_PER_THREAD; i++) {
                            byte[] echoed = mine.get(i).join();
                            assertArrayEquals(payloads.get(i), echoed, "thread " + thread + " send " + i);
                            lost += payloads.get(i).length - echoed.length;
                        }
                        return lost;
                    }, threads));
                }
                long lost = 0;
                for (CompletableFuture<Long> sender : senders) {
                    lost += sender.get(2, TimeUnit.MINUTES);
                }
                assertTrue(outOfOrder.get() == 0, outOfOrder.get() + " sends completed before an earlier send of their thread");
                return lost;
            });
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aSilentServerFailsEachClientWithATimeoutWithinItsDeadlineAndClosesIt() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        int clients = Soak.scale(8, 50);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start()) {
            Soak.measure("client silent server", clients + " clients, time-out 500 ms", () -> {
                List<EchoClient> all = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    all.add(EchoClient.connect(server.uri(), timeout));
                }
                List<CompletableFuture<byte[]>> sends = new ArrayList<>();
                long start = System.nanoTime();
                for (EchoClient client : all) {
                    sends.add(client.send(new byte[100]));
                }
                long[] earliest = {Long.MAX_VALUE};
                for (CompletableFuture<byte[]> send : sends) {
                    send.whenComplete((r, e) -> {
                        synchronized (earliest) {
                            earliest[0] = Math.min(earliest[0], System.nanoTime());
                        }
                    });
                }
                for (CompletableFuture<byte[]> send : sends) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> send.get(30, TimeUnit.SECONDS));
                    assertInstanceOf(TimeoutException.class, e.getCause());
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                long first;
                synchronized (earliest) {
                    first = TimeUnit.NANOSECONDS.toMillis(earliest[0] - start);
                }
                Soak.note("all " + clients + " failed with TimeoutException, the first after " + first + " ms, the last after "
                        + millis + " ms");
                assertTrue(first >= timeout.toMillis() - 50, "a time-out before the deadline: " + first + " ms");
                // the deadline is a promise not to fail earlier; how much later depends on the machine's load
                assertTrue(millis < timeout.toMillis() + 5_000, "time-outs took " + millis + " ms");
                for (EchoClient client : all) {
                    Await.until(Duration.ofSeconds(5), () -> !client.isOpen(), () -> "closed after its time-out: " + client);
                    client.close();
                }
                return -1;
            });
        }
    }

    @Test
    void aServerThatGoesAwayFailsOutstandingAndLaterSendsWithEof() throws Exception {
        int clients = Soak.scale(8, 50);
        EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).start();
        List<EchoClient> all = new ArrayList<>();
        try {
            Soak.measure("client server gone", clients + " clients with a send outstanding; server.close()", () -> {
                List<CompletableFuture<byte[]>> sends = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    EchoClient client = EchoClient.connect(server.uri(), Duration.ofMinutes(1));
                    all.add(client);
                    sends.add(client.send(new byte[100]));
                }
                server.awaitConnections(clients, Duration.ofSeconds(30));
                server.close();
                for (int i = 0; i < clients; i++) {
                    int index = i;
                    ExecutionException e = assertThrows(ExecutionException.class, () -> sends.get(index).get(30, TimeUnit.SECONDS));
                    assertInstanceOf(EOFException.class, e.getCause(), "outstanding send");
                    EchoClient client = all.get(i);
                    ExecutionException later = assertThrows(ExecutionException.class,
                            () -> client.send("later").get(30, TimeUnit.SECONDS));
                    assertInstanceOf(EOFException.class, later.getCause(), "later send");
                }
                return -1;
            });
        } finally {
            server.close();
            for (EchoClient client : all) {
                client.close();
            }
        }
    }
}
