package dev.echofixture.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EmbeddedEchoServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The standalone endpoint's --greeting and --replies: a server that answers by the file, and mistakes named by line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplyFileTests {

    @TempDir
    Path folder;

    private Path file(String... lines) throws Exception {
        Path file = folder.resolve("replies.txt");
        Files.write(file, java.util.List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aServerAnswersByTheFile() throws Exception {
        Path file = file("# an SMTP-ish server", "", "prefix HELO -> 250 hello", "regex MAIL FROM:<.+> -> 250 OK",
                "text QUIT -> 221 Bye [close]", "otherwise 502 no");
        CommandLine line = CommandLine.parse("--port", "0", "--greeting", "220 ready", "--replies", file.toString());
        try (EmbeddedEchoServer server = line.builder().start();
             Socket socket = new Socket(server.host(), server.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            socket.getOutputStream().write("HELO me\r\nMAIL FROM:<a@b>\r\nNOOP\r\nQUIT\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("220 ready", in.readLine());
            assertEquals("250 hello", in.readLine());
            assertEquals("250 OK", in.readLine());
            assertEquals("502 no", in.readLine());
            assertEquals("221 Bye", in.readLine());
            assertEquals(null, in.readLine());
        }
    }

    @Test
    void mistakesNameTheFileAndTheLine() throws Exception {
        Path syntax = file("# fine", "prefix HELO 250 hello");
        String message = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse("--replies", syntax.toString())).getMessage();
        assertTrue(message.startsWith("--replies: " + syntax + " line 2: 'prefix HELO 250 hello' (expected: one rule a line"), message);

        Path regex = file("regex HELO ( -> 250");
        message = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse("--replies", regex.toString())).getMessage();
        assertTrue(message.startsWith("--replies: " + regex + " line 1: regex: HELO ( (expected: a regular expression that compiles"),
                message);

        message = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse("--replies", folder.resolve("missing.txt").toString())).getMessage();
        assertTrue(message.startsWith("--replies: " + folder.resolve("missing.txt") + " (expected: a readable file"), message);

        Path twoGreetings = file("greeting 220 a");
        message = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse("--greeting", "220 b", "--replies", twoGreetings.toString())).getMessage();
        assertTrue(message.contains("line 1: 'greeting 220 a' (expected: one greeting, here or by --greeting)"), message);
    }
}
