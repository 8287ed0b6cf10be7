package dev.echofixture.internal.recording;

import dev.echofixture.Exchange;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A connection's scripted exchanges: an immutable snapshot the loop replaces on each one, so
 * that readers on other threads see a consistent list without a lock.
 */
final class Exchanges {

    /** The most exchanges kept per connection; later ones are counted in the bytes only. */
    static final int LIMIT = 10_000;

    static final Exchanges EMPTY = new Exchanges(new Exchange[0], 0);

    private final Exchange[] items; // shared between snapshots: only appended past every snapshot's size
    private final int size;

    private Exchanges(Exchange[] items, int size) {
        this.items = items;
        this.size = size;
    }

    Exchanges plus(Exchange exchange) {
        if (size >= LIMIT) {
            return this;
        }
        Exchange[] array = items;
        if (size == array.length) {
            array = Arrays.copyOf(array, Math.max(8, size * 2));
        }
        array[size] = exchange;
        return new Exchanges(array, size + 1);
    }

    List<Exchange> list() {
        return Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(items, size)));
    }
}
