package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's contract for the endpoints built on it: tasks, deadlines, shutdown. */
@Timeout(20)
class EventLoopTests {

    @Test
    void runsTasksFromOtherThreadsOnTheLoopThread() throws Exception {
        try (EventLoop loop = new EventLoop("echo-fixture-loop-test-1")) {
            loop.start();
            CompletableFuture<String> thread = new CompletableFuture<>();
            assertTrue(loop.execute(() -> thread.complete(Thread.currentThread().getName() + ":" + loop.inLoop())));
            assertEquals("echo-fixture-loop-test-1:true", thread.get(5, TimeUnit.SECONDS));
            assertFalse(loop.inLoop());
        }
    }

    @Test
    void firesDeadlinesInTimeOrderAndSameTimesInScheduleOrder() throws Exception {
        try (EventLoop loop = new EventLoop("echo-fixture-loop-test-2")) {
            loop.start();
            List<String> fired = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            long base = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            loop.execute(() -> {
                loop.schedule(base + TimeUnit.MILLISECONDS.toNanos(20), () -> fired.add("late"));
                loop.schedule(base, () -> fired.add("first"));
                loop.schedule(base, () -> fired.add("second"));
                Deadlines.Deadline cancelled = loop.schedule(base + 1, () -> fired.add("cancelled"));
                cancelled.cancel();
                loop.schedule(base + TimeUnit.MILLISECONDS.toNanos(30), () -> done.complete(null));
            });
            done.get(5, TimeUnit.SECONDS);
            assertEquals(List.of("first", "second", "late"), fired);
            assertTrue(System.nanoTime() - base >= TimeUnit.MILLISECONDS.toNanos(30), "not before the deadline");
        }
    }

    @Test
    void schedulesFromAnotherThreadAndCancelsFromAnyThread() throws Exception {
        try (EventLoop loop = new EventLoop("echo-fixture-loop-test-3")) {
            loop.start();
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            Deadlines.Deadline never = loop.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20),
                    () -> ran.complete(false));
            never.cancel();
            loop.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60), () -> ran.complete(loop.inLoop()));
            assertTrue(ran.get(5, TimeUnit.SECONDS), "the live deadline ran, on the loop");
        }
    }

    @Test
    void closeEndsTheThreadWithinASecondAndDropsLaterTasks() {
        EventLoop loop = new EventLoop("echo-fixture-loop-test-4");
        loop.start();
        loop.schedule(System.nanoTime() + TimeUnit.HOURS.toNanos(1), () -> { });
        long start = System.nanoTime();
        loop.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
        assertFalse(EmbeddedEchoServerTests.threadAlive("echo-fixture-loop-test-4"));
        assertFalse(loop.execute(() -> { }), "a task after close is refused");
        loop.close(); // idempotent
    }

    @Test
    void aLoopThatNeverStartedClosesCleanly() {
        EventLoop loop = new EventLoop("echo-fixture-loop-test-5");
        loop.close();
        assertFalse(loop.execute(() -> { }));
    }
}
