package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.trafficReports;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Transport;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The faults on the extension's surfaces: the {@code @EchoServer} attributes map onto the
 * behaviour, bad ones name the attribute, the extension's builder takes a behaviour with faults,
 * and the failure report lists each connection's faults.
 */
@Timeout(60)
class FaultAttributeTests {

    @SuppressWarnings("unused")
    static class Annotations {
        @EchoServer(transport = Transport.UDP, udpLoss = 0.25, udpDuplication = 0.5, udpReordering = 1)
        Object udp;
        @EchoServer(corruptRate = 0.01, corruptAt = {4, 1}, randomDataThenClose = 8, slowCloseMillis = 200)
        Object stream;
        @EchoServer(udpLoss = 1.5, transport = Transport.UDP)
        Object badLoss;
        @EchoServer(corruptAt = {-3})
        Object badOffset;
        @EchoServer(randomDataThenClose = 0)
        Object badRandomData;
        @EchoServer(slowCloseMillis = -1)
        Object badSlowClose;
        @EchoServer(transport = Transport.UDP, corruptAt = 3)
        Object corruptionOnUdp;
    }

    private static EmbeddedEchoServer start(String field) throws Exception {
        return Declaration.of(Annotations.class.getDeclaredField(field).getAnnotation(EchoServer.class),
                "field [" + field + "]", false).start(Configuration.NONE).server();
    }

    @Test
    void theFaultAttributesMapOntoTheBehaviour() throws Exception {
        try (EmbeddedEchoServer udp = start("udp"); EmbeddedEchoServer stream = start("stream")) {
            assertEquals(EchoBehavior.echo().udpLoss(0.25).udpDuplication(0.5).udpReordering(1), udp.behavior());
            assertEquals(EchoBehavior.echo().corruptRate(0.01).corruptAt(1, 4).randomDataThenClose(8)
                    .slowClose(Duration.ofMillis(200)), stream.behavior());
        }
    }

    @Test
    void aBadFaultAttributeIsNamedInTheAnnotationsTerms() {
        assertMessage("badLoss", "udpLoss: 1.5 (expected: 0.0 to 1.0, such as 0.1); fix the attribute");
        assertMessage("badOffset", "corruptAt: [-3] (expected: byte offsets >= 0); fix the attribute");
        assertMessage("badRandomData", "randomDataThenClose: 0 (expected: >= 1, -1 for none); fix the attribute");
        assertMessage("badSlowClose", "slowCloseMillis: -1 (expected: 0 to 3600000); fix the attribute");
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class, () -> start("corruptionOnUdp"));
        assertTrue(e.getMessage().startsWith("@EchoServer on field [corruptionOnUdp]: corruptAt: "), e.getMessage());
    }

    private static void assertMessage(String field, String expected) {
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class, () -> start(field));
        assertEquals("@EchoServer on field [" + field + "]: " + expected, e.getMessage());
    }

    @Test
    void theFailureReportListsEachConnectionsFaults() {
        EngineExecutionResults results = execute(CorruptedAndFailingTestCase.class, BuilderTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
        List<Map<String, String>> reports = trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        assertEquals("EchoBehavior.echo().corruptAt(1)", reports.get(0).get("echo-server.behavior"));
        String connection = reports.get(0).get("echo-server.connection-1");
        assertTrue(connection.endsWith(", faults: byte 1 corrupted: 0x65 -> 0x9a (corruptAt)"), connection);
        assertServersClosed(results);
    }

    static byte[] roundTrip(EmbeddedEchoServer server, String text) throws Exception {
        byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(sent);
            InputStream in = socket.getInputStream();
            return in.readNBytes(sent.length);
        }
    }

    static class CorruptedAndFailingTestCase {

        @Test
        @EchoServer(corruptAt = 1)
        void readsTheChangedByteAndFails(EmbeddedEchoServer server) throws Exception {
            assertArrayEquals(new byte[] {'h', (byte) ~'e', 'y'}, roundTrip(server, "hey"));
            server.awaitConnections(1, Duration.ofSeconds(10));
            fail("fails on purpose");
        }
    }

    static class BuilderTestCase {

        @RegisterExtension
        static final EchoServerExtension ECHO = EchoServerExtension.builder()
                .behavior(EchoBehavior.echo().corruptAt(0))
                .build();

        @Test
        void theBuildersBehaviourCarriesTheFault(EmbeddedEchoServer server) throws Exception {
            assertArrayEquals(new byte[] {(byte) ~'o', 'k'}, roundTrip(server, "ok"));
        }
    }
}
