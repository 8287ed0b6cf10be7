package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Soak: the test acts on the server while traffic flows: switches its behaviour over and over,
 * closes or resets its connections. Nothing is lost or reordered that the server took on.
 * Scale: see {@link Soak}.
 */
@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
class SoakSwitchTests {

    static final int PEERS = SoakFaultTests.PEERS;
    static final int VOLUME = SoakFaultTests.VOLUME;
    static final int SWITCHES = Soak.scale(200, 1_000);

    private static final List<EchoBehavior> BEHAVIORS = List.of(
            EchoBehavior.echo(),
            EchoBehavior.echo().chunkSize(4096),
            EchoBehavior.echo().latency(Duration.ofMillis(1)),
            EchoBehavior.echo().latency(Duration.ofMillis(1)).jitter(Duration.ofMillis(2)),
            EchoBehavior.echo().bandwidth(64L * 1024 * 1024),
            EchoBehavior.echo().chunkSize(16 * 1024).bandwidth(32L * 1024 * 1024));

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void behaviourSwitchedOverAndOverWhileTrafficFlowsLosesAndReordersNothing(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).seed(5).start()) {
            ExecutorService threads = Soak.threads("switch", 2 * PEERS);
            List<SoakStream> streams = new ArrayList<>();
            try {
                Soak.measure("behaviour switched " + transport, SWITCHES + " switches, " + PEERS + " peers x "
                        + Soak.size(VOLUME), () -> {
                    List<CompletableFuture<SoakStream.Result>> results = new ArrayList<>();
                    for (int i = 0; i < PEERS; i++) {
                        SoakStream stream = SoakStream.open(server.socketAddress(), VOLUME, 500 + i, 32 * 1024, 0);
                        streams.add(stream);
                        results.add(stream.run(threads));
                    }
                    for (int i = 0; i < SWITCHES; i++) {
                        server.behavior(BEHAVIORS.get(i % BEHAVIORS.size()));
                        if (i % 10 == 0) {
                            Thread.yield();
                        }
                    }
                    server.behavior(EchoBehavior.echo());
                    long lost = 0;
                    for (int i = 0; i < PEERS; i++) {
                        SoakStream.Result result = results.get(i).get(5, TimeUnit.MINUTES);
                        lost += result.lost();
                        assertTrue(result.intact(), "stream " + i + ": sent " + result.sent() + ", read " + result.received());
                    }
                    return lost;
                });
            } finally {
                for (SoakStream stream : streams) {
                    stream.close();
                }
                threads.shutdownNow();
            }
        }
    }

    /** Half the connections are closed, half reset from the server side mid-stream; the others go on. */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX"})
    void connectionsClosedOrResetWhileTrafficFlowsEndCleanly(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).recordLimit(0).start()) {
            ExecutorService threads = Soak.threads("close-reset", 2 * PEERS);
            List<SoakStream> streams = new ArrayList<>();
            try {
                Soak.measure("connection close()/reset() " + transport, PEERS + " peers streaming, 1/3 closed, 1/3 reset", () -> {
                    List<CompletableFuture<SoakStream.Result>> results = new ArrayList<>();
                    for (int i = 0; i < PEERS; i++) {
                        SoakStream stream = SoakStream.open(server.socketAddress(), VOLUME, 900 + i, 32 * 1024, 0);
                        streams.add(stream);
                        server.awaitConnections(i + 1, Duration.ofSeconds(30));
                        results.add(stream.run(threads));
                    }
                    List<EchoConnection> views = server.connections();
                    for (int i = 0; i < PEERS; i++) {
                        EchoConnection view = views.get(i);
                        Await.until(Duration.ofSeconds(30), () -> view.bytesSent() > 0 || !view.isOpen(), () -> "traffic on " + view);
                        if (i % 3 == 1) {
                            view.close();
                        } else if (i % 3 == 2) {
                            view.reset();
                        }
                    }
                    long lost = 0;
                    for (int i = 0; i < PEERS; i++) {
                        SoakStream.Result result = results.get(i).get(5, TimeUnit.MINUTES);
                        if (i % 3 == 0) {
                            lost += result.lost();
                            assertTrue(result.intact(), "untouched stream " + i + ": sent " + result.sent() + ", read "
                                    + result.received());
                        } else {
                            assertTrue(result.endOfStream() || result.received() == result.sent(), "stream " + i + " ended");
                            assertArrayEquals(streams.get(i).prefixHash(result.received()), result.receivedHash(),
                                    "stream " + i + ": what came back before the close is what was sent, in order");
                        }
                    }
                    return lost;
                });
            } finally {
                for (SoakStream stream : streams) {
                    stream.close();
                }
                threads.shutdownNow();
            }
        }
    }
}
