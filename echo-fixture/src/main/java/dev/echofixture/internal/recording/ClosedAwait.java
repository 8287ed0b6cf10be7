package dev.echofixture.internal.recording;

import dev.echofixture.ConnectionClose;
import dev.echofixture.EchoConnection;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@link EchoConnection#awaitClosed(Duration)}: waits until the peer's end of a connection was
 * seen, and otherwise fails with an {@link AssertionError} naming the connection and its state.
 * It fails at once, without waiting out the time-out, when the server closed the connection
 * before its peer ended it: nothing the peer does can be seen after that. Stateless; any thread.
 */
public final class ClosedAwait {

    private ClosedAwait() {
    }

    /**
     * @param connection the connection, for its state and in messages
     * @param peerEnd    how the peer ended the connection, {@code null} while not seen; read
     *                   before {@link EchoConnection#isOpen()}, which the server's side
     *                   changes after it
     * @param timeout    the longest wait
     * @param waiter     how to wait between looks
     * @return how the peer ended the connection
     * @throws AssertionError on time-out, or when the server closed the connection first
     */
    public static ConnectionClose await(EchoConnection connection, Supplier<ConnectionClose> peerEnd, Duration timeout,
                                 ReceivedAwait.Waiter waiter) {
        Checks.positiveOrZero(timeout, "timeout");
        long deadline = System.nanoTime() + Durations.saturatedNanos(timeout);
        while (true) {
            long mark = waiter.mark();
            ConnectionClose end = peerEnd.get();
            if (end != null) {
                return end;
            }
            if (!connection.isOpen()) {
                end = peerEnd.get(); // the peer's end is noted before the connection is marked closed
                if (end != null) {
                    return end;
                }
                throw new AssertionError(connection + " was closed by the server before its peer ended it"
                        + " (by EchoConnection.close() or reset(), closeAfter or resetAfter, the idle time-out,"
                        + " or the server's close)");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(connection + " was not ended by its peer within " + Durations.format(timeout)
                        + ": it is still open, and the server has read neither an end of stream nor a reset from the peer");
            }
            try {
                waiter.await(mark, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the peer to end " + connection, e);
            }
        }
    }
}
