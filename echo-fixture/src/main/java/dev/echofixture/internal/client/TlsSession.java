package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import dev.echofixture.TlsHandshake;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.tls.TlsChannel;
import dev.echofixture.internal.util.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * An {@link EchoClient}'s TLS stream: a non-blocking TCP connect, then a TLS handshake through
 * a {@link TlsChannel}; the client counts as connected only once the handshake completed, so a
 * handshake failure (an untrusted server, a wrong host name, no common protocol) fails the
 * connect with the engine's {@link javax.net.ssl.SSLHandshakeException}, and a handshake that
 * does not finish in time fails it with the connect time-out.
 *
 * <p>The engine verifies the host name as HTTPS clients do (the certificate must name the host
 * of the URI, or its IP address), and sends the host name by SNI when it is a DNS name.
 * Payloads queue in {@code outbound} and are wrapped straight from the caller's copy; OP_WRITE
 * is on only while wrapped bytes or payloads wait. Decrypted bytes go to the {@link PendingSends}
 * FIFO at once; bytes the TLS channel still holds after the read budget are read in a task.
 *
 * <p>Threads: loop thread only.
 */
public final class TlsSession extends ClientSession {

    private static final int BUDGET = 16;

    private final SSLContext sslContext;
    private final String peerHost;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private EventLoop loop;
    private ByteBuffer readBuffer; // the loop's: used within one handler call only
    private SocketChannel channel;
    private TlsChannel tls;
    private boolean readScheduled;

    public TlsSession(String serverUri, InetSocketAddress remote, String peerHost, SSLContext sslContext, long timeoutNanos,
               String timeoutText) {
        super(serverUri, remote, timeoutNanos, timeoutText);
        this.sslContext = sslContext;
        this.peerHost = peerHost;
    }

    @Override
    void open(EventLoop loop) throws IOException {
        this.loop = loop;
        readBuffer = loop.readBuffer();
        channel = Sockets.clientFor(remote);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = loop.register(channel, SelectionKey.OP_CONNECT, this);
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel);
            throw e;
        }
        if (channel.connect(remote)) {
            startHandshake();
        }
    }

    private void startHandshake() throws IOException {
        SSLEngine engine = sslContext.createSSLEngine(peerHost, ((InetSocketAddress) remote).getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        tls = new TlsChannel(channel, engine, this::handshake);
        key.interestOps(SelectionKey.OP_READ);
        tls.begin();
        updateInterest();
    }

    private void handshake(TlsHandshake handshake) {
        if (handshake.isComplete()) {
            try {
                connectedAs(channel.getLocalAddress());
            } catch (IOException e) {
                connectedAs(null);
            }
        }
    }

    @Override
    void handle(SelectionKey ready) throws IOException {
        if (ready.isConnectable()) {
            if (channel.finishConnect()) {
                startHandshake();
            }
            return;
        }
        if (ready.isWritable()) {
            flush();
        }
        if (!failed() && ready.isReadable()) {
            read();
        }
        if (!failed()) {
            updateInterest();
        }
    }

    @Override
    ClientFailure ioFailure(IOException e) {
        return e instanceof SSLException ? ClientFailure.other(serverUri, e) : ClientFailure.reset(serverUri, e);
    }

    @Override
    void write(ByteBuffer payload) {
        outbound.add(payload);
        try {
            flush();
            updateInterest();
        } catch (IOException e) {
            end(ioFailure(e));
        }
    }

    @Override
    void flush() throws IOException {
        if (!tls.flush() || tls.isHandshaking()) {
            return;
        }
        for (int i = 0; i < BUDGET && !outbound.isEmpty(); i++) {
            ByteBuffer head = outbound.peek();
            tls.write(head);
            if (head.hasRemaining()) {
                return; // the socket is full: OP_WRITE
            }
            outbound.poll();
        }
    }

    @Override
    void read() throws IOException {
        if (!readFrom(tls, readBuffer)) {
            return;
        }
        if (!outbound.isEmpty() && !tls.isHandshaking()) {
            flush(); // the handshake may just have completed
        }
        if (tls.hasBufferedInput() && !readScheduled) {
            readScheduled = true;
            loop.execute(this::readBuffered);
        }
    }

    private void readBuffered() {
        readScheduled = false;
        if (failed() || tls == null) {
            return;
        }
        try {
            read();
            updateInterest();
        } catch (IOException e) {
            end(ioFailure(e));
        }
    }

    /**
     * Sends close_notify (as far as the socket takes it now), so that the server sees a clean
     * TLS close rather than a truncation; not after a failed handshake or record.
     */
    @Override
    void closing() {
        if (tls != null) {
            tls.closing(false);
        }
    }

    private void updateInterest() {
        if (key != null && key.isValid() && tls != null) {
            writeInterest(tls.hasPendingOutput() || (!outbound.isEmpty() && !tls.isHandshaking()));
        }
    }
}
