package dev.echofixture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Scripted replies: what a server answers instead of echoing (set with
 * {@link EmbeddedEchoServer.Builder#script(Script)}). Each connection runs the script from its
 * start: it sends the greeting on connect, cuts what it receives into messages with the
 * {@link Framing}, and answers each message with the first of these that applies:
 * <ol>
 *   <li>the first rule ({@link #on(Match, Reply)}) whose match picks the message, in the order
 *       added;</li>
 *   <li>the next canned reply ({@link #then(Reply)}), each used once per connection, in order
 *       (like MockWebServer's {@code enqueue});</li>
 *   <li>the responder ({@link #respond(Responder)}), unless it returns {@code null};</li>
 *   <li>the fallback ({@link #otherwise(Reply)}): by default {@link Reply#echo()}.</li>
 * </ol>
 * Replies go out through the server's {@link EchoBehavior} exactly as echoes do (latency,
 * chunking, bandwidth, silence); {@code closeAfter} and {@code resetAfter} count the bytes sent,
 * the greeting included. Immutable: each method returns a new script; any thread.
 *
 * <pre>{@code
 * Script smtp = Script.of(Framing.lines())
 *         .greeting(Reply.lines("220 mail.example.com ESMTP"))
 *         .on(Match.prefix("HELO"), Reply.lines("250 mail.example.com"))
 *         .on(Match.prefix("MAIL FROM:"), Reply.lines("250 OK"))
 *         .on(Match.text("QUIT"), Reply.lines("221 Bye").thenClose())
 *         .otherwise(Reply.lines("502 Command not implemented"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Script {

    /**
     * Computes the reply to a message no rule or canned reply took. It runs on the server's loop
     * thread, so it must not block; if it throws, that connection is reset and the failure is
     * recorded ({@link Exchange#failure()}) and reported, and the server goes on.
     */
    @FunctionalInterface
    public interface Responder {
        /**
         * The reply to one message.
         *
         * @param message    the message's content (a line without its terminator)
         * @param connection the connection it came on
         * @return the reply, or {@code null} for the fallback
         */
        Reply reply(byte[] message, EchoConnection connection);
    }

    /**
     * A rule: the messages a match picks get this reply.
     *
     * @param match the match
     * @param reply the reply
     */
    public record Rule(Match match, Reply reply) {
        /**
         * A rule.
         *
         * @param match the match
         * @param reply the reply
         */
        public Rule {
            if (match == null) {
                throw new SettingException("match", "null (expected: a Match such as Match.text(\"PING\"))");
            }
            if (reply == null) {
                throw new SettingException("reply", "null (expected: a Reply such as Reply.lines(\"OK\"); Reply.none() for nothing)");
            }
        }
    }

    private final Framing framing;
    private final Reply greeting;
    private final List<Rule> rules;
    private final List<Reply> canned;
    private final Responder responder;
    private final Reply fallback;

    private Script(Framing framing, Reply greeting, List<Rule> rules, List<Reply> canned, Responder responder, Reply fallback) {
        this.framing = framing;
        this.greeting = greeting;
        this.rules = rules;
        this.canned = canned;
        this.responder = responder;
        this.fallback = fallback;
    }

    /**
     * An empty script with this framing: no greeting, every message echoed.
     *
     * @param framing how messages are cut
     * @return the script
     * @throws SettingException naming {@code framing} if it is {@code null}
     */
    public static Script of(Framing framing) {
        if (framing == null) {
            throw new SettingException("framing", "null (expected: a Framing such as Framing.lines())");
        }
        return new Script(framing, null, List.of(), List.of(), null, Reply.echo());
    }

    /**
     * Sends this on connect (over UDP: before the answer to a peer's first datagram). Not sent
     * under {@link EchoBehavior#silent()}, which sends nothing.
     *
     * @param greeting the greeting
     * @return a new script
     */
    public Script greeting(Reply greeting) {
        if (greeting == null || greeting.isEcho()) {
            throw new SettingException("greeting", greeting + " (expected: a Reply with bytes, such as Reply.lines(\"220 ready\"))");
        }
        return new Script(framing, greeting, rules, canned, responder, fallback);
    }

    /**
     * Answers the messages {@code match} picks with {@code reply}; rules are tried in the order added.
     *
     * @param match the match
     * @param reply the reply
     * @return a new script
     */
    public Script on(Match match, Reply reply) {
        return new Script(framing, greeting, append(rules, new Rule(match, reply)), canned, responder, fallback);
    }

    /**
     * Adds a canned reply: the n-th one answers a connection's n-th message no rule took.
     *
     * @param reply the reply
     * @return a new script
     */
    public Script then(Reply reply) {
        if (reply == null) {
            throw new SettingException("then", "null (expected: a Reply; Reply.none() for nothing)");
        }
        return new Script(framing, greeting, rules, append(canned, reply), responder, fallback);
    }

    /**
     * Computes the reply to messages no rule or canned reply took.
     *
     * @param responder the function; see {@link Responder} for its thread
     * @return a new script
     */
    public Script respond(Responder responder) {
        if (responder == null) {
            throw new SettingException("respond", "null (expected: a Responder)");
        }
        return new Script(framing, greeting, rules, canned, responder, fallback);
    }

    /**
     * The reply to everything else; default {@link Reply#echo()}. {@link Reply#none()} stays
     * silent, {@link Reply#close()} closes.
     *
     * @param fallback the reply
     * @return a new script
     */
    public Script otherwise(Reply fallback) {
        if (fallback == null) {
            throw new SettingException("otherwise", "null (expected: a Reply such as Reply.echo(), Reply.none() or Reply.close())");
        }
        return new Script(framing, greeting, rules, canned, responder, fallback);
    }

    /**
     * The framing.
     *
     * @return how messages are cut
     */
    public Framing framing() {
        return framing;
    }

    /**
     * The greeting.
     *
     * @return the greeting, if any
     */
    public Optional<Reply> greeting() {
        return Optional.ofNullable(greeting);
    }

    /**
     * The rules, in order.
     *
     * @return an unmodifiable list
     */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * The canned replies, in order.
     *
     * @return an unmodifiable list
     */
    public List<Reply> canned() {
        return canned;
    }

    /**
     * The responder.
     *
     * @return the responder, if any
     */
    public Optional<Responder> responder() {
        return Optional.ofNullable(responder);
    }

    /**
     * The fallback.
     *
     * @return the reply to everything else
     */
    public Reply fallback() {
        return fallback;
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return Collections.unmodifiableList(copy);
    }

    /** For example {@code Script[lines, greeting, 3 rules, 0 canned, no responder, otherwise Reply[echo]]}. */
    @Override
    public String toString() {
        return "Script[" + framing + (greeting == null ? "" : ", greeting " + greeting) + ", " + rules.size() + " rules, "
                + canned.size() + " canned, " + (responder == null ? "no" : "a") + " responder, otherwise " + fallback + "]";
    }
}
