package dev.echofixture.internal.recording;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bounded capture of one connection: the first {@code limit} bytes it received.
 *
 * <p>One writer, the owning loop thread, calls {@link #record}; any thread may call
 * {@link #snapshot()}. The array only grows as bytes arrive (a quiet connection costs nothing),
 * bytes once written are never changed, and the length is published after the bytes, so a
 * reader never sees a byte that is not there yet. Once full, recording costs one comparison.
 */
final class Recorder {

    private static final byte[] EMPTY = new byte[0];

    private final int limit;
    private volatile byte[] bytes = EMPTY;
    private volatile int length;

    /** Records nothing: shared by every connection of a server with {@code recordLimit(0)}. */
    private static final Recorder NONE = new Recorder(0);

    private Recorder(int limit) {
        this.limit = limit;
    }

    /** A recorder that keeps the first {@code limit} bytes; the shared {@link #NONE} for 0. */
    static Recorder withLimit(int limit) {
        return limit == 0 ? NONE : new Recorder(limit);
    }

    /**
     * Records up to the limit from {@code data}'s position to its limit; does not move the
     * buffer's position. Loop thread only.
     */
    void record(ByteBuffer data) {
        int have = length;
        int take = Math.min(limit - have, data.remaining());
        if (take <= 0) {
            return;
        }
        byte[] target = bytes;
        if (have + take > target.length) {
            int capacity = Math.min(limit, Math.max(have + take, target.length * 2));
            target = Arrays.copyOf(target, capacity);
            bytes = target;
        }
        data.get(data.position(), target, have, take);
        length = have + take;
    }

    /** A fresh, empty recorder with the same limit. */
    Recorder emptied() {
        return withLimit(limit);
    }

    /** A copy of the recorded bytes. Any thread. */
    byte[] snapshot() {
        int n = length;
        return n == 0 ? EMPTY : Arrays.copyOf(bytes, n);
    }

    /** Whether nothing more will be recorded. */
    boolean isFull() {
        return length >= limit;
    }
}
