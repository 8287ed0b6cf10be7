package dev.echofixture.internal.client;

import dev.echofixture.EchoClient;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.stream.PlainStream;
import dev.echofixture.internal.stream.StreamIo;
import dev.echofixture.internal.util.Sockets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * An {@link EchoClient}'s TCP or Unix-domain stream: a non-blocking connect, then writes and
 * reads interleaved so that a large payload never deadlocks against the server's backpressure.
 *
 * <p>Connect: the caller's thread opens the channel and starts a non-blocking connect
 * ({@link #connectHere()}). On loopback it has finished when {@code connect} returns (a Unix
 * socket says so at once, TCP when asked with {@code finishConnect}); the loop then only
 * registers the channel for reading. Otherwise the loop registers it for OP_CONNECT and
 * finishes the connect under the client's time-out. Close: with nothing outstanding the
 * caller's thread closes the channel itself ({@link #closeHere()}): the peer sees the end of
 * stream at once; closing a registered channel only shuts its output down, and the loop
 * releases the socket when it drops the cancelled key.
 *
 * <p>Write path: payloads queue in {@code outbound}; they are copied into a 64 KiB direct
 * buffer (allocated on the first send: a client that never sends costs no direct memory) and
 * written directly; only after a short write is OP_WRITE registered, and it is
 * cleared once everything is flushed. Read path: OP_READ stays on for the whole life of the
 * connection (the client must always drain the echo, or the server stops reading); bytes are
 * read into the loop's shared read buffer and copied at once to the {@link PendingSends} FIFO. At most 16 writes and 16 reads per wake-up, writes first.
 * End of stream fails the client with an EOF, an I/O error with a reset; either closes the
 * channel.
 *
 * <p>Threads: loop thread only, except {@link #connectHere()} and {@link #closeHere()} (the
 * caller's thread, before the loop sees the channel and once nothing is outstanding).
 */
public final class StreamSession extends ClientSession {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int BUDGET = 16;

    private final boolean unix;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private ByteBuffer writeBuffer; // allocated on the first write
    private ByteBuffer readBuffer; // the loop's: used within one handler call only
    private SocketChannel channel; // opened by connectHere(), before the loop sees the session
    private StreamIo io; // over channel, made with it
    private IOException resetWhileConnecting; // the server accepted and reset before connectHere() finished

    public StreamSession(String serverUri, SocketAddress remote, boolean unix, long timeoutNanos, String timeoutText) {
        super(serverUri, remote, timeoutNanos, timeoutText);
        this.unix = unix;
    }

    @Override
    boolean connectHere() throws IOException {
        channel = Sockets.clientFor(remote);
        io = new PlainStream(channel);
        try {
            if (!unix) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            channel.configureBlocking(false);
            if (channel.connect(remote)) {
                connectedAs(channel.getLocalAddress());
                return true;
            }
            try {
                if (!channel.finishConnect()) {
                    return false; // still connecting: the loop finishes it (open)
                }
            } catch (ConnectException e) {
                throw e; // refused or unreachable
            } catch (SocketException e) {
                // accepted and reset at once (resetAfter(0)): a connection that was reset, as in handle()
                connectedAs(localAddressOrNull());
                resetWhileConnecting = e;
                return true;
            }
            connectedAs(channel.getLocalAddress());
            return true;
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel); // not registered: the loop would not close it
            throw e;
        }
    }

    @Override
    void registerConnected(EventLoop loop) throws IOException {
        readBuffer = loop.readBuffer();
        if (resetWhileConnecting != null) {
            end(ioFailure(resetWhileConnecting));
            return;
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException(); // close() came first
        }
        key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    @Override
    void open(EventLoop loop) throws IOException {
        readBuffer = loop.readBuffer();
        try {
            key = loop.register(channel, SelectionKey.OP_CONNECT, this); // connectHere() started the connect
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel); // not registered: the loop would not close it
            throw e;
        }
    }

    @Override
    boolean closeHere() {
        EventLoop.closeQuietly(channel); // shuts the output down now; the loop drops the key and the socket
        return true;
    }

    @Override
    void closeChannel() {
        super.closeChannel();
        if (channel != null) {
            EventLoop.closeQuietly(channel); // also when it was never registered (the loop rejected it)
        }
    }

    private SocketAddress localAddressOrNull() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null; // the failed connect closed the channel
        }
    }

    private void onConnected() throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        connectedAs(channel.getLocalAddress());
    }

    @Override
    void handle(SelectionKey ready) throws IOException {
        if (ready.isConnectable()) {
            boolean done;
            try {
                done = channel.finishConnect();
            } catch (ConnectException e) {
                throw e; // refused or unreachable: the connect itself failed
            } catch (SocketException e) {
                // The server accepted and reset at once (resetAfter(0)) before we saw the connect
                // complete: to the user that is a connection that was reset, not one that failed.
                connectedAs(localAddressOrNull());
                end(ioFailure(e));
                return;
            }
            if (done) {
                onConnected();
            }
            return;
        }
        super.handle(ready);
    }

    @Override
    ClientFailure ioFailure(IOException e) {
        return ClientFailure.reset(serverUri, e);
    }

    @Override
    void write(ByteBuffer payload) {
        if (writeBuffer == null) {
            writeBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE).flip();
        }
        outbound.add(payload);
        flushUnlessWaitingForWrite();
    }

    @Override
    void flush() throws IOException {
        for (int i = 0; i < BUDGET; i++) {
            fill();
            if (!writeBuffer.hasRemaining()) {
                writeInterest(false);
                return;
            }
            io.write(writeBuffer);
            if (writeBuffer.hasRemaining()) { // short write: the socket is full, wait for OP_WRITE
                writeInterest(true);
                return;
            }
        }
        writeInterest(!outbound.isEmpty() || writeBuffer.hasRemaining()); // budget spent: come back later
    }

    /** Tops the direct write buffer up from the queued payloads; leaves it ready to be written. */
    private void fill() {
        if (outbound.isEmpty() || writeBuffer.remaining() == writeBuffer.capacity()) {
            return;
        }
        writeBuffer.compact();
        while (writeBuffer.hasRemaining()) {
            ByteBuffer head = outbound.peek();
            if (head == null) {
                break;
            }
            if (head.remaining() <= writeBuffer.remaining()) {
                writeBuffer.put(head);
                outbound.poll();
            } else {
                int limit = head.limit();
                head.limit(head.position() + writeBuffer.remaining());
                writeBuffer.put(head);
                head.limit(limit);
            }
        }
        writeBuffer.flip();
    }

    @Override
    void read() throws IOException {
        readFrom(io, readBuffer);
    }
}
