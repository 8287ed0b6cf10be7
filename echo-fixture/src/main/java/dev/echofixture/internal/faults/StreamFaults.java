package dev.echofixture.internal.faults;

import dev.echofixture.EchoBehavior;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The faults of one stream connection (TCP, UNIX, TLS plaintext): corrupts echoed bytes at
 * chosen offsets or at a seeded rate, answers with random bytes once, and remembers whether its
 * close was delayed. Made on the first chunk read under a behaviour with faults, so a plain
 * connection holds none. Every fault is reported, one line each, to {@code record}.
 *
 * <p>Each decision is {@link FaultDice}'s function of the seed, the connection's index and the
 * byte's offset in the echoed stream, so it replays whatever the reads' sizes were.
 *
 * <p>Loop thread only.
 */
public final class StreamFaults {

    private final long seed;
    private final int connection;
    private final Consumer<String> record;
    private EchoBehavior offsetsOf; // the behaviour whose offsets are cached
    private long[] offsets = new long[0];
    private boolean randomDataSent;
    private boolean closeDelayed;
    private long closeAt; // System.nanoTime() when a delayed close may go

    public StreamFaults(long seed, int connection, Consumer<String> record) {
        this.seed = seed;
        this.connection = connection;
        this.record = record;
    }

    /**
     * The bytes to echo for {@code chunk}, whose first byte is at {@code offset} of the echoed
     * stream: the chunk itself with its chosen bytes flipped in place, or, the first time under
     * {@code randomDataThenClose}, that many random bytes instead (then {@link #closesNow()}).
     */
    public ByteBuffer apply(ByteBuffer chunk, EchoBehavior behavior, long offset) {
        int randomBytes = behavior.randomDataThenClose();
        if (randomBytes >= 0 && !randomDataSent) {
            randomDataSent = true;
            record.accept("random data: " + randomBytes + " bytes instead of the echo, then close (randomDataThenClose)");
            return ByteBuffer.wrap(randomData(randomBytes));
        }
        if (behavior != offsetsOf) {
            offsetsOf = behavior;
            offsets = behavior.corruptOffsets();
        }
        int start = chunk.position();
        int length = chunk.remaining();
        double rate = behavior.corruptRate();
        for (long at : offsets) {
            if (at >= offset && at < offset + length && !(rate > 0 && corruptedByRate(rate, at))) {
                flip(chunk, start + (int) (at - offset), at, "corruptAt");
            }
        }
        if (rate > 0) {
            for (int i = 0; i < length; i++) {
                if (corruptedByRate(rate, offset + i)) {
                    flip(chunk, start + i, offset + i, "corruptRate");
                }
            }
        }
        return chunk;
    }

    private boolean corruptedByRate(double rate, long at) {
        return FaultDice.happens(rate, seed, connection, FaultDice.CORRUPTION, at);
    }

    /** Flips every bit of the byte at {@code index}, which is byte {@code at} of the echoed stream. */
    private void flip(ByteBuffer chunk, int index, long at, String setting) {
        byte was = chunk.get(index);
        byte now = (byte) ~was;
        chunk.put(index, now);
        record.accept("byte " + at + " corrupted: " + hex(was) + " -> " + hex(now) + " (" + setting + ")");
    }

    private static String hex(byte b) {
        String digits = Integer.toHexString(b & 0xFF);
        return digits.length() == 1 ? "0x0" + digits : "0x" + digits;
    }

    /** Byte {@code i} of the random data is a function of the seed, the connection and {@code i}. */
    private byte[] randomData(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) FaultDice.bits(seed, connection, FaultDice.RANDOM_DATA, i);
        }
        return data;
    }

    /** Whether the random data was sent, so the connection closes once it is out. */
    public boolean closesNow() {
        return randomDataSent;
    }

    /**
     * When the graceful close may go under {@code behavior}'s {@code slowClose}: the first call
     * fixes it at {@code now} plus the delay (and records the fault); 0 without a slow close.
     */
    public long closeAt(EchoBehavior behavior, long now, String delay) {
        if (!closeDelayed) {
            if (behavior.slowClose().isZero()) {
                return 0;
            }
            closeDelayed = true;
            closeAt = now + behavior.slowClose().toNanos();
            record.accept("close delayed " + delay + " after the last echo (slowClose)");
        }
        return closeAt;
    }
}
