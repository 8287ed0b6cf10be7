package dev.echofixture.internal.replies;

import dev.echofixture.EchoConnection;
import dev.echofixture.Framing;
import dev.echofixture.Reply;
import dev.echofixture.Script;
import java.nio.ByteBuffer;

/**
 * One connection's run of a {@link Script}: holds the bytes of a message not complete yet, cuts
 * complete ones with the framing and picks each one's reply (rules, then the next canned reply,
 * then the responder, then the fallback). A responder or framing that throws ends the run with
 * a reset, recorded as the failure of that message. Owned by the loop thread.
 */
public final class ScriptRun {

    /** The most bytes held for one message not complete yet; beyond it the connection fails. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Receives each message and its reply, in order. */
    public interface Sink {
        /**
         * One message answered.
         *
         * @param frame   the message as received, framing included (what an echo sends back)
         * @param content the message's content
         * @param reply   the reply picked
         * @param failure why the script failed (the reply is then a reset), or {@code null}
         * @return whether to go on with the next message
         */
        boolean answer(ByteBuffer frame, byte[] content, Reply reply, String failure);
    }

    private final Script script;
    private final Framing framing;
    private ByteBuffer pending; // bytes of a message not complete yet, in read mode; null when none
    private int nextCanned;
    private boolean failed;

    public ScriptRun(Script script) {
        this.script = script;
        this.framing = script.framing();
    }

    private boolean greeted;

    /** The greeting the first time it is asked for, then {@code null}; {@code null} without one. */
    public Reply greeting() {
        if (greeted) {
            return null;
        }
        greeted = true;
        return script.greeting().orElse(null);
    }

    /** Cuts what {@code data} completes into messages and answers each; consumes {@code data}. */
    public void feed(ByteBuffer data, EchoConnection connection, Sink sink) {
        if (failed) {
            data.position(data.limit());
            return;
        }
        ByteBuffer source = data;
        if (pending != null) {
            pending = grow(pending, data.remaining());
            pending.compact().put(data).flip();
            source = pending;
        }
        while (source.hasRemaining() && !failed) {
            int length;
            try {
                length = framing.frameLength(source);
            } catch (RuntimeException e) {
                fail(source, sink, "framing " + framing + " threw " + e);
                return;
            }
            if (length < 0) {
                break;
            }
            if (length == 0 || length > source.remaining()) {
                fail(source, sink, "framing " + framing + " returned " + length + " for " + source.remaining() + " bytes");
                return;
            }
            ByteBuffer frame = source.slice(source.position(), length);
            source.position(source.position() + length);
            if (!answer(frame, connection, sink)) {
                pending = null;
                data.position(data.limit());
                return;
            }
        }
        if (source == data) {
            if (data.hasRemaining()) {
                pending = ByteBuffer.allocate(Math.max(256, data.remaining()));
                pending.put(data).flip();
            }
        } else if (!source.hasRemaining()) {
            pending = null;
        }
        if (pending != null && pending.remaining() > MAX_MESSAGE_BYTES) {
            fail(pending, sink, "more than " + MAX_MESSAGE_BYTES + " bytes without a complete message (framing " + framing + ")");
        }
    }

    private boolean answer(ByteBuffer frame, EchoConnection connection, Sink sink) {
        byte[] content;
        Reply reply;
        try {
            ByteBuffer slice = framing.content(frame.duplicate());
            content = new byte[slice.remaining()];
            slice.get(content);
            reply = pick(content, connection);
        } catch (RuntimeException e) {
            failed = true;
            byte[] whole = new byte[frame.remaining()];
            frame.duplicate().get(whole);
            return sink.answer(frame, whole, Reply.reset(), "the script threw " + e);
        }
        return sink.answer(frame, content, reply, null);
    }

    /**
     * The reply to one whole message (a datagram), without framing.
     *
     * @throws RuntimeException what a matcher or the responder threw
     */
    public Reply pick(byte[] content, EchoConnection connection) {
        for (Script.Rule rule : script.rules()) {
            if (rule.match().matches(content)) {
                return rule.reply();
            }
        }
        if (nextCanned < script.canned().size()) {
            return script.canned().get(nextCanned++);
        }
        Script.Responder responder = script.responder().orElse(null);
        if (responder != null) {
            Reply reply = responder.reply(content.clone(), connection);
            if (reply != null) {
                return reply;
            }
        }
        return script.fallback();
    }

    private void fail(ByteBuffer source, ScriptRun.Sink sink, String why) {
        failed = true;
        byte[] rest = new byte[Math.min(source.remaining(), 1024)];
        source.duplicate().get(rest);
        pending = null;
        sink.answer(ByteBuffer.wrap(rest), rest, Reply.reset(), why);
    }

    private static ByteBuffer grow(ByteBuffer buffer, int more) {
        if (buffer.capacity() - buffer.remaining() >= more) {
            return buffer;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.remaining() + more));
        bigger.put(buffer).flip();
        return bigger;
    }
}
