package dev.echofixture;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Deadline-bounded polling for tests: never waits longer than asked, never sleeps blindly. */
final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds or {@code timeout} passed.
     *
     * @throws AssertionError with {@code what} and the time waited if it never held
     */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    static void until(BooleanSupplier condition, String what) {
        until(Duration.ofSeconds(10), condition, () -> what);
    }
}
