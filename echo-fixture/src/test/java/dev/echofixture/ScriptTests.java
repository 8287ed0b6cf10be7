package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scripted replies over real sockets: framing, greeting, rules, canned replies, responder, fallback, conditions. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static final Script SMTP = Script.of(Framing.lines())
            .greeting(Reply.lines("220 mail.example.com ESMTP"))
            .on(Match.prefix("HELO"), Reply.lines("250 mail.example.com"))
            .on(Match.regex("MAIL FROM:<.*>"), Reply.lines("250 OK"))
            .on(Match.text("QUIT"), Reply.lines("221 Bye").thenClose())
            .otherwise(Reply.lines("502 Command not implemented"));

    /** A socket's two streams, whatever the transport. */
    record Peer(AutoCloseable socket, InputStream in, OutputStream out) implements AutoCloseable {
        static Peer connect(EmbeddedEchoServer server) throws IOException {
            switch (server.transport()) {
                case UNIX -> {
                    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(server.socketAddress());
                    return new Peer(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
                }
                case TLS -> {
                    SSLSocket socket = (SSLSocket) server.sslContextForClients().getSocketFactory()
                            .createSocket(server.address().getAddress(), server.port());
                    socket.setSoTimeout(20_000);
                    return new Peer(socket, socket.getInputStream(), socket.getOutputStream());
                }
                default -> {
                    Socket socket = new Socket(server.address().getAddress(), server.port());
                    socket.setSoTimeout(20_000);
                    return new Peer(socket, socket.getInputStream(), socket.getOutputStream());
                }
            }
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        BufferedReader reader() {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "UNIX", "TLS"})
    void anSmtpDialogueOverEveryStreamTransport(Transport transport) throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).script(SMTP).start();
             Peer peer = Peer.connect(server)) {
            BufferedReader reader = peer.reader();
            assertEquals("220 mail.example.com ESMTP", reader.readLine()); // over TLS: once the handshake is done
            peer.send("HELO me\r\n");
            assertEquals("250 mail.example.com", reader.readLine());
            peer.send("MAIL FROM:<a@b.c>\nNOOP\r\nQUIT\r\n");
            assertEquals("250 OK", reader.readLine());
            assertEquals("502 Command not implemented", reader.readLine());
            assertEquals("221 Bye", reader.readLine());
            assertEquals(null, reader.readLine(), "closed after QUIT");
            EchoConnection connection = server.awaitConnections(1, WAIT).get(0);
            Await.until(WAIT, () -> !connection.isOpen(), () -> "closed: " + connection);
            List<Exchange> exchanges = connection.exchanges();
            assertEquals(List.of("", "HELO me", "MAIL FROM:<a@b.c>", "NOOP", "QUIT"),
                    exchanges.stream().map(Exchange::messageText).toList());
            assertEquals("221 Bye\r\n", exchanges.get(4).replyText());
            assertEquals(Reply.Ending.CLOSE, exchanges.get(4).ending());
            assertEquals("\"QUIT\" -> \"221 Bye\\r\\n\", then close", exchanges.get(4).toString());
        }
    }

    @Test
    void cannedRepliesInOrderThenTheResponderThenTheFallback() throws Exception {
        Script script = Script.of(Framing.lines())
                .then(Reply.lines("first"))
                .then(Reply.text("second\r\n", "and more\r\n"))
                .respond((message, connection) -> new String(message, StandardCharsets.UTF_8).startsWith("x")
                        ? Reply.lines("x#" + connection.isOpen()) : null);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().script(script).start();
             Peer peer = Peer.connect(server)) {
            BufferedReader reader = peer.reader();
            peer.send("a\nb\nxy\nplain\n");
            assertEquals("first", reader.readLine());
            assertEquals("second", reader.readLine());
            assertEquals("and more", reader.readLine());
            assertEquals("x#true", reader.readLine());
            assertEquals("plain", reader.readLine(), "echoed whole, terminator included");
        }
    }

    @Test
    void aMessageSplitAcrossReadsIsAnsweredOnceWhole() throws Exception {
        Script script = Script.of(Framing.lengthPrefixed(2)).on(Match.text("ping"), Reply.text("pong"));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().script(script).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write(new byte[] {0});
            EchoConnection connection = server.awaitConnections(1, WAIT).get(0);
            connection.awaitReceived(new byte[] {0}, WAIT);
            peer.write(new byte[] {4, 'p', 'i'});
            connection.awaitReceived(new byte[] {0, 4, 'p', 'i'}, WAIT);
            peer.write(new byte[] {'n', 'g', 0, 4, 'p', 'i', 'n', 'g'});
            assertEquals("pongpong", new String(peer.readExactly(8), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void conditionsApplyToRepliesAndCloseAfterCountsBytesSent() throws Exception {
        Script script = Script.of(Framing.lines()).greeting(Reply.lines("hello")).otherwise(Reply.lines("0123456789"));
        EchoBehavior behavior = EchoBehavior.echo().chunkSize(1).latency(Duration.ofMillis(20)).closeAfter(10);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(behavior).script(script).start();
             RawPeer peer = RawPeer.connect(server)) {
            assertEquals("hello\r\n", new String(peer.readSome(64), StandardCharsets.US_ASCII).substring(0, 1)
                    + new String(peer.readExactly(6), StandardCharsets.US_ASCII), "chunks of one byte");
            peer.write("x\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("012", new String(peer.readToEnd(), StandardCharsets.US_ASCII), "greeting (7) + 3 = closeAfter(10)");
        }
    }

    @Test
    void silentSendsNoGreeting() throws Exception {
        Script script = Script.of(Framing.lines()).greeting(Reply.lines("hello")).otherwise(Reply.lines("ok"));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().behavior(EchoBehavior.echo().silent()).script(script).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("x\n".getBytes(StandardCharsets.US_ASCII));
            EchoConnection connection = server.awaitConnections(1, WAIT).get(0);
            connection.awaitReceived("x\n", WAIT);
            Await.until(WAIT, () -> connection.exchanges().size() == 2, () -> "two exchanges: " + connection.exchanges());
            server.behavior(EchoBehavior.echo());
            peer.write("y\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ok\r\n", new String(peer.readExactly(4), StandardCharsets.US_ASCII), "nothing before the switch");
        }
    }

    @Test
    void aResponderThatThrowsResetsThatConnectionOnlyAndIsRecorded() throws Exception {
        Script script = Script.of(Framing.lines()).respond((message, connection) -> {
            if (message.length == 0) {
                throw new IllegalStateException("no empty lines here");
            }
            return Reply.lines("fine");
        });
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().script(script).start()) {
            try (RawPeer peer = RawPeer.connect(server)) {
                peer.write("\n".getBytes(StandardCharsets.US_ASCII));
                EchoConnection connection = server.awaitConnections(1, WAIT).get(0);
                assertEquals(ConnectionClose.Kind.RESET, closeSeenBy(peer));
                Await.until(WAIT, () -> !connection.isOpen(), () -> "closed: " + connection);
                String failure = connection.exchanges().get(0).failure();
                assertNotNull(failure);
                assertTrue(failure.contains("no empty lines here"), failure);
            }
            try (RawPeer second = RawPeer.connect(server)) {
                second.write("a\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("fine\r\n", new String(second.readExactly(6), StandardCharsets.US_ASCII));
            }
        }
    }

    private static ConnectionClose.Kind closeSeenBy(RawPeer peer) {
        try {
            return peer.readSome(64) == null ? ConnectionClose.Kind.ORDERLY : null;
        } catch (IOException e) {
            return ConnectionClose.Kind.RESET;
        }
    }

    @Test
    void respFramingCutsACommandSentAsSeveralLines() throws Exception {
        Script script = Script.of(Framing.resp())
                .on(Match.regex("\\*1\r\n\\$4\r\nPING\r\n"), Reply.text("+PONG\r\n"))
                .otherwise(Reply.text("-ERR unknown\r\n"));
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().script(script).start();
             RawPeer peer = RawPeer.connect(server)) {
            peer.write("*1\r\n$4\r\nPI".getBytes(StandardCharsets.US_ASCII));
            peer.write("NG\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+PONG\r\n-ERR unknown\r\n", new String(peer.readExactly(21), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void badScriptsNameTheirSetting() {
        assertEquals("lengthPrefixed", assertThrows(SettingException.class, () -> Framing.lengthPrefixed(3)).setting());
        assertEquals("fixedLength", assertThrows(SettingException.class, () -> Framing.fixedLength(0)).setting());
        assertEquals("delimiter", assertThrows(SettingException.class, () -> Framing.delimiter(new byte[0])).setting());
        SettingException regex = assertThrows(SettingException.class, () -> Match.regex("HELO ("));
        assertEquals("regex", regex.setting());
        assertTrue(regex.getMessage().startsWith("regex: HELO ( (expected: a regular expression that compiles"), regex.getMessage());
    }

    @Test
    void overUdpEachDatagramIsAMessageAndEachReplyMessageADatagram() throws Exception {
        Script script = Script.of(Framing.lines())                  // the framing does not apply to datagrams
                .greeting(Reply.text("hi"))
                .on(Match.text("two\n"), Reply.text("a", "b"))
                .on(Match.text("bye"), Reply.text("ciao").thenClose());
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.UDP)
                .behavior(EchoBehavior.echo().latency(Duration.ofMillis(10))).script(script).start();
             java.net.DatagramSocket socket = new java.net.DatagramSocket(0, server.address().getAddress())) {
            socket.setSoTimeout(10_000);
            socket.connect(server.address());
            socket.send(new java.net.DatagramPacket("two\n".getBytes(StandardCharsets.US_ASCII), 4));
            assertEquals(List.of("hi", "a", "b"), List.of(receive(socket), receive(socket), receive(socket)));
            socket.send(new java.net.DatagramPacket("other".getBytes(StandardCharsets.US_ASCII), 5));
            assertEquals("other", receive(socket), "the fallback echoes");
            socket.send(new java.net.DatagramPacket("bye".getBytes(StandardCharsets.US_ASCII), 3));
            assertEquals("ciao", receive(socket));
            EchoConnection peer = server.awaitConnections(1, WAIT).get(0);
            Await.until(WAIT, () -> peer.exchanges().size() == 4, () -> "four exchanges: " + peer.exchanges());
            assertEquals(List.of("", "two\n", "other", "bye"), peer.exchanges().stream().map(Exchange::messageText).toList());
        }
    }

    private static String receive(java.net.DatagramSocket socket) throws IOException {
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[1500], 1500);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }
}
