package dev.echofixture.benchmarks;

import dev.echofixture.EmbeddedEchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a test pays per fixture in a warm JVM: {@code EmbeddedEchoServer.start()} + {@code close()}
 * (bind, start the loop thread, stop it, free the port), beside a bare {@code ServerSocketChannel}
 * bind + close on the same machine in the same run, for scale. Both bind 127.0.0.1 on an
 * ephemeral port. Read the SampleTime median ({@code p0.50}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar StartupBenchmark
 * </pre>
 */
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class StartupBenchmark {

    /**
     * Starts a default server (TCP, loopback, ephemeral port) and closes it.
     *
     * @return the port it had, so that nothing is optimised away
     */
    @Benchmark
    public int embeddedServerStartAndClose() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            return server.port();
        }
    }

    /**
     * The floor: opens a {@code ServerSocketChannel}, binds 127.0.0.1 on an ephemeral port, closes it.
     *
     * @return the bound address
     * @throws IOException if the bind fails
     */
    @Benchmark
    public SocketAddress bareServerSocketChannelBindAndClose() throws IOException {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return channel.getLocalAddress();
        }
    }
}
