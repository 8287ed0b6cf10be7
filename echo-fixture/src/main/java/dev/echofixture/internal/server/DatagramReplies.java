package dev.echofixture.internal.server;

import dev.echofixture.EchoBehavior;
import dev.echofixture.Exchange;
import dev.echofixture.Reply;
import dev.echofixture.internal.replies.ScriptRun;
import dev.echofixture.internal.util.LazyLogger;
import java.nio.ByteBuffer;

/**
 * Scripted replies over UDP: each datagram is one message, each message of a reply one
 * datagram, sent through the peer as an echo would be (latency, jitter, bandwidth,
 * {@code closeAfter} counting the bytes sent). The greeting goes before the answer to a peer's
 * first datagram. A close or reset ends the peer as {@code closeAfter} does (UDP has no reset);
 * so does a responder that throws. Loop thread only.
 */
final class DatagramReplies {

    private static final LazyLogger LOG = new LazyLogger(DatagramReplies.class);

    private DatagramReplies() {
    }

    static void answer(DatagramPeer peer, ScriptRun run, ByteBuffer datagram, EchoBehavior behavior, long now) {
        if (!peer.isOpen()) {
            return;
        }
        byte[] content = new byte[datagram.remaining()];
        datagram.duplicate().get(content);
        Reply greeting = run.greeting();
        if (greeting != null) {
            send(peer, greeting, null, behavior, now);
            peer.view().exchanged(new Exchange(new byte[0], greeting.bytes(), greeting.ending(), null));
        }
        Reply reply;
        try {
            reply = run.pick(content, peer.view());
        } catch (RuntimeException e) {
            String failure = "the script threw " + e;
            LOG.get().warn("{}: scripted reply failed, forgetting the peer: {}", peer.view(), failure);
            peer.view().exchanged(new Exchange(content, new byte[0], Reply.Ending.RESET, failure));
            peer.startClosing();
            return;
        }
        peer.view().exchanged(new Exchange(content, reply.isEcho() ? content : reply.bytes(), reply.ending(), null));
        send(peer, reply, datagram, behavior, now);
    }

    private static void send(DatagramPeer peer, Reply reply, ByteBuffer datagram, EchoBehavior behavior, long now) {
        if (!behavior.isSilent()) {
            if (reply.isEcho()) {
                if (peer.isOpen()) {
                    peer.echo(datagram, behavior, now);
                }
            } else {
                for (byte[] message : reply.messages()) {
                    if (peer.isOpen()) {
                        peer.echo(ByteBuffer.wrap(message), behavior, now);
                    }
                }
            }
        }
        if (reply.ending() != Reply.Ending.NONE) {
            peer.startClosing();
        }
    }
}
