package dev.echofixture;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;

/**
 * Converts between socket addresses and the {@code tcp://}, {@code udp://} and {@code unix:}
 * URIs of the public API.
 */
final class Endpoints {

    private Endpoints() {
    }

    static URI uri(Transport transport, SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return URI.create("unix:" + unix.getPath().toAbsolutePath());
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        if (host.indexOf(':') >= 0) {
            int scope = host.indexOf('%');
            host = "[" + compressIpv6(scope >= 0 ? host.substring(0, scope) : host) + "]";
        }
        return URI.create(transport.scheme() + "://" + host + ":" + inet.getPort());
    }

    /**
     * The short form of an IPv6 address as {@link java.net.Inet6Address#getHostAddress()} writes
     * it ({@code 0:0:0:0:0:0:0:1} becomes {@code ::1}): the longest run of two or more zero
     * groups, the first if tied, becomes {@code ::} (RFC 5952).
     */
    static String compressIpv6(String full) {
        String[] groups = full.split(":", -1);
        if (groups.length != 8) {
            return full;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
