package dev.echofixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A test peer for the UDP echo server: a plain blocking {@link DatagramSocket} on the server's
 * loopback address, connected to the server so that it only sees the server's datagrams. Every
 * receive has a time-out, so a lost datagram fails the test instead of hanging it.
 */
final class UdpPeer implements AutoCloseable {

    /** Larger than the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6). */
    private static final int MAX_DATAGRAM = 65_536;

    private final DatagramSocket socket;

    private UdpPeer(DatagramSocket socket) {
        this.socket = socket;
    }

    /** A peer on an ephemeral port of the server's address family, connected to the server. */
    static UdpPeer connectedTo(InetSocketAddress server) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
            socket.setReceiveBufferSize(1 << 20);
            socket.setSendBufferSize(1 << 20);
            socket.connect(server);
            return new UdpPeer(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP peer for " + server, e);
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] payload) {
        try {
            socket.send(new DatagramPacket(payload, payload.length));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + payload.length + " bytes from " + localAddress(), e);
        }
    }

    /** Receives the next datagram, failing with an {@link AssertionError} after {@code timeout}. */
    byte[] receive(Duration timeout) {
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
        socket.close();
    }
}
