package dev.echofixture.internal.server;

import dev.echofixture.internal.util.LazyLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deletes, when the JVM exits, what UNIX servers leave in the file system if nobody closes them:
 * the socket files of servers still running, and the socket folders this JVM made (see
 * {@link UnixSocketFile}). A JVM may end with {@code System.exit}, a SIGTERM or the end of
 * {@code main} while a server runs, and {@link java.io.File#deleteOnExit()} never runs at all in
 * a JVM whose shutdown ends with {@code Runtime.halt} (as the standalone endpoint's does).
 *
 * <p>One shutdown hook ({@code echo-fixture-exit-cleanup}), registered when the first UNIX
 * server binds; it deletes only the files and folders listed here, nothing else, and changes no
 * other JVM state. Code that ends the JVM itself with {@code Runtime.halt} calls {@link #run()}
 * first. A JVM killed with SIGKILL leaves the files, as any process does.
 *
 * <p>Thread-safe.
 */
public final class ExitCleanup {

    private static final LazyLogger LOG = new LazyLogger(ExitCleanup.class);
    private static final Set<Path> FILES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private ExitCleanup() {
    }

    /** A server bound this socket file: delete it at exit unless {@link #fileDeleted} comes first. */
    public static void fileBound(Path file) {
        FILES.add(file);
        hookOnce();
    }

    /** The server deleted its socket file (on close). */
    public static void fileDeleted(Path file) {
        FILES.remove(file);
    }

    /** This JVM made a socket folder: delete it at exit if it is empty then. */
    public static void folderMade(Path folder) {
        FOLDERS.add(folder);
        hookOnce();
    }

    /** Deletes the socket files of running servers, then the empty socket folders. Idempotent. */
    public static void run() {
        for (Path file : FILES) {
            delete(file);
            FILES.remove(file);
        }
        for (Path folder : FOLDERS) {
            delete(folder); // not when it is not empty: a file that is not ours stays, and its folder
            FOLDERS.remove(folder);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            LOG.get().debug("cannot delete {} at exit: {}", path, e.toString());
        }
    }

    private static void hookOnce() {
        if (!HOOKED.compareAndSet(false, true)) {
            return;
        }
        try {
            // not a lambda: the first UNIX start in a fresh JVM would spin a lambda class
            Runtime.getRuntime().addShutdownHook(new Thread("echo-fixture-exit-cleanup") {
                @Override
                public void run() {
                    ExitCleanup.run();
                }
            });
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting already; the standalone endpoint calls run() itself before it halts
        }
    }
}
