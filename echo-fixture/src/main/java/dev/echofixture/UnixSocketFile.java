package dev.echofixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The socket file of a UNIX server: either the path the user gave, or {@code echo.sock} in a
 * fresh directory made by {@link Files#createTempDirectory} (under {@code /tmp} when the
 * default temp directory would make the path too long). {@link #delete()} removes the file, and
 * the directory if this class made it. Thread-safe; delete is idempotent.
 */
final class UnixSocketFile {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path path;
    private final Path createdDirectory;

    private UnixSocketFile(Path path, Path createdDirectory) {
        this.path = path;
        this.createdDirectory = createdDirectory;
    }

    /** A number for the loop thread's name: {@code echo-fixture-loop-unix-<n>}. */
    static int nextNumber() {
        return COUNTER.incrementAndGet();
    }

    /**
     * Uses {@code path}, or makes a fresh directory for the file when it is {@code null}.
     *
     * @throws UncheckedIOException if no temp directory can be made
     */
    static UnixSocketFile create(Path path) {
        if (path != null) {
            return new UnixSocketFile(path.toAbsolutePath(), null);
        }
        try {
            Path dir = Files.createTempDirectory("echo-fixture-");
            Path file = dir.resolve("echo.sock").toAbsolutePath();
            if (file.toString().getBytes(StandardCharsets.UTF_8).length > ServerConfig.MAX_UNIX_PATH_BYTES) {
                Files.delete(dir);
                dir = Files.createTempDirectory(Path.of("/tmp"), "echo-fixture-");
                file = dir.resolve("echo.sock");
            }
            return new UnixSocketFile(file, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for the UNIX socket file: " + e.getMessage()
                    + " (set unixSocketPath to a writable location)", e);
        }
    }

    Path path() {
        return path;
    }

    UnixDomainSocketAddress address() {
        return UnixDomainSocketAddress.of(path);
    }

    /** Deletes the socket file, and the directory made for it. */
    void delete() {
        try {
            Files.deleteIfExists(path);
            if (createdDirectory != null) {
                Files.deleteIfExists(createdDirectory);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(UnixSocketFile.class).debug("cannot delete {}: {}", path, e.toString());
        }
    }

    /** After a failed bind: removes only what this class made; a user's path may belong to someone else. */
    void abandon() {
        if (createdDirectory != null) {
            delete();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
