package dev.echofixture.internal.cli;

import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.recording.ConnectionView;
import dev.echofixture.internal.util.SocketUris;
import dev.echofixture.internal.util.Plural;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The standalone endpoint's log of each connection's open and close, at info level (the
 * library's own per-connection lines stay at debug). For example:
 * <pre>
 * connection 1 from /127.0.0.1:54360 opened
 * connection 1 from /127.0.0.1:54360 closed after 35 ms: received 2 bytes, sent 2 bytes
 * </pre>
 * Called on the server's loop thread; keeps no state.
 */
public final class ConnectionLog implements ConnectionRegistry.Listener {

    private final Logger log;

    public ConnectionLog(Logger log) {
        this.log = log;
    }

    @Override
    public void opened(ConnectionView connection) {
        if (log.isInfoEnabled()) {
            log.info("connection {} from {} opened", connection.index() + 1, SocketUris.describePeer(connection.remoteAddress()));
        }
    }

    @Override
    public void closed(ConnectionView connection) {
        if (log.isInfoEnabled()) {
            long millis = Duration.between(connection.openedAt(), connection.closedAt().orElseGet(Instant::now)).toMillis();
            log.info("connection {} from {} closed after {} ms: received {}, sent {}", connection.index() + 1,
                    SocketUris.describePeer(connection.remoteAddress()), millis,
                    Plural.of(connection.bytesReceived(), "byte"), Plural.of(connection.bytesSent(), "byte"));
            if (!connection.faults().isEmpty()) {
                log.info("connection {}: {}", connection.index() + 1, String.join("; ", connection.faults())); // to replay with --seed
            }
        }
    }
}
