package dev.echofixture.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** Every attribute of {@link EchoServer} maps onto the builder. */
@Timeout(60)
class DeclarationTests {

    /** Annotated fields to read the annotations from; never injected (not a test class). */
    @SuppressWarnings("unused")
    static final class Annotations {
        @EchoServer(latencyMillis = 50, jitterMillis = 10, bandwidth = 100_000, chunkSize = 3, closeAfter = 100, silent = true, seed = 5)
        private static EmbeddedEchoServer conditions;

        @EchoServer(resetAfter = 7)
        private static EmbeddedEchoServer reset;

        @EchoServer
        private static EmbeddedEchoServer defaults;

        @EchoServer(recordLimit = 4)
        private static EmbeddedEchoServer smallRecording;

        @EchoServer(maxConnections = 1)
        private static EmbeddedEchoServer oneConnection;

        @EchoServer(transport = Transport.UNIX)
        private static EmbeddedEchoServer unix;

        @EchoServer(host = "no-such-host.invalid")
        private static EmbeddedEchoServer badHost;

        @EchoServer(recordLimit = -1)
        private static EmbeddedEchoServer badRecordLimit;

        @EchoServer(port = -1)
        private static EmbeddedEchoServer badPort;

        @EchoServer(maxConnections = 0)
        private static EmbeddedEchoServer badMaxConnections;

        @EchoServer(latencyMillis = -5)
        private static EmbeddedEchoServer badLatency;

        @EchoServer(jitterMillis = 3_600_001)
        private static EmbeddedEchoServer badJitter;

        @EchoServer(bandwidth = -1)
        private static EmbeddedEchoServer badBandwidth;

        @EchoServer(chunkSize = -1)
        private static EmbeddedEchoServer badChunkSize;

        @EchoServer(closeAfter = -2)
        private static EmbeddedEchoServer badCloseAfter;

        @EchoServer(resetAfter = -2)
        private static EmbeddedEchoServer badResetAfter;

        @EchoServer(transport = Transport.UDP, resetAfter = 10)
        private static EmbeddedEchoServer resetAfterOnUdp;
    }

    private static EmbeddedEchoServer start(String field) throws Exception {
        return declaration(field, false).start(Configuration.NONE).server();
    }

    private static Declaration declaration(String field, boolean parameter) throws Exception {
        return Declaration.of(Annotations.class.getDeclaredField(field).getAnnotation(EchoServer.class), "field [" + field + "]",
                parameter);
    }

    @Test
    void mapsTheNetworkConditionsOntoTheBehaviourAndTheSeed() throws Exception {
        try (EmbeddedEchoServer server = start("conditions")) {
            EchoBehavior expected = EchoBehavior.echo().latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(10))
                    .bandwidth(100_000).chunkSize(3).closeAfter(100).silent();
            assertEquals(expected, server.behavior());
            assertEquals(5, server.seed());
        }
        try (EmbeddedEchoServer server = start("reset")) {
            assertEquals(EchoBehavior.echo().resetAfter(7), server.behavior());
        }
    }

    @Test
    void defaultsArePlainEchoOnTcpLoopbackEphemeralPortWithARandomSeed() throws Exception {
        try (EmbeddedEchoServer first = start("defaults"); EmbeddedEchoServer second = start("defaults")) {
            assertEquals(EchoBehavior.echo(), first.behavior());
            assertEquals(Transport.TCP, first.transport());
            assertEquals("127.0.0.1", first.host());
            assertNotEquals(first.port(), second.port());
            assertNotEquals(first.seed(), second.seed(), "seed 0 means a random seed per server");
        }
    }

    @Test
    void recordLimitCapsTheRecordingNotTheCount() throws Exception {
        try (EmbeddedEchoServer server = start("smallRecording")) {
            assertEquals("abcdefgh", EchoTestKit.roundTrip(server, "abcdefgh"));
            EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
            assertArrayEquals("abcd".getBytes(StandardCharsets.US_ASCII), connection.received());
            assertEquals(8, connection.bytesReceived());
        }
    }

    @Test
    void maxConnectionsRejectsFurtherConnections() throws Exception {
        try (EmbeddedEchoServer server = start("oneConnection");
             Socket first = new Socket(server.host(), server.port());
             Socket second = new Socket(server.host(), server.port())) {
            assertTrue(first.isConnected() && second.isConnected());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.stats().connectionsRejected() < 1) {
                if (System.nanoTime() - deadline >= 0) {
                    fail("no connection rejected: " + server.stats());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertEquals(1, server.stats().connectionsAccepted());
        }
    }

    @Test
    void transportUnixBindsASocketFile() throws Exception {
        try (EmbeddedEchoServer server = start("unix")) {
            assertEquals(Transport.UNIX, server.transport());
            assertTrue(server.uri().toString().startsWith("unix:"), server.uri().toString());
        }
    }

    @Test
    void aBadValueNamesTheElementTheAttributeAndTheFix() throws Exception {
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class, () -> start("badRecordLimit"));
        assertEquals("@EchoServer on field [badRecordLimit]: recordLimit: -1 (expected: >= 0, 0 to record nothing);"
                + " fix the attribute", e.getMessage());
        ExtensionConfigurationException host = assertThrows(ExtensionConfigurationException.class, () -> start("badHost"));
        assertTrue(host.getMessage().startsWith("@EchoServer on field [badHost]: host: no-such-host.invalid (expected: "),
                host.getMessage());
        assertTrue(host.getMessage().endsWith("; fix the @EchoServer attributes"), host.getMessage());
    }

    /** Regression (issue 11): a negative latencyMillis read "latency: PT-0.005S"; every message names the attribute. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "badPort           | port: -1 (expected: 0 to 65535, 0 for an ephemeral port)",
        "badMaxConnections | maxConnections: 0 (expected: >= 1)",
        "badLatency        | latencyMillis: -5 (expected: 0 to 3600000)",
        "badJitter         | jitterMillis: 3600001 (expected: 0 to 3600000)",
        "badBandwidth      | bandwidth: -1 (expected: >= 0, 0 for unlimited)",
        "badChunkSize      | chunkSize: -1 (expected: >= 0, 0 for unlimited)",
        "badCloseAfter     | closeAfter: -2 (expected: >= -1, -1 for never)",
        "badResetAfter     | resetAfter: -2 (expected: >= -1, -1 for never)",
    })
    void aBadValueReadsInTheAnnotationsOwnTerms(String field, String expected) {
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class, () -> start(field));
        assertEquals("@EchoServer on field [" + field + "]: " + expected + "; fix the attribute", e.getMessage());
    }

    @Test
    void aCombinationTheTransportCannotCarryNamesTheAttribute() {
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class, () -> start("resetAfterOnUdp"));
        assertTrue(e.getMessage().startsWith("@EchoServer on field [resetAfterOnUdp]: resetAfter: 10 (expected: "), e.getMessage());
    }

    @Test
    void aBadValueOnAParameterIsAParameterResolutionException() throws Exception {
        assertThrows(ParameterResolutionException.class, () -> declaration("badRecordLimit", true));
        Declaration udpReset = declaration("resetAfterOnUdp", true);
        assertThrows(ParameterResolutionException.class, () -> udpReset.start(Configuration.NONE));
    }
}
