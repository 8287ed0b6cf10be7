package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Exchange;
import dev.echofixture.Framing;
import dev.echofixture.Match;
import dev.echofixture.Reply;
import dev.echofixture.Script;
import dev.echofixture.junit.EchoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Apache Commons Net's SMTPClient, a client no one here wrote, against a scripted SMTP server. */
@Timeout(60)
class SmtpClientScriptTests {

    static Script smtp() {
        return Script.of(Framing.lines())
                .greeting(Reply.lines("220 mail.example.com ESMTP ready"))
                .on(Match.prefix("HELO "), Reply.lines("250 mail.example.com"))
                .on(Match.regex("MAIL FROM:\\s*<[^>]+>"), Reply.lines("250 2.1.0 OK"))
                .on(Match.text("QUIT"), Reply.lines("221 2.0.0 Bye").thenClose())
                .otherwise(Reply.lines("502 5.5.1 Command not implemented"));
    }

    @Test
    void greetingHeloMailFromQuit(@EchoServer(script = "smtp") EmbeddedEchoServer server) throws IOException {
        talk(server);
    }

    @Test
    void oneByteAtATime(@EchoServer(script = "smtp", chunkSize = 1) EmbeddedEchoServer server) throws IOException {
        talk(server);
    }

    @Test
    void overASlowLink(@EchoServer(script = "smtp", latencyMillis = 50, chunkSize = 3) EmbeddedEchoServer server) throws IOException {
        talk(server);
    }

    private static void talk(EmbeddedEchoServer server) throws IOException {
        SMTPClient client = new SMTPClient();
        client.setDefaultTimeout(10_000);
        client.connect(server.host(), server.port());
        try {
            assertEquals(220, client.getReplyCode(), client.getReplyString());
            assertTrue(client.login("client.example.com"), client.getReplyString());
            assertTrue(client.setSender("alice@example.com"), client.getReplyString());
            assertEquals(502, client.rcpt("<bob@example.com>"), client.getReplyString());
            assertTrue(client.logout(), client.getReplyString());
            assertTrue(SMTPReply.isPositiveCompletion(client.getReplyCode()));
        } finally {
            client.disconnect();
        }
        EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
        List<String> messages = connection.exchanges().stream().map(Exchange::messageText).toList();
        assertEquals(List.of("", "HELO client.example.com", "MAIL FROM:<alice@example.com>", "RCPT TO:<bob@example.com>", "QUIT"),
                messages);
    }
}
