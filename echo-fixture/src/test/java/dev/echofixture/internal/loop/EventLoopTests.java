package dev.echofixture.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.Await;
import dev.echofixture.EmbeddedEchoServerTests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's contract for the servers and clients built on it: tasks (run or rejected, never lost), deadlines, shutdown. */
@Timeout(20)
class EventLoopTests {

    @Test
    void runsTasksFromOtherThreadsOnTheLoopThread() throws Exception {
        try (EventLoop loop = new EventLoop("echo-fixture-loop-test-1")) {
            loop.start();
            CompletableFuture<String> thread = new CompletableFuture<>();
            loop.execute(() -> thread.complete(Thread.currentThread().getName() + ":" + loop.inLoop()),
                    () -> thread.complete("rejected"));
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
            // the loop is kept busy while we schedule and cancel: on a loaded machine this thread may
            // otherwise be descheduled past the 20 ms, and the deadline would rightly run before its cancel
            java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the loop runs the blocking task");
            Deadlines.Deadline never = loop.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20),
                    () -> ran.complete(false));
            never.cancel();
            release.countDown();
            loop.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60), () -> ran.complete(loop.inLoop()));
            assertTrue(ran.get(5, TimeUnit.SECONDS), "the live deadline ran, on the loop");
        }
    }

    @Test
    void closeEndsTheThreadWithinASecond() {
        EventLoop loop = new EventLoop("echo-fixture-loop-test-4");
        loop.start();
        loop.schedule(System.nanoTime() + TimeUnit.HOURS.toNanos(1), () -> { });
        long start = System.nanoTime();
        loop.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
        assertFalse(EmbeddedEchoServerTests.threadAlive("echo-fixture-loop-test-4"));
        loop.close(); // idempotent
    }

    @Test
    void aTaskAfterCloseIsRejectedOnTheCallersThread() {
        EventLoop loop = new EventLoop("echo-fixture-loop-test-6");
        loop.start();
        loop.close();
        List<String> calls = new CopyOnWriteArrayList<>();
        loop.execute(() -> calls.add("ran"), () -> calls.add("rejected on " + Thread.currentThread().getName()));
        assertEquals(List.of("rejected on " + Thread.currentThread().getName()), calls);
    }

    @Test
    void tasksQueuedBeforeAStartThatNeverCameAreRejectedOnClose() {
        EventLoop loop = new EventLoop("echo-fixture-loop-test-7");
        List<String> calls = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            loop.execute(() -> calls.add("ran " + n), () -> calls.add("rejected " + n));
        }
        assertTrue(calls.isEmpty(), "queued, not run yet: " + calls);
        loop.close();
        assertEquals(List.of("rejected 0", "rejected 1", "rejected 2"), calls);
    }

    @Test
    void everyTaskRacingTheShutdownRunsOrIsRejectedExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        for (int round = 0; round < 20; round++) {
            EventLoop loop = new EventLoop("echo-fixture-loop-test-8");
            loop.start();
            AtomicIntegerArray outcomes = new AtomicIntegerArray(threads * perThread); // 1 = ran, 2 = rejected
            AtomicInteger twice = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                submitters.add(CompletableFuture.runAsync(() -> {
                    awaitQuietly(go);
                    for (int i = first; i < first + perThread; i++) {
                        int task = i;
                        loop.execute(() -> record(outcomes, twice, task, 1), () -> record(outcomes, twice, task, 2));
                    }
                }, runnable -> new Thread(runnable, "submitter").start()));
            }
            go.countDown();
            loop.close(); // races the submitters
            CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            int r = round;
            for (int i = 0; i < outcomes.length(); i++) {
                int task = i; // close() waits for the loop's end at most 800 ms: a loaded machine may need longer
                Await.until(Duration.ofSeconds(10), () -> outcomes.get(task) != 0,
                        () -> "round " + r + ": task " + task + " neither ran nor was rejected");
            }
            assertEquals(0, twice.get(), "round " + round + ": a task ran or was rejected twice");
        }
    }

    private static void record(AtomicIntegerArray outcomes, AtomicInteger twice, int task, int outcome) {
        if (!outcomes.compareAndSet(task, 0, outcome)) {
            twice.incrementAndGet();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLoopThatNeverStartedClosesCleanly() {
        EventLoop loop = new EventLoop("echo-fixture-loop-test-5");
        loop.close();
        assertFalse(EmbeddedEchoServerTests.threadAlive("echo-fixture-loop-test-5"));
    }
}
