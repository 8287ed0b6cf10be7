package dev.echofixture.junit;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Exchange;
import dev.echofixture.Printable;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed test's servers saw, as one report entry per server: where it was declared, its
 * URI, its behaviour (the network conditions it applied at the end) and seed, and for each connection the peer, whether it is open, the byte counts and the
 * first bytes received as text and hex (over TLS also the handshake: protocol, cipher suite, SNI,
 * or why it failed; with a script, the dialogue: each message and what was answered). The extension publishes it as report entries, attaches
 * it to the test's failure ({@link TrafficReportException}) and logs it at INFO. Stateless; any
 * thread.
 */
final class TrafficReport {

    /** How many recorded bytes of each connection the report shows. */
    static final int SHOWN_BYTES = 128;

    /** How many scripted exchanges of each connection the report shows. */
    static final int SHOWN_EXCHANGES = 20;

    private TrafficReport() {
    }

    /**
     * The entry of one server.
     *
     * @param server      the server
     * @param clientPorts local ports of the injected clients, to mark their connections
     * @return key-value pairs in a stable order, none blank
     */
    static Map<String, String> entry(ServerResource server, Set<Integer> clientPorts) {
        return entry(server, clientPorts, 1);
    }

    /**
     * The entry of the n-th server of a report: the first server's keys start with
     * {@code echo-server}, the second's with {@code echo-server-2}, and so on, so that the keys
     * of two servers never collide where a tool merges entries.
     *
     * @param server      the server
     * @param clientPorts local ports of the injected clients, to mark their connections
     * @param number      the server's number in the report, from 1
     * @return key-value pairs in a stable order, none blank
     */
    static Map<String, String> entry(ServerResource server, Set<Integer> clientPorts, int number) {
        String prefix = number == 1 ? "echo-server" : "echo-server-" + number;
        EmbeddedEchoServer echo = server.server();
        List<EchoConnection> connections = echo.connections();
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(prefix, server.declaration() + " " + echo.uri());
        entry.put(prefix + ".behavior", echo.behavior().toString());
        entry.put(prefix + ".seed", Long.toString(echo.seed()));
        if (!echo.faultPlan().isEmpty()) {
            entry.put(prefix + ".faultPlan", echo.faultPlan().toString());
        }
        entry.put(prefix + ".connections", Integer.toString(connections.size()));
        for (int i = 0; i < connections.size(); i++) {
            entry.put(prefix + ".connection-" + (i + 1), describe(connections.get(i), clientPorts));
            String dialogue = dialogue(connections.get(i));
            if (!dialogue.isEmpty()) {
                entry.put(prefix + ".connection-" + (i + 1) + ".dialogue", dialogue);
            }
        }
        return entry;
    }

    /**
     * The entries as text, one {@code key = value} line each, keys padded to one width, for
     * example {@code echo-server.seed        = 42}; every line starts with {@code indent}.
     */
    static String text(Collection<Map<String, String>> entries, String indent) {
        int width = entries.stream().flatMap(e -> e.keySet().stream()).mapToInt(String::length).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (Map<String, String> entry : entries) {
            entry.forEach((key, value) -> {
                if (text.length() > 0) {
                    text.append(System.lineSeparator());
                }
                text.append(indent).append(key).append(" ".repeat(width - key.length())).append(" = ").append(value);
            });
        }
        return text.toString();
    }

    /** Logs the entries of a failed test at INFO. */
    static void log(String test, Collection<Map<String, String>> entries) {
        Logger log = LoggerFactory.getLogger("dev.echofixture.junit.EchoServer"); // looked up here: only a failure logs
        if (log.isInfoEnabled()) {
            log.info("{} failed; traffic of its echo servers:{}{}", test, System.lineSeparator(), text(entries, "  "));
        }
    }

    /**
     * A scripted connection's exchanges, the first {@link #SHOWN_EXCHANGES}, for example
     * {@code (connect) -> "220 ready\r\n" | "HELO me" -> "250 OK\r\n"}; empty without a script.
     */
    static String dialogue(EchoConnection connection) {
        List<Exchange> exchanges = connection.exchanges();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(exchanges.size(), SHOWN_EXCHANGES); i++) {
            text.append(i == 0 ? "" : " | ").append(exchanges.get(i));
        }
        if (exchanges.size() > SHOWN_EXCHANGES) {
            text.append(" | (and ").append(exchanges.size() - SHOWN_EXCHANGES).append(" more)");
        }
        return text.toString();
    }

    /**
     * For example {@code peer /127.0.0.1:50412 (the injected EchoClient), closed, received 5 bytes,
     * sent 5 bytes, first 5 bytes: text "hello" hex 68 65 6c 6c 6f}; over TLS the handshake follows
     * "closed", for example {@code TlsHandshake[COMPLETED, TLSv1.3, TLS_AES_128_GCM_SHA256, sni=localhost]}. Then the faults injected, if any: {@code faults: datagram 0 dropped (udpLoss)}.
     */
    static String describe(EchoConnection connection, Set<Integer> clientPorts) {
        String peer = String.valueOf(connection.remoteAddress());
        StringBuilder text = new StringBuilder("peer ").append(peer.isBlank() ? "(unnamed socket)" : peer);
        if (connection.remoteAddress() instanceof InetSocketAddress inet) {
            text.append(" (client port ").append(inet.getPort());
            if (clientPorts.contains(inet.getPort())) {
                text.append(", the injected EchoClient");
            }
            text.append(')');
        }
        text.append(connection.isOpen() ? ", open" : ", closed");
        connection.tls().ifPresent(handshake -> text.append(", ").append(handshake));
        if (!connection.faults().isEmpty()) {
            text.append(", faults ").append(connection.faults());
        }
        text.append(", received ").append(connection.bytesReceived()).append(" bytes")
                .append(", sent ").append(connection.bytesSent()).append(" bytes");
        byte[] received = connection.received();
        int shown = Math.min(received.length, SHOWN_BYTES);
        if (shown > 0) {
            text.append(", first ").append(shown).append(shown == 1 ? " byte" : " bytes").append(": text \"")
                    .append(Printable.text(received, 0, shown)).append("\" hex ").append(Printable.hex(received, 0, shown));
        }
        List<String> faults = connection.faults();
        if (!faults.isEmpty()) {
            text.append(", faults: ").append(String.join("; ", faults));
        }
        connection.upstreamFailure().ifPresent(failure -> text.append(", upstream failed: ").append(failure));
        ProxyDialogueText.append(connection.dialogue(), text);
        return text.toString();
    }


}
