package dev.echofixture;

import dev.echofixture.internal.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temp directories short enough for a Unix-domain socket file inside (the kernel's limit is
 * 107 bytes): under {@code java.io.tmpdir} when it is short, else under {@code /tmp}, as the
 * server itself does for its default socket file. A build may run with a long temp directory
 * (CI workspaces, {@code -Djava.io.tmpdir=...}); tests that bind sockets in a temp directory
 * use {@code @TempDir(factory = ShortTempDir.class)} or {@link #create(String)}.
 */
public final class ShortTempDir implements TempDirFactory {

    /** Room left for the names a test puts inside the directory. */
    private static final int ROOM = 48;

    /** Makes a fresh directory; the caller deletes it. */
    static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        if (dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length + ROOM > ServerConfig.MAX_UNIX_PATH_BYTES) {
            Files.delete(dir);
            dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        }
        return dir;
    }

    @Override
    public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext)
            throws IOException {
        return create("junit-");
    }

    /** For JUnit's reflective instantiation. */
    public ShortTempDir() {
        
    }
}
