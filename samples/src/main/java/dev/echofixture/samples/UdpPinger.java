package dev.echofixture.samples;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a UDP echo service: sends numbered datagrams one at a time, waits a bounded time for
 * each to come back, and reports loss and round-trip times. A reply that arrives after its
 * ping timed out (or a duplicate) carries an old sequence number and is skipped, so it never
 * counts for a later ping.
 *
 * <pre>{@code
 * UdpPinger.Result result = new UdpPinger(address, Duration.ofMillis(200)).ping(10);
 * System.out.println(result.received() + "/" + result.sent() + ", max " + result.maxRtt());
 * }</pre>
 *
 * <p>Each {@link #ping(int)} uses its own socket; an instance may be reused, not shared
 * between threads.
 */
public final class UdpPinger {

    private static final Logger log = LoggerFactory.getLogger(UdpPinger.class);
    /** A ping: an 8-byte sequence number and the 8-byte send time, then padding. */
    private static final int MIN_SIZE = 16;

    private final InetSocketAddress address;
    private final Duration timeout;
    private final int size;

    /**
     * A pinger with 16-byte datagrams.
     *
     * @param address the echo service
     * @param timeout how long to wait for each reply; at least 1 ms
     */
    public UdpPinger(InetSocketAddress address, Duration timeout) {
        this(address, timeout, MIN_SIZE);
    }

    /**
     * A pinger.
     *
     * @param address the echo service
     * @param timeout how long to wait for each reply; at least 1 ms
     * @param size    bytes per datagram, 16 to 65,507
     * @throws IllegalArgumentException for a time-out below 1 ms or a size outside the range
     */
    public UdpPinger(InetSocketAddress address, Duration timeout, int size) {
        this.address = Objects.requireNonNull(address, "address");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: 1 ms to 24 days)");
        }
        if (size < MIN_SIZE || size > 65_507) {
            throw new IllegalArgumentException("size: " + size + " (expected: " + MIN_SIZE + " to 65507 bytes)");
        }
        this.size = size;
    }

    /**
     * The outcome of a run.
     *
     * @param sent     pings sent
     * @param received pings that came back in time, intact
     * @param minRtt   the shortest round trip, {@link Duration#ZERO} if none came back
     * @param maxRtt   the longest round trip, {@link Duration#ZERO} if none came back
     */
    public record Result(int sent, int received, Duration minRtt, Duration maxRtt) {
        /**
         * The share of pings lost.
         *
         * @return 0.0 (none lost) to 1.0 (all lost)
         */
        public double loss() {
            return sent == 0 ? 0 : (sent - received) / (double) sent;
        }
    }

    /**
     * Sends {@code count} pings, one after the other.
     *
     * @param count how many, at least 1
     * @return loss and round-trip times
     * @throws IOException if the socket fails (for example port unreachable)
     */
    public Result ping(int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
        }
        int received = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(address);
            byte[] reply = new byte[size + 1]; // one spare byte: a longer reply is visible as such
            for (long sequence = 0; sequence < count; sequence++) {
                long rtt = pingOnce(socket, sequence, reply);
                if (rtt >= 0) {
                    received++;
                    min = Math.min(min, rtt);
                    max = Math.max(max, rtt);
                }
            }
        }
        return new Result(count, received, Duration.ofNanos(received == 0 ? 0 : min), Duration.ofNanos(max));
    }

    /** Returns the round trip in nanoseconds, or -1 if no valid reply came within the time-out. */
    private long pingOnce(DatagramSocket socket, long sequence, byte[] reply) throws IOException {
        long sentAt = System.nanoTime();
        byte[] ping = ByteBuffer.allocate(size).putLong(sequence).putLong(sentAt).array();
        socket.send(new DatagramPacket(ping, ping.length));
        long deadline = sentAt + timeout.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.debug("{}: ping {} lost", address, sequence);
                return -1;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            DatagramPacket packet = new DatagramPacket(reply, reply.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue; // the loop checks the deadline
            }
            ByteBuffer got = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
            if (packet.getLength() == size && got.getLong() == sequence && got.getLong() == sentAt) {
                return System.nanoTime() - sentAt;
            }
            log.debug("{}: skipped a stale or foreign reply of {} bytes", address, packet.getLength());
        }
    }
}
