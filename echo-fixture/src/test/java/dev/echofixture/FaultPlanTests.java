package dev.echofixture;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fault plans: every rule and step, seen by a real client on loopback, and every misuse. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultPlanTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] TWENTY = "0123456789abcdefghij".getBytes(US_ASCII);

    /** What a client read before the stream ended, and how it ended: "eof", "reset" or "timeout". */
    private record Outcome(byte[] bytes, String end) {
        String text() {
            return new String(bytes, US_ASCII);
        }
    }

    private static Outcome sendAndReadToEnd(EmbeddedEchoServer server, byte[] payload, int timeoutMillis) throws IOException {
        return sendAndRead(server, payload, timeoutMillis, 10_000);
    }

    /** Reads until the stream ends, the read times out, or {@code max} bytes came back. */
    private static Outcome sendAndRead(EmbeddedEchoServer server, byte[] payload, int timeoutMillis, int max) throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.socketAddress();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(payload);
            return readToEnd(socket.getInputStream(), max);
        }
    }

    private static Outcome readToEnd(InputStream in, int max) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        while (got.size() < max) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return new Outcome(got.toByteArray(), "timeout");
            } catch (SocketException e) {
                return new Outcome(got.toByteArray(), "reset");
            }
            if (n < 0) {
                return new Outcome(got.toByteArray(), "eof");
            }
            got.write(buffer, 0, n);
        }
        return new Outcome(got.toByteArray(), "max");
    }

    @Test
    void theFirstTwoConnectionsAreResetAfterTenBytesAndTheThirdEchoes() throws Exception {
        FaultPlan plan = FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(10));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            for (int i = 0; i < 2; i++) {
                Outcome outcome = sendAndReadToEnd(server, TWENTY, 5_000);
                assertEquals("0123456789", outcome.text(), "connection " + (i + 1));
                assertEquals("reset", outcome.end(), "connection " + (i + 1));
            }
            InetSocketAddress address = (InetSocketAddress) server.socketAddress();
            try (Socket third = new Socket(address.getAddress(), address.getPort())) {
                third.setSoTimeout(5_000);
                third.getOutputStream().write(TWENTY);
                assertArrayEquals(TWENTY, third.getInputStream().readNBytes(TWENTY.length));
            }
            List<EchoConnection> connections = server.awaitConnections(3, WAIT);
            assertEquals(List.of("EchoBehavior.echo().resetAfter(10) (plan: first 2)", "reset after 10 bytes echoed (plan: first 2)"),
                    connections.get(1).faults());
            assertEquals(List.of(), connections.get(2).faults());
            assertTrue(connections.get(0).toString().contains("faults [EchoBehavior.echo().resetAfter(10) (plan: first 2)"),
                    connections.get(0).toString());
        }
    }

    @Test
    void nthAndEveryPickByAcceptOrderAndTheRestFollowTheServer() throws Exception {
        FaultPlan plan = FaultPlan.connections()
                .nth(2, EchoBehavior.echo().closeAfter(4))
                .every(3, EchoBehavior.echo().silent());
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                outcomes.add(sendAndReadToEnd(server, "hello".getBytes(US_ASCII), i % 3 == 2 ? 300 : 5_000));
            }
            // connections 1, 4, 5 echo until the client's read times out (the server keeps them open)
            assertEquals("hell", outcomes.get(1).text());
            assertEquals("eof", outcomes.get(1).end());
            for (int i : new int[] {2, 5}) {
                assertEquals("", outcomes.get(i).text(), "connection " + (i + 1) + " is silent");
            }
            List<EchoConnection> connections = server.awaitConnections(6, WAIT);
            connections.get(5).awaitReceived("hello", WAIT);
            assertEquals(0, connections.get(5).bytesSent());
            assertEquals(List.of("EchoBehavior.echo().silent() (plan: every 3)"), connections.get(2).faults());
        }
    }

    @Test
    void aSwitchAtRunTimeChangesTheConnectionsNoRulePickedOnly() throws Exception {
        FaultPlan plan = FaultPlan.connections().first(1, EchoBehavior.echo());
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            InetSocketAddress address = (InetSocketAddress) server.socketAddress();
            try (Socket planned = new Socket(address.getAddress(), address.getPort());
                 Socket other = new Socket(address.getAddress(), address.getPort())) {
                planned.setSoTimeout(5_000);
                server.awaitConnections(2, WAIT);
                server.behavior(EchoBehavior.echo().silent());
                planned.getOutputStream().write(TWENTY);
                assertArrayEquals(TWENTY, planned.getInputStream().readNBytes(TWENTY.length));
                other.getOutputStream().write(TWENTY);
                EchoConnection second = server.connections().get(1);
                second.awaitReceived(new String(TWENTY, US_ASCII), WAIT);
                assertEquals(0, second.bytesSent());
            }
        }
    }

    @Test
    void theSameSeedPicksTheSameConnectionsWithAProbability() throws Exception {
        FaultPlan plan = FaultPlan.connections().withProbability(0.5, EchoBehavior.echo().closeAfter(0));
        List<Boolean> first = picks(plan, 42);
        assertEquals(first, picks(plan, 42));
        assertTrue(first.contains(true) && first.contains(false), first.toString());
        assertNotEquals(first, picks(plan, 7));
    }

    private static List<Boolean> picks(FaultPlan plan, long seed) throws Exception {
        List<Boolean> picked = new ArrayList<>();
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).seed(seed).start()) {
            for (int i = 0; i < 12; i++) {
                Outcome outcome = sendAndRead(server, "x".getBytes(US_ASCII), 5_000, 1);
                picked.add(outcome.bytes().length == 0);
            }
            List<EchoConnection> connections = server.awaitConnections(12, WAIT);
            for (int i = 0; i < 12; i++) {
                assertEquals(picked.get(i), !connections.get(i).faults().isEmpty(), connections.get(i).toString());
            }
        }
        return picked;
    }

    @Test
    void aByteStepSplitsTheStreamExactly() throws Exception {
        FaultPlan plan = FaultPlan.connections()
                .every(1, FaultSteps.startWith(EchoBehavior.echo()).afterBytes(5, EchoBehavior.echo().silent()));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            Outcome outcome = sendAndReadToEnd(server, TWENTY, 500);
            assertEquals("01234", outcome.text());
            EchoConnection connection = server.awaitConnections(1, WAIT).get(0);
            connection.awaitReceived(new String(TWENTY, US_ASCII), WAIT);
            assertEquals(5, connection.bytesSent());
            assertEquals("after 5 bytes: EchoBehavior.echo().silent() (plan: every 1)", connection.faults().get(1));
        }
    }

    @Test
    void aByteStepToAResetEndsTheConnectionThere() throws Exception {
        FaultPlan plan = FaultPlan.connections()
                .first(1, FaultSteps.startWith(EchoBehavior.echo()).afterBytes(12, EchoBehavior.echo().resetAfter(0)));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            Outcome outcome = sendAndReadToEnd(server, TWENTY, 5_000);
            assertEquals("0123456789ab", outcome.text());
            assertEquals("reset", outcome.end());
        }
    }

    @Test
    void aTimeStepSwitchesDuringTheConnection() throws Exception {
        FaultPlan plan = FaultPlan.connections()
                .first(1, FaultSteps.startWith(EchoBehavior.echo()).after(Duration.ofMillis(200), EchoBehavior.echo().resetAfter(0)));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start()) {
            InetSocketAddress address = (InetSocketAddress) server.socketAddress();
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(TWENTY);
                assertArrayEquals(TWENTY, socket.getInputStream().readNBytes(TWENTY.length));
                Outcome rest = readToEnd(socket.getInputStream(), 1000); // blocks until the step resets it
                assertEquals("reset", rest.end());
            }
            EchoConnection connection = server.awaitConnections(1, WAIT).get(0);
            assertEquals(List.of("EchoBehavior.echo() (plan: first 1)", "after 200ms: EchoBehavior.echo().resetAfter(0) (plan: first 1)",
                    "reset after 20 bytes echoed (plan: first 1)"), connection.faults());
        }
    }

    @Test
    void overUdpEachPeerCountsInTheOrderOfItsFirstDatagram() throws Exception {
        FaultPlan plan = FaultPlan.connections().first(1, EchoBehavior.echo().silent());
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP).faultPlan(plan).start();
             UdpPeer first = UdpPeer.connectedTo((InetSocketAddress) server.socketAddress());
             UdpPeer second = UdpPeer.connectedTo((InetSocketAddress) server.socketAddress())) {
            first.send("one".getBytes(US_ASCII));
            server.awaitConnections(1, WAIT).get(0).awaitReceived("one", WAIT);
            second.send("two".getBytes(US_ASCII));
            assertArrayEquals("two".getBytes(US_ASCII), second.receive(WAIT));
            assertEquals(0, server.connections().get(0).bytesSent());
            assertEquals(List.of("EchoBehavior.echo().silent() (plan: first 1)"), server.connections().get(0).faults());
        }
    }

    @Test
    void misuseFailsNamingTheSetting() {
        EchoBehavior reset = EchoBehavior.echo().resetAfter(1);
        assertEquals("withProbability", assertThrows(SettingException.class,
                () -> FaultPlan.connections().withProbability(1.5, reset)).setting());
        assertEquals("nth", assertThrows(SettingException.class, () -> FaultPlan.connections().nth(-1, reset)).setting());
        assertEquals("first", assertThrows(SettingException.class, () -> FaultPlan.connections().first(0, reset)).setting());
        SettingException covered = assertThrows(SettingException.class,
                () -> FaultPlan.connections().first(3, reset).nth(2, EchoBehavior.echo()));
        assertEquals("nth", covered.setting());
        assertTrue(covered.getMessage().contains("'first 3' already picks"), covered.getMessage());
        assertEquals("every", assertThrows(SettingException.class,
                () -> FaultPlan.connections().every(2, reset).every(4, reset)).setting());
        assertEquals("withProbability", assertThrows(SettingException.class,
                () -> FaultPlan.connections().withProbability(0, reset)).setting());
        assertEquals("afterBytes", assertThrows(SettingException.class,
                () -> FaultSteps.startWith(EchoBehavior.echo().resetAfter(10)).afterBytes(11, EchoBehavior.echo())).setting());
        assertEquals("after", assertThrows(SettingException.class,
                () -> FaultSteps.startWith(EchoBehavior.echo()).after(Duration.ofMillis(5), reset)
                        .after(Duration.ofMillis(5), reset)).setting());
        SettingException udp = assertThrows(SettingException.class, () -> EmbeddedEchoServer.builder().transport(Transport.UDP)
                .faultPlan(FaultPlan.connections().first(1, reset)).start());
        assertEquals("faultPlan", udp.setting());
        assertTrue(udp.getMessage().contains("'first 1' with resetAfter: 1"), udp.getMessage());
        assertEquals("faultPlan", assertThrows(SettingException.class, () -> EmbeddedEchoServer.builder().transport(Transport.UDP)
                .faultPlan(FaultPlan.connections().first(1, FaultSteps.startWith(EchoBehavior.echo())
                        .after(Duration.ofMillis(5), EchoBehavior.echo().silent()))).start()).setting());
    }

    @Test
    void plansAreValuesThatReadLikeTheirCode() {
        FaultPlan a = FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(10));
        assertEquals(a, FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(10)));
        assertEquals(a.hashCode(), FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(10)).hashCode());
        assertEquals("FaultPlan.connections().first(2, startWith(EchoBehavior.echo().resetAfter(10)))", a.toString());
        assertTrue(FaultPlan.connections().isEmpty());
    }
}
