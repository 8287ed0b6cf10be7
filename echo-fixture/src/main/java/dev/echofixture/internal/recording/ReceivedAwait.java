package dev.echofixture.internal.recording;

import dev.echofixture.EchoConnection;
import dev.echofixture.Printable;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link EchoConnection#awaitReceived(byte[], Duration)}: waits until a connection's recording
 * contains some bytes, and otherwise fails with an {@link AssertionError} that shows what did
 * arrive. It fails at once, without waiting out the time-out, when the bytes can no longer show
 * up in the recording: the connection is closed, or the recording is full ({@code recordLimit})
 * while more bytes arrived than it holds. Stateless; any thread.
 */
public final class ReceivedAwait {

    /** Blocks the caller until the connection may have changed since a mark, or for at most the given time. */
    interface Waiter {
        /** A mark taken before looking at the connection. */
        long mark();

        /**
         * Returns once the connection may have changed since {@code mark}, or after {@code nanos}.
         *
         * @throws InterruptedException if interrupted
         */
        public void await(long mark, long nanos) throws InterruptedException;
    }

    /** For connections of other implementations than ours (the interface's default method): looks every 5 ms. */
    public static final Waiter POLLING = new Waiter() {
        @Override
        public long mark() {
            return 0;
        }

        @Override
        public void await(long mark, long nanos) throws InterruptedException {
            LockSupport.parkNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(5)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };

    /** How many recorded bytes a failure message shows, from the start and from the end. */
    private static final int SHOWN = 128;

    private ReceivedAwait() {
    }

    /**
     * @param connection the connection
     * @param expected   the bytes to find
     * @param what       how the message names them, for example {@code text "PING\r\n"}
     * @param timeout    the longest wait
     * @param waiter     how to wait between looks
     * @throws AssertionError on time-out, on a closed connection, or a full recording without them
     */
    public static void await(EchoConnection connection, byte[] expected, String what, Duration timeout, Waiter waiter) {
        Checks.notNull(expected, "expected");
        Checks.positiveOrZero(timeout, "timeout");
        long deadline = System.nanoTime() + Durations.saturatedNanos(timeout);
        while (true) {
            long mark = waiter.mark();
            // closed and counted first: the recording read after them is at least as new
            boolean open = connection.isOpen();
            long count = connection.bytesReceived();
            byte[] recorded = connection.received();
            if (indexOf(recorded, expected) >= 0) {
                return;
            }
            if (!open) {
                throw failure(connection, what, "the connection was closed first", recorded, count);
            }
            if (count > recorded.length) {
                throw failure(connection, what, "the recording is full (" + recorded.length + " of " + count
                        + " bytes received are recorded; raise recordLimit to see more)", recorded, count);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failure(connection, what, "not within " + Durations.format(timeout), recorded, count);
            }
            try {
                waiter.await(mark, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                AssertionError error = failure(connection, what, "interrupted while waiting", recorded, count);
                error.initCause(e);
                throw error;
            }
        }
    }

    /** {@code text "PING\r\n"}, for messages. */
    public static String describeText(String text) {
        return "text \"" + Printable.text(text) + "\"";
    }

    /** {@code bytes 50 49 4e 47}, for messages. */
    public static String describeBytes(byte[] bytes) {
        return bytes.length == 0 ? "no bytes" : "bytes " + Printable.hex(bytes, 0, bytes.length);
    }

    private static AssertionError failure(EchoConnection connection, String what, String why, byte[] recorded, long count) {
        return new AssertionError(what + " did not arrive on the connection from " + connection.remoteAddress()
                + ": " + why + "; received " + count + (count == 1 ? " byte" : " bytes") + shown(recorded));
    }

    private static String shown(byte[] recorded) {
        if (recorded.length == 0) {
            return "";
        }
        if (recorded.length <= 2 * SHOWN) {
            return ", recorded: text \"" + Printable.text(recorded, 0, recorded.length) + "\" hex "
                    + Printable.hex(recorded, 0, recorded.length);
        }
        int tail = recorded.length - SHOWN;
        return ", recorded (first and last " + SHOWN + " of " + recorded.length + " bytes): text \""
                + Printable.text(recorded, 0, SHOWN) + "\" ... \""
                + Printable.text(recorded, tail, recorded.length) + "\" hex "
                + Printable.hex(recorded, 0, SHOWN) + " ... " + Printable.hex(recorded, tail, recorded.length);
    }

    /** The first position of {@code needle} in {@code haystack}, or -1; an empty needle is at 0. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
