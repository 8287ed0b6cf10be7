package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * Why an {@link EchoClient} stopped, turned into a fresh exception for every send it fails:
 * the outstanding ones (with how much of each came back) and every later one. The exception
 * type follows the contract: {@link EOFException} when the server closed first,
 * {@link SocketException} on a reset (a {@link PortUnreachableException} for UDP without a
 * server), a plain {@link IOException} after {@code close()} or a time-out of an earlier send.
 * Every message starts with the client's address. Immutable; any thread.
 */
final class ClientFailure {

    /** What happened. */
    enum Kind {
        /** The connect failed (refused, timed out, the server closed meanwhile, ...). */
        CONNECT,
        /** {@code close()} was called. */
        CLOSED,
        /** The server closed the connection (end of stream). */
        EOF,
        /** The connection was reset or broke. */
        RESET,
        /** UDP: the server's port answered "unreachable". */
        UNREACHABLE,
        /** A send timed out; the client closed because later bytes could no longer be matched. */
        TIMEOUT,
        /** Bytes arrived that no send was waiting for, or (UDP) a datagram that is not the expected echo. */
        PROTOCOL,
        /** Anything else (an unexpected I/O error or a bug). */
        OTHER
    }

    private final Kind kind;
    private final String serverUri;
    private final String description;
    private final Throwable cause;

    private ClientFailure(Kind kind, String serverUri, String description, Throwable cause) {
        this.kind = kind;
        this.serverUri = serverUri;
        this.description = description;
        this.cause = cause;
    }

    /**
     * The connect failed with {@code error}: the connect itself fails with a
     * "cannot connect to ..." exception of the same kind (a {@link ConnectException} when
     * refused, a {@link SocketTimeoutException} on time-out, an
     * {@link javax.net.ssl.SSLHandshakeException} when a TLS handshake failed, else an {@link IOException}).
     */
    static ClientFailure connectFailed(String serverUri, Throwable error) {
        String message = "cannot connect to " + serverUri + ": "
                + (isEchoedClientHello(error) ? "the server at " + serverUri + " answered the TLS handshake with the bytes"
                        + " it was sent: it is not a TLS server (use tcp://, or start it with Transport.TLS)"
                        : error.getMessage());
        IOException e = error instanceof ConnectException ? new ConnectException(message)
                : error instanceof SocketTimeoutException ? new SocketTimeoutException(message)
                : error instanceof javax.net.ssl.SSLHandshakeException || isEchoedClientHello(error)
                        ? new javax.net.ssl.SSLHandshakeException(message)
                : new IOException(message);
        e.initCause(error);
        return new ClientFailure(Kind.CONNECT, serverUri, "the connect failed (" + e + ")", e);
    }

    /**
     * Whether a TLS client's handshake failed because its own ClientHello came back: the JDK's
     * engine then fails with "Unexpected handshake message: client_hello", the sign of a plain
     * echo server behind a {@code tls://} URI.
     */
    private static boolean isEchoedClientHello(Throwable error) {
        return error instanceof javax.net.ssl.SSLException && error.getMessage() != null
                && error.getMessage().contains("Unexpected handshake message: client_hello");
    }

    static ClientFailure closed(String serverUri) {
        return new ClientFailure(Kind.CLOSED, serverUri, "the client was closed", null);
    }

    static ClientFailure endOfStream(String serverUri) {
        return new ClientFailure(Kind.EOF, serverUri, "the server closed the connection (end of stream)", null);
    }

    static ClientFailure reset(String serverUri, IOException cause) {
        return new ClientFailure(Kind.RESET, serverUri, "the connection was reset or broke (" + cause + ")", cause);
    }

    static ClientFailure unreachable(String serverUri, IOException cause) {
        return new ClientFailure(Kind.UNREACHABLE, serverUri,
                "port unreachable: is a server listening there? (" + cause + ")", cause);
    }

    static ClientFailure timedOut(String serverUri, String timeout) {
        return new ClientFailure(Kind.TIMEOUT, serverUri,
                "the client was closed because an earlier send timed out after " + timeout
                        + " (later echoes could no longer be matched to their sends)", null);
    }

    static ClientFailure unexpectedBytes(String serverUri, int count) {
        return new ClientFailure(Kind.PROTOCOL, serverUri, "received " + count
                + " bytes that no send was waiting for (does the server echo exactly what it receives?)", null);
    }

    static ClientFailure datagramMismatch(String serverUri, int size, int expectedSize) {
        return new ClientFailure(Kind.PROTOCOL, serverUri, "a datagram of " + size
                + " bytes came back that is not the echo of the oldest outstanding send (" + expectedSize
                + " bytes): a datagram was lost, reordered or changed on the way", null);
    }

    static ClientFailure other(String serverUri, Throwable cause) {
        return new ClientFailure(Kind.OTHER, serverUri, "unexpected failure (" + cause + ")", cause);
    }

    Kind kind() {
        return kind;
    }

    String description() {
        return description;
    }

    /** The exception for the connect, if the client ended before it was connected. */
    IOException forConnect() {
        if (kind == Kind.CONNECT) {
            return (IOException) cause;
        }
        IOException e = new IOException("cannot connect to " + serverUri + ": " + description);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The exception for a send that was outstanding: {@code echoed} of {@code size} bytes came back. */
    IOException forOutstanding(int size, int echoed) {
        return create(serverUri + ": " + description + "; this send: " + echoed + " of " + size + " bytes echoed");
    }

    /** The exception for a send made after the failure. */
    IOException forNewSend(int size) {
        return create(serverUri + ": " + description + "; this send of " + size + " bytes was not sent");
    }

    private IOException create(String message) {
        IOException e;
        switch (kind) {
            case EOF:
                e = new EOFException(message);
                break;
            case RESET:
                e = new SocketException(message);
                break;
            case UNREACHABLE:
                e = new PortUnreachableException(message);
                break;
            case PROTOCOL:
                e = new ProtocolException(message);
                break;
            default:
                e = new IOException(message);
                break;
        }
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    @Override
    public String toString() {
        return description;
    }
}
