package dev.echofixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * A test peer for the UDP echo server: a plain blocking {@link DatagramChannel} on the server's
 * address family. It is not connected, because the JDK sends no empty datagram from a
 * {@code DatagramSocket} or a connected channel; a datagram from anyone but the server fails the
 * test. Every receive has a time-out, so a lost datagram fails the test instead of hanging it.
 */
public final class UdpPeer implements AutoCloseable {

    /** Larger than the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6). */
    private static final int MAX_DATAGRAM = 65_536;

    private final DatagramChannel channel;
    private final DatagramSocket socket;

    private final InetSocketAddress server;

    private UdpPeer(DatagramChannel channel, InetSocketAddress server) {
        this.channel = channel;
        this.socket = channel.socket();
        this.server = server;
    }

    /** A peer on an ephemeral port of the server's address family, talking to the server. */
    public static UdpPeer connectedTo(InetSocketAddress server) {
        try {
            DatagramChannel channel = DatagramChannel.open(server.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            channel.bind(new InetSocketAddress(server.getAddress(), 0));
            return new UdpPeer(channel, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP peer for " + server, e);
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public void send(byte[] payload) {
        try {
            int sent = channel.send(ByteBuffer.wrap(payload), server);
            if (sent != payload.length) {
                throw new IOException("sent " + sent + " of " + payload.length + " bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + payload.length + " bytes from " + localAddress(), e);
        }
    }

    /** Receives the next datagram, failing with an {@link AssertionError} after {@code timeout}. */
    public byte[] receive(Duration timeout) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram came back to " + localAddress() + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive on " + localAddress(), e);
        }
        if (!server.equals(packet.getSocketAddress())) {
            throw new AssertionError(localAddress() + " got a datagram from " + packet.getSocketAddress() + ", not from " + server);
        }
        return Arrays.copyOf(buffer, packet.getLength());
    }

    /** Asserts that nothing arrives within {@code window}; a bounded wait for an absence. */
    void expectNothingWithin(Duration window) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, window.toMillis())));
            socket.receive(packet);
        } catch (SocketTimeoutException expected) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive on " + localAddress(), e);
        }
        throw new AssertionError("expected no datagram on " + localAddress() + " within " + window.toMillis()
                + " ms, got " + packet.getLength() + " bytes");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
