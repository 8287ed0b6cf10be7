package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.echofixture.internal.client.DatagramSession;
import dev.echofixture.internal.util.SocketUris;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client over Unix-domain sockets, UDP and IPv6 loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoClientTransportTests {

    private static final long WAIT = 20;

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void echoesOverAUnixDomainSocket() throws Exception {
        try (TestPeer peer = TestPeer.stream(Transport.UNIX, null, TestPeer::echo);
             EchoClient client = EchoClient.connect(peer.uri())) {
            assertInstanceOf(UnixDomainSocketAddress.class, client.remoteAddress());
            assertEquals("EchoClient[" + peer.uri() + ", open, 0 sends outstanding]", client.toString());
            byte[] big = random(4 << 20, 1);
            CompletableFuture<byte[]> first = client.send(big);
            CompletableFuture<String> second = client.send("after the big one");
            assertArrayEquals(big, first.get(WAIT, TimeUnit.SECONDS));
            assertEquals("after the big one", second.get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void connectsToIpv6Loopback() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(ipv6Available(v6), "no IPv6 loopback on this machine");
        try (TestPeer peer = TestPeer.stream(Transport.TCP, v6, TestPeer::echo);
             EchoClient client = EchoClient.connect(peer.uri())) {
            assertTrue(peer.uri().toString().startsWith("tcp://["), peer.uri().toString());
            assertInstanceOf(Inet6Address.class, ((InetSocketAddress) client.remoteAddress()).getAddress());
            assertEquals("v6", client.send("v6").get(WAIT, TimeUnit.SECONDS));
        }
    }

    private static boolean ipv6Available(InetAddress v6) {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(v6, 0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void sendsEachPayloadAsOneDatagramAndCompletesInOrder() throws Exception {
        try (TestPeer peer = TestPeer.udpEcho();
             EchoClient client = EchoClient.connect(peer.uri())) {
            List<byte[]> payloads = new ArrayList<>();
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] payload = random(1 + i * 97, i);
                payloads.add(payload);
                futures.add(client.send(payload));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(payloads.get(i), futures.get(i).get(WAIT, TimeUnit.SECONDS), "datagram #" + i);
            }
            byte[] largest = random(DatagramSession.MAX_DATAGRAM, 99);
            assertArrayEquals(largest, client.send(largest).get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLostDatagramFailsTheClientInsteadOfShiftingEchoesToTheWrongSend() throws Exception {
        try (TestPeer lossy = TestPeer.udpEcho(1);
             EchoClient client = EchoClient.connect(lossy.uri())) {
            CompletableFuture<String> lost = client.send("first");
            CompletableFuture<String> echoed = client.send("other");
            ExecutionException e = assertThrows(ExecutionException.class, () -> lost.get(WAIT, TimeUnit.SECONDS));
            assertInstanceOf(java.net.ProtocolException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("lost"), e.getCause().getMessage());
            assertInstanceOf(java.net.ProtocolException.class,
                    assertThrows(ExecutionException.class, () -> echoed.get(WAIT, TimeUnit.SECONDS)).getCause());
            assertFalse(client.isOpen());
        }
    }

    @Test
    void rejectsAPayloadLargerThanOneDatagramNamingItsSize() throws Exception {
        try (TestPeer peer = TestPeer.udpEcho();
             EchoClient client = EchoClient.connect(peer.uri())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.send(new byte[65_508]));
            assertTrue(e.getMessage().contains("65508"), e.getMessage());
            assertTrue(e.getMessage().contains("65507"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> client.send(ByteBuffer.allocate(70_000)));
            assertTrue(client.isOpen());
        }
    }

    @Test
    void udpTimesOutWhenNothingComesBack() throws Exception {
        try (DatagramChannel blackHole = DatagramChannel.open()) {
            blackHole.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI uri = SocketUris.uri(Transport.UDP, blackHole.getLocalAddress());
            try (EchoClient client = EchoClient.connect(uri, Duration.ofMillis(200))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> client.send("lost").get(WAIT, TimeUnit.SECONDS));
                assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
                assertTrue(e.getCause().getMessage().startsWith(uri.toString()), e.getCause().getMessage());
                assertFalse(client.isOpen());
            }
        }
    }

    @Test
    void udpToAPortWithoutServerFailsWithPortUnreachable() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // free on TCP; most likely free on UDP too
        }
        URI uri = URI.create("udp://127.0.0.1:" + port);
        try (EchoClient client = EchoClient.connect(uri, Duration.ofSeconds(5))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.send("anyone?").get(WAIT, TimeUnit.SECONDS));
            // loopback answers with ICMP port unreachable; a firewall that drops it gives a time-out
            assertTrue(e.getCause() instanceof PortUnreachableException
                    || e.getCause() instanceof java.util.concurrent.TimeoutException, e.getCause().toString());
            assertTrue(e.getCause().getMessage().startsWith(uri.toString()), e.getCause().getMessage());
        }
    }
}
