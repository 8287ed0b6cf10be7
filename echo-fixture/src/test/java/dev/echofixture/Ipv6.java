package dev.echofixture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Whether this machine can bind the IPv6 loopback: not in a container without IPv6, nor with
 * {@code -Djava.net.preferIPv4Stack=true}. Tests of IPv6 behaviour assume it.
 */
public final class Ipv6 {

    private Ipv6() {
    }

    public static boolean loopbackAvailable() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
