package dev.echofixture.benchmarks;

import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Framing;
import dev.echofixture.Match;
import dev.echofixture.Reply;
import dev.echofixture.Script;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A line-framed request and its scripted reply of the same size, beside a plain echo of that
 * line: one round trip at a time over TCP on loopback, messages per second. {@code mode=echo}
 * is a server without a script; {@code mode=rule} answers by a prefix rule; {@code mode=responder}
 * by a responder function (which returns a prepared reply, so the row shows the cost of the
 * path, not of the function). Every answer is checked.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScriptedReplyBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class ScriptedReplyBenchmark {

    private static final long TIMEOUT_SECONDS = 10;

    /** echo, rule or responder. */
    @Param({"echo", "rule", "responder"})
    public String mode;

    /** Bytes per line, its terminator included. */
    @Param({"64"})
    public int size;

    private EmbeddedEchoServer server;
    private EchoClient client;
    private byte[] request;
    private byte[] expected;

    /** Starts the server and connects the client, once per trial. */
    @Setup(Level.Trial)
    public void start() {
        request = line("GET ", size);
        byte[] answer = line("VAL ", size);
        Reply reply = Reply.bytes(answer);
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder();
        switch (mode) {
            case "echo" -> expected = request;
            case "rule" -> {
                builder.script(Script.of(Framing.lines()).on(Match.prefix("GET "), reply));
                expected = answer;
            }
            case "responder" -> {
                builder.script(Script.of(Framing.lines()).respond((message, connection) -> reply));
                expected = answer;
            }
            default -> throw new IllegalArgumentException("mode: " + mode + " (expected: echo, rule or responder)");
        }
        server = builder.start();
        client = server.newClient();
    }

    private static byte[] line(String prefix, int size) {
        byte[] line = new byte[size];
        Arrays.fill(line, (byte) 'x');
        byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, line, 0, head.length);
        line[size - 1] = '\n';
        return line;
    }

    /** Closes the client and the server. */
    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        server.close();
    }

    /**
     * Sends one line and waits for its answer.
     *
     * @return the answer
     * @throws Exception if the answer fails, times out or differs
     */
    @Benchmark
    public byte[] requestReply() throws Exception {
        byte[] answer = client.send(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!Arrays.equals(answer, expected)) {
            throw new IllegalStateException("answer differs: " + new String(answer, StandardCharsets.US_ASCII));
        }
        return answer;
    }
}
