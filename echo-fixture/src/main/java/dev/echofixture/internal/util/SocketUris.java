package dev.echofixture.internal.util;

import dev.echofixture.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;

/**
 * Converts between socket addresses and the {@code tcp://}, {@code udp://} and {@code unix:}
 * URIs of the public API. Stateless; any thread.
 */
public final class SocketUris {

    /** What a valid URI looks like, appended to every parse error. */
    static final String EXPECTED =
            "expected: tcp://host:port, udp://host:port, tls://host:port or unix:/path/to/socket,"
                    + " for example tcp://127.0.0.1:7007 or tcp://[::1]:7007";

    private SocketUris() {
    }

    /**
     * A parsed URI: the transport named by the scheme and the address, which for TCP and
     * UDP is resolved only later ({@link InetSocketAddress#createUnresolved} keeps name lookup
     * off the parser).
     */
    public record Parsed(Transport transport, SocketAddress address) {
    }

    /**
     * Parses {@code tcp://host:port}, {@code udp://host:port} (IPv6 literals in brackets) or
     * {@code unix:/path} ({@code unix:///path} and relative {@code unix:path} too).
     *
     * @throws IllegalArgumentException naming the URI, what is wrong with it and a valid example
     */
    public static Parsed parse(URI uri) {
        Checks.notNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw bad(uri, "no scheme");
        }
        Transport transport;
        try {
            transport = Transport.ofScheme(scheme);
        } catch (IllegalArgumentException e) {
            throw bad(uri, "unknown scheme " + scheme);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(uri, "a query or fragment is not allowed");
        }
        if (transport == Transport.UNIX) {
            return new Parsed(transport, unixAddress(uri));
        }
        return new Parsed(transport, inetAddress(uri));
    }

    private static SocketAddress unixAddress(URI uri) {
        String path;
        if (uri.isOpaque()) {
            path = uri.getSchemeSpecificPart();
        } else {
            if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
                throw bad(uri, "a unix socket URI has no host");
            }
            path = uri.getPath();
        }
        if (path == null || path.isEmpty()) {
            throw bad(uri, "no socket path");
        }
        try {
            return UnixDomainSocketAddress.of(path);
        } catch (RuntimeException e) {
            throw bad(uri, "not a valid path (" + e.getMessage() + ")");
        }
    }

    private static InetSocketAddress inetAddress(URI uri) {
        if (uri.isOpaque()) {
            throw bad(uri, "no //host:port");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw bad(uri, uri.getRawAuthority() == null ? "no host" : "not a valid host:port");
        }
        if (uri.getRawUserInfo() != null) {
            throw bad(uri, "user info is not allowed");
        }
        int port = uri.getPort();
        if (port == -1) {
            throw bad(uri, "no port");
        }
        if (port == 0 || port > 65535) {
            throw bad(uri, "port " + port + " is not 1 to 65535");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw bad(uri, "a path is not allowed");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static IllegalArgumentException bad(URI uri, String problem) {
        return new IllegalArgumentException("uri: " + uri + " (" + problem + "; " + EXPECTED + ")");
    }

    public static URI uri(Transport transport, SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return unixUri(address);
        }
        return URI.create(uriText(transport, address));
    }

    /**
     * {@code uri(transport, address).toString()}, without parsing a URI for TCP, UDP and TLS
     * (a client made for each test names its server this way).
     */
    public static String uriText(Transport transport, SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return unixUri(address).toString();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        if (host.indexOf(':') >= 0) {
            int scope = host.indexOf('%');
            host = "[" + compressIpv6(scope >= 0 ? host.substring(0, scope) : host) + "]";
        }
        return transport.scheme() + "://" + host + ":" + inet.getPort();
    }

    private static URI unixUri(SocketAddress address) {
        UnixDomainSocketAddress unix = (UnixDomainSocketAddress) address;
        try {
            // the multi-argument constructor quotes what a path may hold but a URI may not (spaces, %)
            return new URI("unix", unix.getPath().toAbsolutePath().toString().replace('\\', '/'), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("unixSocketPath: " + unix.getPath()
                    + " (expected: a path that can be written as a unix: URI)", e);
        }
    }

    /**
     * The short form of an IPv6 address as {@link java.net.Inet6Address#getHostAddress()} writes
     * it ({@code 0:0:0:0:0:0:0:1} becomes {@code ::1}): the longest run of two or more zero
     * groups, the first if tied, becomes {@code ::} (RFC 5952).
     */
    public static String compressIpv6(String full) {
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

    /**
     * A peer's address for messages: {@code /127.0.0.1:54321} for TCP and UDP; a Unix-domain
     * client is almost always unnamed (its address prints as an empty string), so it reads
     * {@code a unix client} (or {@code unix:/path} when it did bind a path).
     */
    public static String describePeer(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            String path = unix.getPath().toString();
            return path.isEmpty() ? "a unix client" : "unix:" + path;
        }
        return String.valueOf(address);
    }
}
