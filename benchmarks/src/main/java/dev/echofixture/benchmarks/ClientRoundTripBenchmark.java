package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * {@link EchoClient} against an {@link EmbeddedEchoServer} in the same JVM, over TCP on
 * loopback: one send and its echo at a time ({@code roundTrip}, messages per second; its
 * inverse is the round-trip time), and {@value #PIPELINE} sends outstanding at once
 * ({@code pipelined}, messages per second). With {@code size=65536}, multiply by 64 KiB for
 * the throughput in bytes. Every echo is checked against what was sent.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClientRoundTripBenchmark
 * java -jar benchmarks/target/benchmarks.jar ClientRoundTripBenchmark -p size=64 -bm sample -tu us
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class ClientRoundTripBenchmark {

    /** Sends outstanding at once in {@link #pipelined()}. */
    public static final int PIPELINE = 16;

    private static final long TIMEOUT_SECONDS = 10;

    /** Bytes per message. */
    @Param({"64", "65536"})
    public int size;

    private EmbeddedEchoServer server;
    private EchoClient client;
    private byte[] payload;

    /** Starts the server and connects the client, once per trial. */
    @Setup(Level.Trial)
    public void start() {
        payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        server = EmbeddedEchoServer.start();
        client = server.newClient();
    }

    /** Closes the client and the server. */
    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        server.close();
    }

    /**
     * Sends one message and waits for its echo.
     *
     * @return the echo
     * @throws Exception if the echo fails, times out or differs
     */
    @Benchmark
    public byte[] roundTrip() throws Exception {
        return checked(client.send(payload));
    }

    /**
     * Sends {@value #PIPELINE} messages, then waits for all their echoes (they complete in order).
     *
     * @return the last echo
     * @throws Exception if an echo fails, times out or differs
     */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public byte[] pipelined() throws Exception {
        List<CompletableFuture<byte[]>> sends = new ArrayList<>(PIPELINE);
        for (int i = 0; i < PIPELINE; i++) {
            sends.add(client.send(payload));
        }
        byte[] last = null;
        for (CompletableFuture<byte[]> send : sends) {
            last = checked(send);
        }
        return last;
    }

    private byte[] checked(CompletableFuture<byte[]> send) throws InterruptedException, ExecutionException, TimeoutException {
        byte[] echo = send.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!Arrays.equals(echo, payload)) {
            throw new IllegalStateException("echo differs from what was sent: " + Arrays.toString(Arrays.copyOf(echo, 8)));
        }
        return echo;
    }
}
