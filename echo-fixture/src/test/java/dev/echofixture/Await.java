package dev.echofixture;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Deadline-bounded polling for tests: never waits longer than asked, never sleeps blindly. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds or {@code timeout} passed.
     *
     * @throws AssertionError with {@code what} and the time waited if it never held
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    public static void until(BooleanSupplier condition, String what) {
        until(Duration.ofSeconds(10), condition, () -> what);
    }

    /**
     * Waits until the server has received more than {@code bound} bytes on the connection and
     * then nothing more for 300 ms: it has stopped reading (backpressure).
     *
     * @throws AssertionError if that did not happen within {@code timeout}
     */
    static void stall(EchoConnection connection, long bound, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long stableSince = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long received = connection.bytesReceived();
            if (received != last) {
                last = received;
                stableSince = now;
            } else if (received > bound && now - stableSince > 300_000_000L) {
                return;
            }
            if (now - deadline > 0) {
                throw new AssertionError("the server never stopped reading: " + connection);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
