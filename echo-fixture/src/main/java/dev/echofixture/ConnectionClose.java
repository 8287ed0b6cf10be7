package dev.echofixture;

import dev.echofixture.internal.util.Checks;

/**
 * How the peer ended a connection, as {@link EchoConnection#awaitClosed(java.time.Duration)}
 * saw it: an orderly close (the server read the peer's end of stream) or a reset, and over TLS
 * whether the peer's {@code close_notify} came first.
 *
 * <pre>{@code
 * ConnectionClose close = connection.awaitClosed(Duration.ofSeconds(5));
 * assertEquals(ConnectionClose.Kind.ORDERLY, close.kind());    // the code under test closed, no reset
 * assertTrue(close.closeNotifyReceived());                     // TLS only: a clean TLS close
 * }</pre>
 *
 * @param kind                how the peer ended the connection
 * @param closeNotifyReceived over TLS, whether the peer sent its {@code close_notify} before
 *                            it ended the connection (an orderly close without one is a
 *                            truncation); always {@code false} over TCP and UNIX
 * @since 0.1.0
 */
public record ConnectionClose(Kind kind, boolean closeNotifyReceived) {

    /**
     * How the peer ended a connection.
     *
     * @since 0.1.0
     */
    public enum Kind {
        /**
         * An orderly close: the peer shut down its output or closed its socket (a FIN), and the
         * server read the end of stream. Over TLS, also a {@code close_notify}.
         */
        ORDERLY,
        /** An abortive close: the peer reset the connection (an RST), or it broke. */
        RESET
    }

    /**
     * Checks the kind.
     *
     * @param kind                how the peer ended the connection
     * @param closeNotifyReceived whether a TLS {@code close_notify} came first
     * @throws IllegalArgumentException if {@code kind} is {@code null}
     */
    public ConnectionClose {
        Checks.notNull(kind, "kind");
    }

    /**
     * Whether the peer closed the connection in an orderly way (no reset).
     *
     * @return {@code kind() == Kind.ORDERLY}
     */
    public boolean isOrderly() {
        return kind == Kind.ORDERLY;
    }

    /**
     * Whether the peer reset the connection.
     *
     * @return {@code kind() == Kind.RESET}
     */
    public boolean isReset() {
        return kind == Kind.RESET;
    }

    /**
     * For example {@code ConnectionClose[ORDERLY]}, {@code ConnectionClose[ORDERLY, close_notify first]}
     * or {@code ConnectionClose[RESET]}.
     *
     * @return the kind, and whether a {@code close_notify} came first
     */
    @Override
    public String toString() {
        return "ConnectionClose[" + kind + (closeNotifyReceived ? ", close_notify first" : "") + "]";
    }
}
