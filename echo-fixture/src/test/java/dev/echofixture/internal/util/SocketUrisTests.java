package dev.echofixture.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.Transport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SocketUrisTests {

    @Test
    void parsesTcpAndUdpWithHostAndPort() {
        SocketUris.Parsed tcp = SocketUris.parse(URI.create("tcp://127.0.0.1:7007"));
        assertEquals(Transport.TCP, tcp.transport());
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 7007), tcp.address());
        SocketUris.Parsed udp = SocketUris.parse(URI.create("UDP://localhost:9/"));
        assertEquals(Transport.UDP, udp.transport());
        assertEquals(InetSocketAddress.createUnresolved("localhost", 9), udp.address());
    }

    @Test
    void stripsTheBracketsOfIpv6Literals() {
        InetSocketAddress address = (InetSocketAddress) SocketUris.parse(URI.create("tcp://[::1]:7007")).address();
        assertEquals("::1", address.getHostString());
        assertEquals(7007, address.getPort());
    }

    @Test
    void parsesUnixPathsInEveryForm() {
        UnixDomainSocketAddress expected = UnixDomainSocketAddress.of("/tmp/echo/echo.sock");
        assertEquals(expected, SocketUris.parse(URI.create("unix:/tmp/echo/echo.sock")).address());
        assertEquals(expected, SocketUris.parse(URI.create("unix:///tmp/echo/echo.sock")).address());
        assertEquals(UnixDomainSocketAddress.of("echo.sock"), SocketUris.parse(URI.create("unix:echo.sock")).address());
    }

    @Test
    void roundTripsWhatUriProduces() {
        InetSocketAddress v6 = new InetSocketAddress("::1", 5000);
        URI uri = SocketUris.uri(Transport.TCP, v6);
        InetSocketAddress parsed = (InetSocketAddress) SocketUris.parse(uri).address();
        assertEquals(v6, new InetSocketAddress(parsed.getHostString(), parsed.getPort()));
    }

    @Test
    void namesTheProblem() {
        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
                () -> SocketUris.parse(URI.create("tcp://127.0.0.1")));
        assertTrue(noPort.getMessage().startsWith("uri: tcp://127.0.0.1 (no port;"), noPort.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> SocketUris.parse(URI.create("http://127.0.0.1:80")));
        assertTrue(scheme.getMessage().contains("unknown scheme http"), scheme.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SocketUris.parse(null));
    }
}
