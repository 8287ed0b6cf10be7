package dev.echofixture.internal.recording;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults injected into one connection, as lines; bounded, so that a high corruption rate on
 * a long stream cannot fill the heap: past {@link #LIMIT} lines it only counts. Not thread-safe:
 * its {@link ConnectionView} guards it.
 */
final class FaultLog {

    static final int LIMIT = 1000;

    private final List<String> lines = new ArrayList<>();
    private long count;

    void add(String line) {
        count++;
        if (lines.size() < LIMIT) {
            lines.add(line);
        }
    }

    long count() {
        return count;
    }

    /** A copy of the lines, and one more counting those not kept. */
    List<String> lines() {
        List<String> copy = new ArrayList<>(lines);
        if (count > lines.size()) {
            copy.add((count - lines.size()) + " more faults not listed");
        }
        return List.copyOf(copy);
    }
}
