package dev.echofixture.internal.conditions;

import dev.echofixture.EchoBehavior;
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
public final class OutboundBuffer {

    /** Pending bytes above which the connection stops reading (backpressure). */
    public static final int HIGH_WATERMARK = 64 * 1024;
    /** Pending bytes below which a stopped connection reads again. */
    static final int LOW_WATERMARK = 32 * 1024;

    /** The release time of a chunk that may go out at once. */
    public static final long NOW = Long.MIN_VALUE;

    private ArrayDeque<Chunk> chunks; // made on first use: an idle connection holds no queue
    private long pending;

    /** Queues a copy of the buffer's remaining bytes (the buffer's position moves to its limit). */
    public void add(ByteBuffer data, long releaseAt, EchoBehavior behavior) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        if (chunks == null) {
            chunks = new ArrayDeque<>(4);
        }
        chunks.addLast(new Chunk(copy, releaseAt, behavior));
        pending += copy.remaining();
    }

    /** The oldest chunk, or {@code null}. */
    public Chunk head() {
        return chunks == null ? null : chunks.peekFirst();
    }

    /** Accounts bytes written from the head chunk; drops it once it is empty. */
    public void written(int bytes) {
        pending -= bytes;
        Chunk head = head();
        if (head != null && !head.data.hasRemaining()) {
            chunks.removeFirst();
        }
    }

    public boolean isEmpty() {
        return chunks == null || chunks.isEmpty();
    }

    public long pending() {
        return pending;
    }

    public boolean aboveHighWatermark() {
        return pending > HIGH_WATERMARK;
    }

    public boolean belowLowWatermark() {
        return pending < LOW_WATERMARK;
    }

    @Override
    public String toString() {
        return "OutboundBuffer[" + (chunks == null ? 0 : chunks.size()) + " chunks, " + pending + " B pending]";
    }

    /** Bytes read together, echoed no earlier than {@code releaseAt} ({@link System#nanoTime()} scale). */
    public static final class Chunk {
        public final ByteBuffer data;
        public final long releaseAt;
        final EchoBehavior behavior;

        Chunk(ByteBuffer data, long releaseAt, EchoBehavior behavior) {
            this.data = data;
            this.releaseAt = releaseAt;
            this.behavior = behavior;
        }
    }
}
