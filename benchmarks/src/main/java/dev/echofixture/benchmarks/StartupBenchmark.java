package dev.echofixture.benchmarks;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a test pays per fixture in a warm JVM: {@code start()} + {@code close()} of an
 * {@link EmbeddedEchoServer} for each transport, beside its floors in the same class and run:
 * {@link #floor()} is the bare {@code ServerSocketChannel} open + bind + close that issue 9's
 * targets are ratios to (median &lt;= 3x, p90 &lt;= 6x, for every transport); {@link #floorUdp()}
 * and {@link #floorUnix()} are the bare equivalents of the other transports, for scale. Every
 * inet benchmark binds 127.0.0.1 on an ephemeral port. Read the SampleTime percentiles
 * ({@code p0.50}, {@code p0.90}); {@code benchmarks/run-all.sh} runs this class in several
 * rounds and prints the ratios.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar StartupBenchmark
 * java -jar benchmarks/target/benchmarks.jar 'StartupBenchmark.(floor|tcp)$'
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class StartupBenchmark {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Path unixDir;
    private UnixDomainSocketAddress unixFloorAddress;

    /**
     * Makes the folder for {@link #floorUnix()}'s socket file.
     *
     * @throws IOException if it cannot
     */
    @Setup(Level.Trial)
    public void makeUnixFolder() throws IOException {
        unixDir = Files.createTempDirectory("echo-fixture-bench-");
        unixFloorAddress = UnixDomainSocketAddress.of(unixDir.resolve("floor.sock"));
    }

    /**
     * Removes that folder.
     *
     * @throws IOException if it cannot
     */
    @TearDown(Level.Trial)
    public void removeUnixFolder() throws IOException {
        Files.deleteIfExists(unixFloorAddress.getPath());
        Files.deleteIfExists(unixDir);
    }

    /**
     * A default server: TCP, loopback, ephemeral port.
     *
     * @return the port it had, so that nothing is optimised away
     */
    @Benchmark
    public int tcp() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            return server.port();
        }
    }

    /**
     * A UDP server on loopback, ephemeral port.
     *
     * @return the port it had
     */
    @Benchmark
    public int udp() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).start()) {
            return server.port();
        }
    }

    /**
     * A UNIX server with the default socket file (a fresh file, deleted on close).
     *
     * @return its address
     */
    @Benchmark
    public SocketAddress unix() {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UNIX).start()) {
            return server.socketAddress();
        }
    }

    /**
     * The floor of the targets: opens a {@code ServerSocketChannel}, binds 127.0.0.1 on an
     * ephemeral port, closes it.
     *
     * @return the bound address
     * @throws IOException if the bind fails
     */
    @Benchmark
    public SocketAddress floor() throws IOException {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(LOOPBACK_ANY_PORT);
            return channel.getLocalAddress();
        }
    }

    /**
     * The UDP equivalent, for scale: opens a {@code DatagramChannel}, binds, closes.
     *
     * @return the bound address
     * @throws IOException if the bind fails
     */
    @Benchmark
    public SocketAddress floorUdp() throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(LOOPBACK_ANY_PORT);
            return channel.getLocalAddress();
        }
    }

    /**
     * The UNIX equivalent, for scale: opens a UNIX {@code ServerSocketChannel}, binds a socket
     * file in a folder made once, closes it and deletes the file.
     *
     * @return the bound address
     * @throws IOException if the bind fails
     */
    @Benchmark
    public SocketAddress floorUnix() throws IOException {
        SocketAddress bound;
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(unixFloorAddress);
            bound = channel.getLocalAddress();
        }
        Files.delete(unixFloorAddress.getPath());
        return bound;
    }
}
