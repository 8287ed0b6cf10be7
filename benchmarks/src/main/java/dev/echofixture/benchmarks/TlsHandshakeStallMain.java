package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much handshakes stall an established TLS connection of the same server: the round trip
 * of 64 B on one established connection, first alone, then while 8 clients handshake over and
 * over (connect, handshake, one echo, close), for the given seconds each; prints p50, p99 and
 * the worst round trip of each phase, and the handshakes done.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.echofixture.benchmarks.TlsHandshakeStallMain [seconds]
 * </pre>
 */
public final class TlsHandshakeStallMain {

    private static final int HANDSHAKERS = 8;

    private TlsHandshakeStallMain() {
    }

    /**
     * Runs both phases and prints one line each.
     *
     * @param args {@code [seconds]} per phase (default 10)
     * @throws Exception if an echo fails
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        byte[] ping = new byte[64];
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).start();
             EchoClient established = server.newClient()) {
            roundTrips(established, ping, 2); // warm-up
            print("alone", roundTrips(established, ping, seconds), 0);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong handshakes = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < HANDSHAKERS; i++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        try (EchoClient client = EchoClient.connect(server.uri(), server.sslContextForClients())) {
                            client.send(ping).get(10, TimeUnit.SECONDS);
                            handshakes.incrementAndGet();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, "handshaker-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            long[] loaded = roundTrips(established, ping, seconds);
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            print(HANDSHAKERS + " handshaking", loaded, handshakes.get() / (double) seconds);
        }
    }

    private static long[] roundTrips(EchoClient client, byte[] ping, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] times = new long[1 << 20];
        int n = 0;
        while (System.nanoTime() < end && n < times.length) {
            long start = System.nanoTime();
            client.send(ping).get(10, TimeUnit.SECONDS);
            times[n++] = System.nanoTime() - start;
        }
        return Arrays.copyOf(times, n);
    }

    private static void print(String phase, long[] times, double handshakesPerSecond) {
        Arrays.sort(times);
        System.out.printf("%-16s round trips %7d  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms%s%n", phase, times.length,
                times[times.length / 2] / 1e6, times[(int) (times.length * 0.99)] / 1e6, times[times.length - 1] / 1e6,
                handshakesPerSecond > 0 ? String.format("  (%.0f handshakes/s)", handshakesPerSecond) : "");
    }
}
