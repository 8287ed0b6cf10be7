package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code idleTimeout} over TLS: any byte received counts as activity, during the handshake too, as over TCP. */
@Timeout(30)
class TlsIdleTimeoutTests {

    private static final Duration IDLE = Duration.ofMillis(300);
    private static final int PIECES = 30;
    private static final long GAP_NANOS = 50_000_000L; // 30 x 50 ms: five idle time-outs long

    @Test
    void aSlowButSteadyClientHelloIsAnswered() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).idleTimeout(IDLE).start()) {
            byte[] hello = clientHello(server); // before connecting: the JVM's first TLS client takes a while
            try (RawPeer peer = RawPeer.connect(server)) {
                sendSlowly(peer, hello);
                ByteBuffer reply = ByteBuffer.allocate(1);
                int n = peer.channel.read(reply);
                assertEquals(1, n, "the server answered the hello before closing");
                assertEquals(22, reply.get(0), "a handshake record (22), not an alert (21)");
                assertTrue(server.connections().get(0).isOpen(), "the connection is open");
            }
        }
    }

    @Test
    void theSamePaceOverTcpIsEchoed() throws Exception {
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().idleTimeout(IDLE).start();
             RawPeer peer = RawPeer.connect(server)) {
            byte[] bytes = TcpEchoTests.random(PIECES * 10, 4);
            sendSlowly(peer, bytes);
            assertArrayEquals(bytes, peer.readExactly(bytes.length));
        }
    }

    /** Sends {@code bytes} in {@link #PIECES} pieces, {@link #GAP_NANOS} apart. */
    private static void sendSlowly(RawPeer peer, byte[] bytes) throws IOException {
        int piece = (bytes.length + PIECES - 1) / PIECES;
        for (int at = 0; at < bytes.length; at += piece) {
            if (at > 0) {
                LockSupport.parkNanos(GAP_NANOS); // the pace is the test's subject, not a wait for something
            }
            peer.write(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + piece)));
        }
    }

    /** A client's first flight for {@code server}: its ClientHello record. */
    static byte[] clientHello(EmbeddedEchoServer server) throws IOException {
        SSLEngine engine = server.sslContextForClients().createSSLEngine("localhost", server.port());
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertTrue(hello.length >= PIECES, "a hello of " + hello.length + " bytes");
        return hello;
    }
}
