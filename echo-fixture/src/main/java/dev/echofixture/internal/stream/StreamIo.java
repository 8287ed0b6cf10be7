package dev.echofixture.internal.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Plaintext I/O over one non-blocking stream socket, with the socket channel's semantics
 * (reads and writes never block, return 0 when nothing moves, -1 at the end of input), so that
 * a server connection or a client session works the same over TCP, UNIX and TLS. Implemented
 * once for a plain socket ({@link PlainStream}) and once for TLS (the client's
 * {@link TlsChannel}, the server's {@link TlsLink}). What the socket itself does (shutting
 * its output down, closing, {@code SO_LINGER}) stays with the caller.
 *
 * <p>Owned by the loop thread: every method runs there.
 */
public interface StreamIo {

    /**
     * Reads plaintext into {@code dst}, reading the socket at most once.
     *
     * @return the bytes read, 0 if none are ready, -1 at the end of input
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes plaintext from {@code src} as far as the socket takes it now.
     *
     * @return the plaintext bytes consumed
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes what the stream itself holds (a TLS record, a handshake message).
     *
     * @return whether nothing is left to write
     */
    boolean flush() throws IOException;

    /** Whether a {@link #read} would return bytes (or the end) although the socket may not be readable. */
    boolean hasBufferedInput();

    /** Whether bytes the stream made (a record) wait for the socket. */
    boolean hasPendingOutput();

    /** Ends the stream's own output as far as the socket takes it now (TLS: close_notify); never blocks. */
    void closeOutbound();

    /** The interest ops for the socket: {@code wanted} as the caller asks, adjusted for what the stream needs. */
    int interestOps(int wanted);

    /**
     * Whether any byte came from the socket since the last call (for TLS also handshake and
     * alert records, which {@link #read} does not return), and forgets it: activity for an
     * idle time-out.
     */
    boolean bytesArrived();

    /** Starts the stream once its socket is registered (a TLS server applies its handshake options). */
    default void start() {
    }

    /**
     * The socket is about to close: the stream's last words (TLS: close_notify unless
     * {@code abortive} or failed; a server records a handshake cut short as failed).
     */
    default void closing(boolean abortive) {
    }
}
