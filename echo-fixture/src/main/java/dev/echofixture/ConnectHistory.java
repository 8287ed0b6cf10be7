package dev.echofixture;

import dev.echofixture.internal.recording.ConnectionView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the client behaved, from the server's connection log: when each connection was accepted,
 * how it ended and who ended it first, and the intervals between connects, for example to check
 * a retry's backoff. A snapshot taken by {@link EmbeddedEchoServer#connectHistory()}; immutable.
 *
 * <pre>{@code
 * List<Duration> gaps = server.connectHistory().intervals();   // between accepts 1-2, 2-3, ...
 * assertTrue(gaps.get(1).compareTo(gaps.get(0)) > 0);          // the client backed off further
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ConnectHistory {

    /** Which side ended a connection first. */
    public enum Side {
        /** The client (the peer): it closed or reset the connection before the server did. */
        CLIENT,
        /** The server: a behaviour or plan, an idle time-out, {@code close()} or {@code reset()}. */
        SERVER
    }

    /**
     * How a connection ended.
     *
     * @param first which side ended it first
     * @param kind  how that side ended it: an orderly close or a reset
     */
    public record Ending(Side first, ConnectionClose.Kind kind) {
    }

    /**
     * One connection as the server saw it.
     *
     * @param number     its number in accept order, from 1 (as fault plans count)
     * @param acceptedAt when the server accepted it
     * @param ending     how it ended; empty while open, or when the server has not seen the end
     *                   yet, and for a UDP peer (UDP has no close)
     */
    public record Connect(int number, Instant acceptedAt, Optional<Ending> ending) {
    }

    private final List<Connect> connects;

    private ConnectHistory(List<Connect> connects) {
        this.connects = List.copyOf(connects);
    }

    /** A snapshot of these connections, in accept order. */
    static ConnectHistory of(List<EchoConnection> connections) {
        List<Connect> connects = new ArrayList<>();
        for (EchoConnection connection : connections) {
            ConnectionView view = (ConnectionView) connection;
            Ending ending = null;
            if (view.serverEnd() != null) {
                ending = new Ending(Side.SERVER, view.serverEnd());
            } else if (view.peerEnd() != null) {
                ending = new Ending(Side.CLIENT, view.peerEnd().kind());
            }
            connects.add(new Connect(view.index() + 1, view.openedAt(), Optional.ofNullable(ending)));
        }
        return new ConnectHistory(connects);
    }

    /**
     * Every connection listed, in accept order.
     *
     * @return the connections
     */
    public List<Connect> connects() {
        return connects;
    }

    /**
     * The time between each connect and the next: one fewer than {@link #connects()}.
     *
     * @return the intervals, in order
     */
    public List<Duration> intervals() {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < connects.size(); i++) {
            gaps.add(Duration.between(connects.get(i - 1).acceptedAt(), connects.get(i).acceptedAt()));
        }
        return List.copyOf(gaps);
    }

    /** For example {@code ConnectHistory[#1 SERVER RESET, +105ms #2 CLIENT ORDERLY, +212ms #3 open]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ConnectHistory[");
        for (int i = 0; i < connects.size(); i++) {
            Connect c = connects.get(i);
            if (i > 0) {
                s.append(", +").append(Duration.between(connects.get(i - 1).acceptedAt(), c.acceptedAt()).toMillis()).append("ms ");
            }
            s.append('#').append(c.number()).append(' ')
                    .append(c.ending().map(e -> e.first() + " " + e.kind()).orElse("open"));
        }
        return s.append(']').toString();
    }
}
