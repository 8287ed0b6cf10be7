package dev.echofixture.internal.recording;

import dev.echofixture.DialogueEntry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Both directions of one proxied connection, in the order the proxy read them, each read with
 * its time; at most {@code limit} bytes each way (what goes beyond is counted, not kept), and at
 * most {@link #MAX_ENTRIES} reads in all.
 *
 * <p>The loop thread writes; users read copies. Guarded by its own monitor: a proxied read costs
 * one short lock, which the loop never waits on for long (a reader only copies).
 */
public final class Dialogue {

    /** Reads kept at most, whatever their size: a chatty connection of one-byte reads stays bounded. */
    static final int MAX_ENTRIES = 4096;

    private final int limit;
    private final long openedAtNanos = System.nanoTime();
    private final List<DialogueEntry> entries = new ArrayList<>();
    private final ByteArrayOutputStream answered = new ByteArrayOutputStream();
    private int keptToUpstream;
    private int keptToClient;
    private String upstreamFailure;

    Dialogue(int limit) {
        this.limit = limit;
    }

    /** Records the buffer's remaining bytes without moving its position. Loop thread only. */
    synchronized void record(DialogueEntry.Direction direction, ByteBuffer data) {
        boolean toClient = direction == DialogueEntry.Direction.TO_CLIENT;
        int kept = toClient ? keptToClient : keptToUpstream;
        int take = Math.min(limit - kept, data.remaining());
        if (take <= 0) {
            return;
        }
        byte[] bytes = new byte[take];
        data.get(data.position(), bytes, 0, take);
        if (toClient) {
            keptToClient += take;
            answered.write(bytes, 0, take);
        } else {
            keptToUpstream += take;
        }
        if (entries.size() < MAX_ENTRIES) {
            entries.add(new DialogueEntry(direction, Duration.ofNanos(System.nanoTime() - openedAtNanos), bytes));
        }
    }

    synchronized void upstreamFailed(String failure) {
        if (upstreamFailure == null) {
            upstreamFailure = failure;
        }
    }

    synchronized String upstreamFailure() {
        return upstreamFailure;
    }

    synchronized List<DialogueEntry> entries() {
        return List.copyOf(entries);
    }

    synchronized byte[] answered() {
        return answered.toByteArray();
    }
}
