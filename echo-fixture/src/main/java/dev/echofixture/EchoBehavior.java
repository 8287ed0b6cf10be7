package dev.echofixture;

import dev.echofixture.internal.faults.FaultSettings;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EmbeddedEchoServer} echoes: plain RFC 862 echo, or echo under network
 * conditions (latency, jitter, bandwidth, chunking, close or reset after N bytes, silence).
 *
 * <p>An immutable value: every modifier returns a new value, and {@code equals},
 * {@code hashCode} and {@code toString} are value-based. Conditions combine freely:
 *
 * <pre>{@code
 * EchoBehavior slowAndChoppy = EchoBehavior.echo()
 *         .latency(Duration.ofMillis(50))   // each received chunk goes out 50 ms after it arrived
 *         .jitter(Duration.ofMillis(20))    // plus 0..20 ms, drawn from the server's seed
 *         .bandwidth(64 * 1024)             // at most 64 KiB/s per connection
 *         .chunkSize(1);                    // one byte per write
 * server.behavior(slowAndChoppy);           // applies to bytes read from now on
 * }</pre>
 *
 * <p>Delays never reorder bytes: a chunk is never sent before the chunk received ahead of it.
 * On UDP every condition applies per datagram, except {@link #chunkSize(int)} (a datagram is
 * always echoed whole) and {@link #resetAfter(long)} (UDP has no reset; the server rejects it);
 * {@link #closeAfter(long)} echoes whole datagrams while a peer's echoed total stays within the
 * limit, then stops echoing to that peer (see {@link Transport#UDP}).
 *
 * <p>Faults are modifiers too: {@link #udpLoss(double)}, {@link #udpDuplication(double)} and
 * {@link #udpReordering(double)} for UDP; {@link #corruptRate(double)}, {@link #corruptAt(long...)},
 * {@link #randomDataThenClose(int)} and {@link #slowClose(Duration)} for TCP, UNIX and TLS. Each
 * fault injected is listed in {@link EchoConnection#faults()}; those drawn at a rate depend only on
 * the server's seed, the connection's index and the byte offset or datagram index.
 *
 * @since 0.1.0
 */
public final class EchoBehavior {

    private static final EchoBehavior ECHO = new EchoBehavior(Duration.ZERO, Duration.ZERO, 0, 0, -1, -1, false,
            FaultSettings.NONE);

    private final Duration latency;
    private final Duration jitter;
    private final long bandwidth;
    private final int chunkSize;
    private final long closeAfter;
    private final long resetAfter;
    private final boolean silent;
    private final FaultSettings faults;

    private EchoBehavior(Duration latency, Duration jitter, long bandwidth, int chunkSize,
                         long closeAfter, long resetAfter, boolean silent, FaultSettings faults) {
        this.latency = latency;
        this.jitter = jitter;
        this.bandwidth = bandwidth;
        this.chunkSize = chunkSize;
        this.closeAfter = closeAfter;
        this.resetAfter = resetAfter;
        this.silent = silent;
        this.faults = faults;
    }

    /**
     * Plain echo (RFC 862): every byte received is sent back, in order, exactly once, at once.
     *
     * @return the plain echo behaviour
     */
    public static EchoBehavior echo() {
        return ECHO;
    }

    /**
     * Delays each received chunk: it goes out this long after it arrived. Delays are not
     * cumulative: two chunks received 1 ms apart go out 1 ms apart.
     *
     * @param latency 0 to 1 hour
     * @return a new behaviour with this latency
     * @throws IllegalArgumentException if {@code latency} is negative or longer than an hour
     */
    public EchoBehavior latency(Duration latency) {
        return new EchoBehavior(Checks.delay(latency, "latency"), jitter, bandwidth, chunkSize, closeAfter, resetAfter, silent, faults);
    }

    /**
     * Adds a random extra delay of 0 to {@code jitter} to each chunk, drawn from the server's
     * {@linkplain EmbeddedEchoServer#seed() seed}: the same seed and traffic give the same delays.
     * Jitter never reorders bytes.
     *
     * @param jitter 0 to 1 hour
     * @return a new behaviour with this jitter
     * @throws IllegalArgumentException if {@code jitter} is negative or longer than an hour
     */
    public EchoBehavior jitter(Duration jitter) {
        return new EchoBehavior(latency, Checks.delay(jitter, "jitter"), bandwidth, chunkSize, closeAfter, resetAfter, silent, faults);
    }

    /**
     * Limits the echo to this many bytes per second, per connection; the burst is at most a
     * tenth of it.
     *
     * @param bytesPerSecond at least 1
     * @return a new behaviour with this bandwidth
     * @throws IllegalArgumentException if {@code bytesPerSecond} is below 1
     */
    public EchoBehavior bandwidth(long bytesPerSecond) {
        return new EchoBehavior(latency, jitter, Checks.atLeast(bytesPerSecond, 1L, "bandwidth"), chunkSize, closeAfter, resetAfter, silent, faults);
    }

    /**
     * Echoes in writes of at most this many bytes, so that the peer sees short reads.
     *
     * @param bytes at least 1
     * @return a new behaviour with this chunk size
     * @throws IllegalArgumentException if {@code bytes} is below 1
     */
    public EchoBehavior chunkSize(int bytes) {
        return new EchoBehavior(latency, jitter, bandwidth, Checks.atLeast(bytes, 1, "chunkSize"), closeAfter, resetAfter, silent, faults);
    }

    /**
     * Echoes this many bytes of each connection, then closes it gracefully (FIN). Bytes received
     * beyond it are recorded but not echoed. With {@link #resetAfter(long)} as well, the smaller
     * count ends the connection, and on equal counts the reset wins.
     *
     * @param bytes at least 0; 0 closes each connection as soon as it is accepted
     * @return a new behaviour that closes after {@code bytes}
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public EchoBehavior closeAfter(long bytes) {
        return new EchoBehavior(latency, jitter, bandwidth, chunkSize, Checks.atLeast(bytes, 0L, "closeAfter"), resetAfter, silent, faults);
    }

    /**
     * Echoes at most this many bytes of each connection, then resets it (RST): the peer sees a
     * connection reset. Not supported on UDP. With {@link #closeAfter(long)} as well, the smaller
     * count ends the connection, and on equal counts the reset wins.
     *
     * <p>With {@code 0} the server resets each connection as soon as it accepts it, which can be
     * before the client has seen its connect complete: the client's connect may then itself
     * fail with the reset ({@link EchoClient#connect(java.net.URI)} throws an
     * {@link java.io.UncheckedIOException} caused by a {@link java.net.SocketException}), instead
     * of a later read or send. A test of reset handling should accept either, or use
     * {@code resetAfter(1)} to keep the connect clean.
     *
     * @param bytes at least 0; 0 resets each connection as soon as it is accepted
     * @return a new behaviour that resets after {@code bytes}
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public EchoBehavior resetAfter(long bytes) {
        return new EchoBehavior(latency, jitter, bandwidth, chunkSize, closeAfter, Checks.atLeast(bytes, 0L, "resetAfter"), silent, faults);
    }

    /**
     * Reads and records everything, echoes nothing: a peer waiting for the echo times out.
     *
     * @return a new, silent behaviour
     */
    public EchoBehavior silent() {
        return new EchoBehavior(latency, jitter, bandwidth, chunkSize, closeAfter, resetAfter, true, faults);
    }

    /**
     * UDP only: drops this share of the datagrams received instead of echoing them. Which ones
     * is drawn from the server's {@linkplain EmbeddedEchoServer#seed() seed}, the peer's index
     * and the datagram's index, so the same seed and traffic drop the same datagrams. Each drop
     * is listed in the peer's {@link EchoConnection#faults()}.
     *
     * @param rate 0.0 (none) to 1.0 (every datagram)
     * @return a new behaviour with this loss rate
     * @throws IllegalArgumentException if {@code rate} is not within 0.0 to 1.0
     */
    public EchoBehavior udpLoss(double rate) {
        return withFaults(faults.udpLoss(rate));
    }

    /**
     * UDP only: echoes this share of the datagrams twice, one copy right after the other. Drawn
     * from the seed like {@link #udpLoss(double)}; a lost datagram is not duplicated.
     *
     * @param rate 0.0 (none) to 1.0 (every datagram)
     * @return a new behaviour with this duplication rate
     * @throws IllegalArgumentException if {@code rate} is not within 0.0 to 1.0
     */
    public EchoBehavior udpDuplication(double rate) {
        return withFaults(faults.udpDuplication(rate));
    }

    /**
     * UDP only: holds back this share of the datagrams and echoes each right after the peer's
     * next datagram, so the two arrive swapped; a held datagram goes out alone once the peer
     * sent nothing more for 200 ms. Drawn from the seed like {@link #udpLoss(double)}.
     *
     * @param rate 0.0 (none) to 1.0 (every datagram)
     * @return a new behaviour with this reordering rate
     * @throws IllegalArgumentException if {@code rate} is not within 0.0 to 1.0
     */
    public EchoBehavior udpReordering(double rate) {
        return withFaults(faults.udpReordering(rate));
    }

    /**
     * TCP, UNIX and TLS: flips every bit of each echoed byte with this probability, drawn from
     * the seed, the connection's index and the byte's offset in the echoed stream (so it replays
     * whatever the reads' sizes). Over TLS the plaintext is corrupted, so the peer reads the
     * changed bytes instead of failing the record. Each flipped byte is listed in
     * {@link EchoConnection#faults()}.
     *
     * @param rate 0.0 (none) to 1.0 (every byte)
     * @return a new behaviour with this corruption rate
     * @throws IllegalArgumentException if {@code rate} is not within 0.0 to 1.0
     */
    public EchoBehavior corruptRate(double rate) {
        return withFaults(faults.corruptRate(rate));
    }

    /**
     * TCP, UNIX and TLS: flips every bit of the echoed bytes at these offsets of each
     * connection's echoed stream (0 is the first byte echoed). Replaces the offsets set before.
     *
     * @param offsets byte offsets, each at least 0; none for no corruption at fixed offsets
     * @return a new behaviour that corrupts these bytes
     * @throws IllegalArgumentException if an offset is negative or {@code offsets} is null
     */
    public EchoBehavior corruptAt(long... offsets) {
        return withFaults(faults.corruptAt(offsets));
    }

    /**
     * TCP, UNIX and TLS: answers the first bytes of each connection with this many random bytes
     * (drawn from the seed) instead of their echo, then closes the connection gracefully; what
     * the peer sends is still recorded. Like WireMock's {@code RANDOM_DATA_THEN_CLOSE}.
     *
     * @param bytes at least 1
     * @return a new behaviour that answers with random bytes, then closes
     * @throws IllegalArgumentException if {@code bytes} is below 1
     */
    public EchoBehavior randomDataThenClose(int bytes) {
        return withFaults(faults.randomDataThenClose(bytes));
    }

    /**
     * TCP, UNIX and TLS: delays the server's close (the FIN) by this long after the last byte
     * echoed, whenever the server closes gracefully: after the peer's own close, after
     * {@link #closeAfter(long)} or after {@link #randomDataThenClose(int)} (not on {@link EchoConnection#close()} or an idle time-out). Like
     * Toxiproxy's {@code slow_close}.
     *
     * @param delay 0 to 1 hour; 0 for none
     * @return a new behaviour with this close delay
     * @throws IllegalArgumentException if {@code delay} is negative or longer than an hour
     */
    public EchoBehavior slowClose(Duration delay) {
        return withFaults(faults.slowClose(delay));
    }

    private EchoBehavior withFaults(FaultSettings newFaults) {
        return new EchoBehavior(latency, jitter, bandwidth, chunkSize, closeAfter, resetAfter, silent, newFaults);
    }

    /**
     * The fixed delay of each chunk.
     *
     * @return the latency, {@link Duration#ZERO} for none
     */
    public Duration latency() {
        return latency;
    }

    /**
     * The upper bound of the random extra delay of each chunk.
     *
     * @return the jitter, {@link Duration#ZERO} for none
     */
    public Duration jitter() {
        return jitter;
    }

    /**
     * The echo rate limit per connection.
     *
     * @return bytes per second, 0 for unlimited
     */
    public long bandwidth() {
        return bandwidth;
    }

    /**
     * The largest single write.
     *
     * @return bytes per write, 0 for unlimited
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * How many bytes are echoed before a graceful close.
     *
     * @return the byte count, -1 for never
     */
    public long closeAfter() {
        return closeAfter;
    }

    /**
     * How many bytes are echoed at most before a reset.
     *
     * @return the byte count, -1 for never
     */
    public long resetAfter() {
        return resetAfter;
    }

    /**
     * Whether nothing is echoed.
     *
     * @return {@code true} if this behaviour is {@linkplain #silent() silent}
     */
    public boolean isSilent() {
        return silent;
    }

    /**
     * The share of datagrams dropped.
     *
     * @return 0.0 to 1.0, 0.0 for none
     */
    public double udpLoss() {
        return faults.udpLoss();
    }

    /**
     * The share of datagrams echoed twice.
     *
     * @return 0.0 to 1.0, 0.0 for none
     */
    public double udpDuplication() {
        return faults.udpDuplication();
    }

    /**
     * The share of datagrams echoed after the next one.
     *
     * @return 0.0 to 1.0, 0.0 for none
     */
    public double udpReordering() {
        return faults.udpReordering();
    }

    /**
     * The share of echoed bytes corrupted.
     *
     * @return 0.0 to 1.0, 0.0 for none
     */
    public double corruptRate() {
        return faults.corruptRate();
    }

    /**
     * The offsets of the echoed bytes corrupted, sorted.
     *
     * @return a new array, empty for none
     */
    public long[] corruptOffsets() {
        return faults.corruptOffsets();
    }

    /**
     * How many random bytes answer a connection before it is closed.
     *
     * @return the byte count, -1 for none
     */
    public int randomDataThenClose() {
        return faults.randomDataThenClose();
    }

    /**
     * How long the server's graceful close is delayed after the last echo.
     *
     * @return the delay, {@link Duration#ZERO} for none
     */
    public Duration slowClose() {
        return faults.slowClose();
    }

    /**
     * Whether any fault is set (loss, duplication, reordering, corruption, random data, slow
     * close).
     *
     * @return {@code true} if a fault is set
     */
    public boolean hasFaults() {
        return faults != FaultSettings.NONE && !faults.equals(FaultSettings.NONE);
    }

    /**
     * Whether this is plain echo with no condition added.
     *
     * @return {@code true} if equal to {@link #echo()}
     */
    public boolean isPlainEcho() {
        return equals(ECHO);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EchoBehavior other)) {
            return false;
        }
        return bandwidth == other.bandwidth && chunkSize == other.chunkSize && closeAfter == other.closeAfter
                && resetAfter == other.resetAfter && silent == other.silent
                && latency.equals(other.latency) && jitter.equals(other.jitter) && faults.equals(other.faults);
    }

    @Override
    public int hashCode() {
        return Objects.hash(latency, jitter, bandwidth, chunkSize, closeAfter, resetAfter, silent, faults);
    }

    /**
     * Reads like the code that built it, for example
     * {@code EchoBehavior.echo().latency(50ms).chunkSize(1)}.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("EchoBehavior.echo()");
        if (!latency.isZero()) {
            s.append(".latency(").append(Durations.format(latency)).append(')');
        }
        if (!jitter.isZero()) {
            s.append(".jitter(").append(Durations.format(jitter)).append(')');
        }
        if (bandwidth > 0) {
            s.append(".bandwidth(").append(bandwidth).append(')');
        }
        if (chunkSize > 0) {
            s.append(".chunkSize(").append(chunkSize).append(')');
        }
        if (closeAfter >= 0) {
            s.append(".closeAfter(").append(closeAfter).append(')');
        }
        if (resetAfter >= 0) {
            s.append(".resetAfter(").append(resetAfter).append(')');
        }
        if (silent) {
            s.append(".silent()");
        }
        faults.appendTo(s);
        return s.toString();
    }
}
