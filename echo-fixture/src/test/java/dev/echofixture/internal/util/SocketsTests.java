package dev.echofixture.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.echofixture.Ipv6;
import dev.echofixture.ShortTempDir;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SocketsTests {

    @Test
    void ipv4ServerComesWithReuseAddressOnAndServesAnIpv4Client() throws Exception {
        servesOverLoopback("127.0.0.1", Inet4Address.class);
    }

    @Test
    void ipv6ServerComesWithReuseAddressOnAndServesAnIpv6Client() throws Exception {
        assumeTrue(Ipv6.loopbackAvailable(), "no IPv6 loopback here");
        servesOverLoopback("::1", Inet6Address.class);
    }

    @Test
    void unixAddressGetsUnixDomainChannels(@TempDir(factory = ShortTempDir.class) Path dir) throws Exception {
        UnixDomainSocketAddress wanted = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        try (ServerSocketChannel server = Sockets.serverFor(wanted)) {
            server.bind(wanted);
            assertEquals(wanted, server.getLocalAddress());
            echoesOnce(server, wanted);
        }
    }

    private static void servesOverLoopback(String host, Class<? extends InetAddress> family) throws Exception {
        InetSocketAddress wanted = new InetSocketAddress(InetAddress.getByName(host), 0);
        try (ServerSocketChannel server = Sockets.serverFor(wanted)) {
            // the server relies on the JDK's default: a port with connections in TIME_WAIT binds again
            assertTrue(server.getOption(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR on by default");
            server.bind(wanted);
            InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
            assertInstanceOf(family, bound.getAddress());
            echoesOnce(server, bound);
        }
    }

    /** Connects a client made by {@link Sockets#clientFor}, and checks bytes go both ways. */
    private static void echoesOnce(ServerSocketChannel server, SocketAddress address) throws Exception {
        byte[] sent = {1, 2, 3, 4};
        try (SocketChannel client = Sockets.clientFor(address)) {
            client.connect(address);
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(sent));
                ByteBuffer got = readExactly(accepted, sent.length);
                accepted.write(got.flip());
                assertArrayEquals(sent, readExactly(client, sent.length).array());
            }
        }
    }

    private static ByteBuffer readExactly(SocketChannel channel, int size) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (int reads = 0; buffer.hasRemaining(); reads++) {
            assertTrue(reads < 1000 && channel.read(buffer) >= 0, "end of stream after " + buffer.position() + " bytes");
        }
        return buffer;
    }
}
