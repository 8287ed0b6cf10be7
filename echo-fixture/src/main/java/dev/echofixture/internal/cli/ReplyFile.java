package dev.echofixture.internal.cli;

import dev.echofixture.Framing;
import dev.echofixture.Match;
import dev.echofixture.Reply;
import dev.echofixture.Script;
import dev.echofixture.SettingException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The standalone endpoint's scripted replies: {@code --greeting TEXT} and the reply file of
 * {@code --replies FILE}, read as a line-framed {@link Script}. One rule a line:
 * <pre>
 * # a comment; blank lines are skipped
 * greeting 220 mail.example.com ESMTP
 * prefix HELO -&gt; 250 hello
 * regex MAIL FROM:&lt;.+&gt; -&gt; 250 OK
 * text QUIT -&gt; 221 Bye [close]
 * otherwise 502 Command not implemented
 * </pre>
 * Each reply is sent as one line ending in CRLF ({@code \r}, {@code \n}, {@code \t} and
 * {@code \\} escapes allowed inside); {@code -} alone sends nothing; {@code [close]} or
 * {@code [reset]} at the end closes or resets after it. {@code otherwise echo} echoes (the
 * default). A mistake names the file and the line.
 */
final class ReplyFile {

    static final String SYNTAX = "one rule a line: 'greeting REPLY', 'text|prefix|regex MESSAGE -> REPLY' or"
            + " 'otherwise REPLY|echo'; REPLY is a line, '-' for nothing, optionally ending in [close] or [reset]";

    private ReplyFile() {
    }

    /** The script of {@code --greeting} and {@code --replies}, or {@code null} if neither was given. */
    static Script script(String greeting, Path file) throws CommandLine.UsageException {
        if (greeting == null && file == null) {
            return null;
        }
        Script script = Script.of(Framing.lines());
        if (greeting != null) {
            script = script.greeting(Reply.lines(unescape(greeting)));
        }
        return file == null ? script : read(script, file, greeting != null);
    }

    private static Script read(Script script, Path file, boolean greetingGiven) throws CommandLine.UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new CommandLine.UsageException("--replies: " + file + " (expected: a text file in UTF-8)");
        } catch (IOException e) {
            throw new CommandLine.UsageException("--replies: " + file + " (expected: a readable file; " + e + ")");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "--replies: " + file + " line " + (i + 1) + ": ";
            try {
                script = rule(script, line, greetingGiven);
            } catch (SettingException e) {
                throw new CommandLine.UsageException(where + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.UsageException(where + "'" + line + "' (expected: " + e.getMessage() + ")");
            }
        }
        return script;
    }

    private static Script rule(Script script, String line, boolean greetingGiven) {
        int space = line.indexOf(' ');
        String keyword = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        switch (keyword) {
            case "greeting" -> {
                if (greetingGiven || script.greeting().isPresent()) {
                    throw new IllegalArgumentException("one greeting, here or by --greeting");
                }
                return script.greeting(reply(rest));
            }
            case "otherwise" -> {
                return script.otherwise(rest.equals("echo") ? Reply.echo() : reply(rest));
            }
            case "text", "prefix", "regex" -> {
                int arrow = rest.lastIndexOf(" -> ");
                if (arrow <= 0) {
                    throw new IllegalArgumentException(SYNTAX);
                }
                String message = unescape(rest.substring(0, arrow));
                Reply reply = reply(rest.substring(arrow + 4).strip());
                Match match = switch (keyword) {
                    case "text" -> Match.text(message);
                    case "prefix" -> Match.prefix(message);
                    default -> Match.regex(message);
                };
                return script.on(match, reply);
            }
            default -> throw new IllegalArgumentException(SYNTAX);
        }
    }

    private static Reply reply(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(SYNTAX);
        }
        Reply.Ending ending = Reply.Ending.NONE;
        if (text.endsWith("[close]") || text.endsWith("[reset]")) {
            ending = text.endsWith("[close]") ? Reply.Ending.CLOSE : Reply.Ending.RESET;
            text = text.substring(0, text.length() - 7).strip();
        }
        Reply reply = text.equals("-") || text.isEmpty() ? Reply.none() : Reply.lines(unescape(text));
        return switch (ending) {
            case CLOSE -> reply.thenClose();
            case RESET -> reply.thenReset();
            case NONE -> reply;
        };
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'r' -> out.append('\r');
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case '\\' -> out.append('\\');
                    default -> throw new IllegalArgumentException("an escape \\r, \\n, \\t or \\\\, not \\" + next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
