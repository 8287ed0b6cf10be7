package dev.echofixture.internal.conditions;

import dev.echofixture.EchoBehavior;
import java.io.IOException;
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

    /** {@link #writeDue}: everything queued was written. */
    public static final int DRAINED = 0;
    /** {@link #writeDue}: the socket took less than offered, or the write budget ran out: wait for OP_WRITE. */
    public static final int BLOCKED = 1;
    /** {@link #writeDue}: pacing holds the head back until {@link Pacer#retryAt()}. */
    public static final int PACED = 2;

    /** Where {@link #writeDue} writes: a connection's socket (or TLS) and its byte count. */
    public interface Sink {
        /**
         * Writes as much of {@code data} as the socket takes now.
         *
         * @param data the bytes to write
         * @return the bytes written
         * @throws IOException if the write fails
         */
        int writeOut(ByteBuffer data) throws IOException;

        /**
         * Counts bytes written out.
         *
         * @param bytes the bytes just written
         */
        void wroteOut(int bytes);
    }

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

    /**
     * Writes what is due, head first, at most {@code maxWrites} writes: a chunk queued at
     * {@link #NOW} as fast as the socket takes it, a paced one within what {@code pacer} allows
     * now (chunk size, bandwidth, release time).
     *
     * @param pacer     the connection's pacer; may be {@code null} while no paced chunk was queued
     * @param sink      where the bytes go
     * @param maxWrites the write budget of this turn
     * @return {@link #DRAINED}, {@link #BLOCKED} or {@link #PACED}
     * @throws IOException if a write fails
     */
    public int writeDue(Pacer pacer, Sink sink, int maxWrites) throws IOException {
        for (int i = 0; i < maxWrites; i++) {
            Chunk head = head();
            if (head == null) {
                return DRAINED;
            }
            boolean paced = head.releaseAt != NOW; // only a pacer queues a paced chunk
            long now = paced ? System.nanoTime() : 0;
            int allowed = paced ? pacer.writable(head, now) : head.data.remaining();
            if (allowed == 0) {
                return PACED;
            }
            ByteBuffer data = head.data;
            int oldLimit = data.limit();
            data.limit(data.position() + allowed);
            int written = sink.writeOut(data);
            data.limit(oldLimit);
            sink.wroteOut(written);
            if (paced) {
                pacer.wrote(head, written, now);
            }
            written(written);
            if (written < allowed) {
                return BLOCKED;
            }
        }
        return isEmpty() ? DRAINED : BLOCKED;
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
