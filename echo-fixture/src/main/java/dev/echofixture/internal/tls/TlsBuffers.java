package dev.echofixture.internal.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The free TLS buffers of one thread: a {@link TlsChannel} takes its network and plaintext
 * buffers when bytes come and gives them back here when they are empty again, so that an idle
 * TLS connection (one that has not sent its first byte yet, or whose bytes have all been
 * handled) holds none, while a busy one does not allocate per record.
 *
 * <p>One instance per thread ({@link #here()}); every method runs on that thread. It keeps at
 * most {@value #KEEP} buffers of each of {@value #CLASSES} capacities (an engine's packet size,
 * twice that, its application size), so a thread keeps at most some 0.5 MiB for reuse.
 */
public final class TlsBuffers {

    private static final int KEEP = 8;
    private static final int CLASSES = 3;
    private static final ThreadLocal<TlsBuffers> THREADS = new PerThread();

    private final int[] capacities = new int[CLASSES];
    private final ArrayDeque<ByteBuffer>[] free;

    @SuppressWarnings("unchecked")
    private TlsBuffers() {
        free = new ArrayDeque[CLASSES];
    }

    /** The calling thread's free buffers. */
    public static TlsBuffers here() {
        return THREADS.get();
    }

    /** An empty buffer (in write mode) of exactly {@code capacity} bytes: a free one, or a new one. */
    public ByteBuffer take(int capacity) {
        for (int i = 0; i < CLASSES; i++) {
            if (capacities[i] == capacity) {
                ByteBuffer buffer = free[i].poll();
                return buffer != null ? buffer.clear() : ByteBuffer.allocate(capacity);
            }
        }
        return ByteBuffer.allocate(capacity);
    }

    /** Takes {@code buffer} back for reuse (or leaves it to the collector when enough are kept). */
    public void give(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        for (int i = 0; i < CLASSES; i++) {
            if (capacities[i] == capacity || capacities[i] == 0) {
                if (capacities[i] == 0) {
                    capacities[i] = capacity;
                    free[i] = new ArrayDeque<>();
                }
                if (free[i].size() < KEEP) {
                    free[i].push(buffer);
                }
                return;
            }
        }
    }

    /** Named rather than a lambda: the first TLS connection of a JVM spins no lambda class. */
    private static final class PerThread extends ThreadLocal<TlsBuffers> {
        @Override
        protected TlsBuffers initialValue() {
            return new TlsBuffers();
        }
    }
}
