package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The FIFO of an {@link EchoClient}'s outstanding sends. Incoming echo bytes fill the head's
 * buffer; a full head completes (through the {@link Completer}, so in order and off the loop)
 * and the next one becomes the head. Every send has the same time-out, so the head always holds
 * the earliest deadline.
 *
 * <p>It also counts the sends that are not settled yet, from the moment a caller made one
 * ({@link #reserve}) until its completion was handed to the {@link Completer} (here, or by
 * {@link #settle} for a send failed before it reached the FIFO), so that {@code close()} can tell,
 * from any thread, whether it has outstanding sends to fail and wait for.
 *
 * <p>Threads: loop thread only, except {@link #size()} (a volatile read for {@code toString},
 * updated before a send's completion is handed on, so that a caller woken by it no longer counts it),
 * {@link #reserve}, {@link #settle} and {@link #allSettled()} (any thread).
 */
final class PendingSends {

    /** One outstanding send: the expected number of bytes, what came back, its future and deadline. */
    static final class Send {
        final byte[] echoed;
        final CompletableFuture<byte[]> future;
        final long deadline;
        int filled;

        Send(int size, CompletableFuture<byte[]> future, long deadline) {
            this.echoed = new byte[size];
            this.future = future;
            this.deadline = deadline;
        }
    }

    private final ArrayDeque<Send> fifo = new ArrayDeque<>();
    private final Completer completer;
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile int size;

    PendingSends(Completer completer) {
        this.completer = completer;
    }

    /** A new send, counted as outstanding until it is settled. Any thread. */
    Send reserve(int size, CompletableFuture<byte[]> future, long deadline) {
        unsettled.incrementAndGet();
        return new Send(size, future, deadline);
    }

    /** Fails a reserved send that never reached the FIFO. Any thread. */
    void settle(Send send, Throwable error) {
        completer.fail(send.future, error);
        unsettled.decrementAndGet();
    }

    /**
     * Whether every send reserved so far has been settled (its completion is with the
     * {@link Completer}). Any thread.
     */
    boolean allSettled() {
        return unsettled.get() == 0;
    }

    void add(Send send) {
        fifo.add(send);
        size = fifo.size();
    }

    /**
     * Hands echoed bytes to the sends in order and completes those that are full.
     *
     * @return how many bytes were left over with no send waiting for them
     */
    int accept(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            Send head = fifo.peek();
            if (head == null) {
                break;
            }
            int n = Math.min(bytes.remaining(), head.echoed.length - head.filled);
            bytes.get(head.echoed, head.filled, n);
            head.filled += n;
            if (head.filled == head.echoed.length) {
                fifo.poll();
                size = fifo.size(); // before the completion: a caller woken by it must not count this send
                completer.complete(head.future, head.echoed);
                unsettled.decrementAndGet();
            }
        }
        size = fifo.size();
        return bytes.remaining();
    }

    boolean isEmpty() {
        return fifo.isEmpty();
    }

    int size() {
        return size;
    }

    /** The head's deadline ({@link System#nanoTime()} scale); the FIFO must not be empty. */
    long headDeadline() {
        return fifo.element().deadline;
    }

    /** Fails the head with a {@link TimeoutException} carrying {@code message} plus its progress. */
    void timeOutHead(String message) {
        Send head = fifo.poll();
        size = fifo.size();
        if (head != null) {
            completer.fail(head.future, new TimeoutException(
                    message + "; " + head.filled + " of " + head.echoed.length + " bytes echoed"));
            unsettled.decrementAndGet();
        }
    }

    /** Fails every outstanding send, oldest first. */
    void failAll(ClientFailure failure) {
        for (Send send; (send = fifo.poll()) != null; ) {
            size = fifo.size();
            completer.fail(send.future, failure.forOutstanding(send.echoed.length, send.filled));
            unsettled.decrementAndGet();
        }
    }
}
