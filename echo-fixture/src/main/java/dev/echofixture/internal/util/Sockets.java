package dev.echofixture.internal.util;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Opens stream channels of the protocol family their address needs: a Unix-domain socket for a
 * {@link UnixDomainSocketAddress}, an IPv4 socket for an IPv4 address, and the JDK's default
 * (dual-stack where the machine has IPv6) for anything else. An IPv4 socket behaves the same for
 * an IPv4 address and is cheaper to open and close than a dual-stack one. A TCP server channel
 * comes with {@code SO_REUSEADDR} already on (the JDK opens server sockets that way;
 * {@code EmbeddedEchoServerTests} binds a port again while its connections are in TIME_WAIT),
 * so nothing sets it again (docs/DESIGN.md, "First start").
 */
public final class Sockets {

    private Sockets() {
    }

    /** A server channel for binding to {@code local}. */
    public static ServerSocketChannel serverFor(SocketAddress local) throws IOException {
        if (local instanceof UnixDomainSocketAddress) {
            return ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        }
        return isIpv4(local) ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
    }

    /** A client channel for connecting to {@code remote}. */
    public static SocketChannel clientFor(SocketAddress remote) throws IOException {
        if (remote instanceof UnixDomainSocketAddress) {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }
        return isIpv4(remote) ? SocketChannel.open(StandardProtocolFamily.INET) : SocketChannel.open();
    }

    private static boolean isIpv4(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address;
    }
}
