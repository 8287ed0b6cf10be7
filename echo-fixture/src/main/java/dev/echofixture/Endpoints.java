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
            host = "[" + (scope >= 0 ? host.substring(0, scope) : host) + "]";
        }
        return URI.create(transport.scheme() + "://" + host + ":" + inet.getPort());
    }
}
