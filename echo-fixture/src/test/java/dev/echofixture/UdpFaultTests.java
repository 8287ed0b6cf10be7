package dev.echofixture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP loss, duplication and reordering: the peer sees exactly the datagrams the faults say (one
 * missing, one twice, two swapped), each is listed in the connection's faults, and the same seed
 * replays the same faults.
 */
@Timeout(60)
class UdpFaultTests {

    private static final Duration RECEIVE = Duration.ofSeconds(5);
    private static final Duration AWAIT = Duration.ofSeconds(5);
    private static final Pattern DROPPED = Pattern.compile("datagram (\\d+) dropped \\(udpLoss\\)");

    private static EmbeddedEchoServer udp(EchoBehavior behavior, long seed) {
        return EmbeddedEchoServer.builder().transport(Transport.UDP).behavior(behavior).seed(seed).start();
    }

    private static byte[] text(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aLostDatagramIsNotEchoedAndIsListed() {
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().udpLoss(1.0), 1);
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            peer.send(text("gone"));
            EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
            connection.awaitReceived("gone", AWAIT);

            peer.expectNothingWithin(Duration.ofMillis(300));
            assertEquals(List.of("datagram 0 dropped (udpLoss)"), connection.faults());
        }
    }

    @Test
    void lossAtARateDropsExactlyTheListedDatagramsAndReplaysFromTheSeed() {
        List<String> first = lossRun(42);
        List<String> second = lossRun(42);
        assertEquals(first, second, "the same seed drops the same datagrams");
        assertTrue(!first.isEmpty() && first.size() < 30, "some, not all, of 30 dropped at 0.3: " + first);
    }

    /** Sends 30 datagrams one by one; asserts the echoes are exactly those not listed as dropped. */
    private static List<String> lossRun(long seed) {
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().udpLoss(0.3), seed);
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            StringBuilder sent = new StringBuilder();
            EchoConnection connection = null;
            for (int i = 0; i < 30; i++) {
                String payload = "d" + i + ";";
                peer.send(text(payload));
                sent.append(payload);
                if (connection == null) {
                    connection = server.awaitConnections(1, AWAIT).get(0);
                }
                connection.awaitReceived(sent.toString(), AWAIT);
            }
            List<String> faults = connection.faults();
            List<Integer> dropped = new ArrayList<>();
            for (String fault : faults) {
                Matcher m = DROPPED.matcher(fault);
                assertTrue(m.matches(), fault);
                dropped.add(Integer.parseInt(m.group(1)));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                if (!dropped.contains(i)) {
                    expected.add("d" + i + ";");
                }
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                received.add(new String(peer.receive(RECEIVE), UTF_8));
            }
            assertEquals(expected, received);
            peer.expectNothingWithin(Duration.ofMillis(100));
            return faults;
        }
    }

    @Test
    void aDuplicatedDatagramArrivesTwice() {
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().udpDuplication(1.0), 1);
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            peer.send(text("twice"));

            assertEquals("twice", new String(peer.receive(RECEIVE), UTF_8));
            assertEquals("twice", new String(peer.receive(RECEIVE), UTF_8));
            peer.expectNothingWithin(Duration.ofMillis(200));
            assertEquals(List.of("datagram 0 duplicated (udpDuplication)"), server.connections().get(0).faults());
        }
    }

    @Test
    void aReorderedDatagramArrivesAfterTheNextOne() {
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().udpReordering(1.0), 1);
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            peer.send(text("first"));
            EchoConnection connection = server.awaitConnections(1, AWAIT).get(0);
            connection.awaitReceived("first", AWAIT);
            peer.send(text("second"));

            assertEquals("second", new String(peer.receive(RECEIVE), UTF_8));
            assertEquals("first", new String(peer.receive(RECEIVE), UTF_8));
            assertEquals(List.of("datagram 0 reordered: echoed after datagram 1 (udpReordering)"), connection.faults());
        }
    }

    @Test
    void aHeldDatagramGoesAloneWhenNoneFollows() {
        try (EmbeddedEchoServer server = udp(EchoBehavior.echo().udpReordering(1.0), 1);
             UdpPeer peer = UdpPeer.connectedTo(server.address())) {
            peer.send(text("alone"));

            assertEquals("alone", new String(peer.receive(RECEIVE), UTF_8));
            assertEquals(List.of("datagram 0 held for reordering, echoed alone after 200ms: no datagram followed (udpReordering)"),
                    server.connections().get(0).faults());
        }
    }

    @Test
    void streamFaultsAreRejectedOnUdpNamingTheSetting() {
        SettingException e = assertThrows(SettingException.class,
                () -> udp(EchoBehavior.echo().corruptAt(3), 1).close());
        assertEquals("corruptAt", e.setting());
        assertThrows(SettingException.class, () -> udp(EchoBehavior.echo().slowClose(Duration.ofMillis(5)), 1).close());
    }

    @Test
    void datagramFaultsAreRejectedOnStreamsNamingTheSetting() {
        SettingException e = assertThrows(SettingException.class,
                () -> EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().udpLoss(0.5)).start().close());
        assertEquals("udpLoss", e.setting());
        assertTrue(e.getMessage().contains("transport TCP"), e.getMessage());
    }
}
