package dev.echofixture;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes of one connection that are read but not yet echoed, in order, each chunk with the
 * time it may go out and the behaviour it was read under. Counts pending bytes against
 * Netty-style watermarks: above {@link #HIGH_WATERMARK} the connection stops reading, below
 * {@link #LOW_WATERMARK} it reads again; the gap keeps it from flapping.
 *
 * <p>Owned by the connection's loop thread; no other thread touches it.
 */
final class OutboundBuffer {

    /** Pending bytes above which the connection stops reading (backpressure). */
    static final int HIGH_WATERMARK = 64 * 1024;
    /** Pending bytes below which a stopped connection reads again. */
    static final int LOW_WATERMARK = 32 * 1024;

    /** The release time of a chunk that may go out at once. */
    static final long NOW = Long.MIN_VALUE;

    private ArrayDeque<Chunk> chunks; // made on first use: an idle connection holds no queue
    private long pending;

    /** Queues a copy of the buffer's remaining bytes (the buffer's position moves to its limit). */
    void add(ByteBuffer data, long releaseAt, EchoBehavior behavior) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        if (chunks == null) {
            chunks = new ArrayDeque<>(4);
        }
        chunks.addLast(new Chunk(copy, releaseAt, behavior));
        pending += copy.remaining();
    }

    /** The oldest chunk, or {@code null}. */
    Chunk head() {
        return chunks == null ? null : chunks.peekFirst();
    }

    /** Accounts bytes written from the head chunk; drops it once it is empty. */
    void written(int bytes) {
        pending -= bytes;
        Chunk head = head();
        if (head != null && !head.data.hasRemaining()) {
            chunks.removeFirst();
        }
    }

    boolean isEmpty() {
        return chunks == null || chunks.isEmpty();
    }

    long pending() {
        return pending;
    }

    boolean aboveHighWatermark() {
        return pending > HIGH_WATERMARK;
    }

    boolean belowLowWatermark() {
        return pending < LOW_WATERMARK;
    }

    /** Drops everything pending. */
    void clear() {
        chunks = null;
        pending = 0;
    }

    @Override
    public String toString() {
        return "OutboundBuffer[" + (chunks == null ? 0 : chunks.size()) + " chunks, " + pending + " B pending]";
    }

    /** Bytes read together, echoed no earlier than {@code releaseAt} ({@link System#nanoTime()} scale). */
    static final class Chunk {
        final ByteBuffer data;
        final long releaseAt;
        final EchoBehavior behavior;

        Chunk(ByteBuffer data, long releaseAt, EchoBehavior behavior) {
            this.data = data;
            this.releaseAt = releaseAt;
            this.behavior = behavior;
        }
    }
}
