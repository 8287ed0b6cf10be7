package dev.echofixture.internal.server;

import dev.echofixture.internal.util.LazyLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The socket file of a UNIX server: either the path the user gave, or {@code echo-<n>.sock} in
 * a directory that {@link Files#createTempDirectory} made for this JVM (under {@code /tmp} when
 * the default temp directory would make the path too long). {@link #delete()} removes the file.
 *
 * <p>The directory is made once per JVM, not once per server, which would cost more than the
 * rest of a start and close (docs/DESIGN.md, "First start"). It is
 * private to the JVM (made with the owner's permissions only by {@code createTempDirectory}),
 * so numbering the files is enough to keep them apart; it is made again if something removed
 * it (found when a bind fails, see {@link #retryInNewDirectory()}). When the JVM exits,
 * {@link ExitCleanup} deletes the files of servers still running and then the directory.
 *
 * <p>Thread-safe; delete is idempotent.
 */
final class UnixSocketFile {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final LazyLogger LOG = new LazyLogger(UnixSocketFile.class);
    private static Path sharedDirectory; // guarded by UnixSocketFile.class

    private final Path path;
    private final boolean madeHere;

    private UnixSocketFile(Path path, boolean madeHere) {
        this.path = path;
        this.madeHere = madeHere;
    }

    /** A number for the loop thread's name: {@code echo-fixture-loop-unix-<n>}. */
    static int nextNumber() {
        return COUNTER.incrementAndGet();
    }

    /**
     * Uses {@code path}, or names a fresh file in this JVM's socket directory when it is {@code null}.
     *
     * @throws UncheckedIOException if no temp directory can be made
     */
    static UnixSocketFile create(Path path) {
        if (path != null) {
            return new UnixSocketFile(path.toAbsolutePath(), false);
        }
        try {
            return new UnixSocketFile(directory().resolve("echo-" + COUNTER.incrementAndGet() + ".sock"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for the UNIX socket file: " + e.getMessage()
                    + " (set unixSocketPath to a writable location)", e);
        }
    }

    /**
     * This JVM's socket directory, made on first use. It is not checked on every start (a
     * {@code stat} per server): a bind that fails calls {@link #retryInNewDirectory()}, which
     * makes it again if something removed it.
     */
    private static synchronized Path directory() throws IOException {
        Path dir = sharedDirectory;
        if (dir != null) {
            return dir;
        }
        dir = Files.createTempDirectory("echo-fixture-").toAbsolutePath();
        // room for "/echo-<10 digits>.sock"
        if (dir.toString().getBytes(StandardCharsets.UTF_8).length + 22 > ServerConfig.MAX_UNIX_PATH_BYTES) {
            Files.delete(dir);
            dir = Files.createTempDirectory(Path.of("/tmp"), "echo-fixture-");
        }
        ExitCleanup.folderMade(dir);
        sharedDirectory = dir;
        return dir;
    }

    /**
     * After a failed bind: if this file was named in the JVM's socket directory and that
     * directory is gone (a temp cleaner removed it), makes a new one and names a file there.
     *
     * @return the file to bind instead, or empty if a retry would not help
     */
    java.util.Optional<UnixSocketFile> retryInNewDirectory() {
        if (!madeHere) {
            return java.util.Optional.empty();
        }
        synchronized (UnixSocketFile.class) {
            if (sharedDirectory != null && Files.isDirectory(sharedDirectory)) {
                return java.util.Optional.empty();
            }
            sharedDirectory = null;
        }
        return java.util.Optional.of(create(null));
    }

    Path path() {
        return path;
    }

    UnixDomainSocketAddress address() {
        return UnixDomainSocketAddress.of(path);
    }

    /** A server bound the file: from now on it is ours, deleted on close or else when the JVM exits. */
    void bound() {
        ExitCleanup.fileBound(path);
    }

    /** Deletes the socket file. */
    void delete() {
        try {
            Files.delete(path); // one unlink; deleteIfExists would stat the file first
        } catch (java.nio.file.NoSuchFileException gone) {
            // deleted already: delete is idempotent
        } catch (IOException e) {
            LOG.get().debug("cannot delete {}: {}", path, e.toString());
        }
        ExitCleanup.fileDeleted(path);
    }

    /** After a failed bind: removes only a file named here; a user's path may belong to someone else. */
    void abandon() {
        if (madeHere) {
            delete();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
