package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TLS beside plain TCP, same code, same run: an {@link EchoClient} with its own I/O thread
 * against an {@link EmbeddedEchoServer} in the same JVM, over loopback. {@code pingPong}: one
 * 64-byte message and its echo at a time (messages per second; the inverse is the round trip).
 * {@code stream}: 16 messages of 64 KiB outstanding at once (messages per second; times 64 KiB
 * for bytes per second). Every echo is compared with what was sent. {@code startClose}: a
 * server's {@code start()} + {@code close()} (the TLS one makes its certificate).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TlsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class TlsBenchmark {

    private static final int STREAM_OUTSTANDING = 16;

    /** TCP or TLS. */
    @Param({"TCP", "TLS"})
    public String transport;

    private EmbeddedEchoServer server;
    private EchoClient client;
    private final byte[] small = pattern(64);
    private final byte[] large = pattern(64 * 1024);

    /** Starts the server and connects a client with a thread of its own. */
    @Setup(Level.Trial)
    public void start() {
        server = EmbeddedEchoServer.builder().transport(Transport.valueOf(transport)).start();
        client = server.transport() == Transport.TLS
                ? EchoClient.connect(server.uri(), server.sslContextForClients())
                : EchoClient.connect(server.uri());
    }

    /** Closes the client and the server. */
    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        server.close();
    }

    /**
     * One 64-byte message and its echo.
     *
     * @return the echo
     * @throws Exception if the echo fails or differs
     */
    @Benchmark
    public byte[] pingPong() throws Exception {
        return checked(client.send(small), small);
    }

    /**
     * Sixteen 64 KiB messages outstanding, then all their echoes.
     *
     * @return the last echo
     * @throws Exception if an echo fails or differs
     */
    @Benchmark
    @OperationsPerInvocation(STREAM_OUTSTANDING)
    public byte[] stream() throws Exception {
        List<CompletableFuture<byte[]>> sends = new ArrayList<>(STREAM_OUTSTANDING);
        for (int i = 0; i < STREAM_OUTSTANDING; i++) {
            sends.add(client.send(large));
        }
        byte[] last = null;
        for (CompletableFuture<byte[]> send : sends) {
            last = checked(send, large);
        }
        return last;
    }

    /**
     * Starts and closes a server of this transport (no client).
     *
     * @return the server's port
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int startClose() {
        try (EmbeddedEchoServer s = EmbeddedEchoServer.builder().transport(Transport.valueOf(transport)).start()) {
            return s.port();
        }
    }

    private static byte[] checked(CompletableFuture<byte[]> send, byte[] sent) throws Exception {
        byte[] echo = send.get(10, TimeUnit.SECONDS);
        if (!Arrays.equals(echo, sent)) {
            throw new IllegalStateException("echo differs from what was sent");
        }
        return echo;
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
