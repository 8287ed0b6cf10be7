package dev.echofixture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak and fault suite's scale and its result table. The same tests run in the normal
 * build in a short form and, with {@code -Dechofixture.soak=full} (the {@code soak} Maven
 * profile: {@code ./mvnw -B verify -Psoak}), at full scale. Each test reports one row per load
 * ({@link #row}); {@link SoakReport} prints the table when the run ends.
 */
final class Soak {

    /** {@code full} for the soak profile; anything else is the short form. */
    static final boolean FULL = "full".equals(System.getProperty("echofixture.soak"));

    private static final List<String[]> ROWS = new ArrayList<>();
    private static final ThreadLocal<String> NOTE = new ThreadLocal<>();

    private Soak() {
    }

    /** {@code shortForm} in the normal build, {@code full} under {@code -Psoak}. */
    static int scale(int shortForm, int full) {
        return FULL ? full : shortForm;
    }

    /** Adds a row to the table: test, load or fault, result, bytes lost ({@code -1}: not applicable). */
    static synchronized void row(String test, String load, String result, long bytesLost) {
        ROWS.add(new String[] {test, load, result, bytesLost < 0 ? "n/a" : String.valueOf(bytesLost)});
    }

    /** Runs {@code body}, adding its row: "ok" and the bytes it lost, or "FAILED" and the error. */
    static void measure(String test, String load, Body body) throws Exception {
        NOTE.remove();
        try {
            long lost = body.run();
            String note = NOTE.get();
            row(test, load, note == null ? "ok" : "ok: " + note, lost);
        } catch (Exception | Error e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            row(test, load, "FAILED: " + e.getClass().getSimpleName() + " " + truncate(message, 120), -1);
            throw e;
        }
    }

    /** Adds figures to the result of the {@link #measure} running on this thread, and prints them. */
    static void note(String figures) {
        System.out.println(figures);
        NOTE.set(figures);
    }

    /** A measured piece of a test: returns the bytes lost, or -1 where that does not apply. */
    interface Body {
        long run() throws Exception;
    }

    static synchronized List<String[]> rows() {
        return new ArrayList<>(ROWS);
    }

    /** A pool of {@code size} daemon threads named {@code soak-<name>-<n>}; the caller shuts it down. */
    static ExecutorService threads(String name, int size) {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(size, runnable -> {
            Thread t = new Thread(runnable, "soak-" + name + "-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return (bytes / (1024 * 1024)) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes / 1024) + " KiB";
        }
        return bytes + " B";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
