package dev.echofixture.internal.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * {@link StreamIo} over a plain TCP or UNIX socket: the channel's own reads and writes; it
 * holds no bytes of its own.
 *
 * <p>Owned by the loop thread.
 */
public final class PlainStream implements StreamIo {

    private final SocketChannel channel;
    private boolean arrived;

    public PlainStream(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        arrived |= n > 0;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public void closeOutbound() {
        // nothing of its own: the caller shuts the socket's output down
    }

    @Override
    public int interestOps(int wanted) {
        return wanted;
    }

    @Override
    public boolean bytesArrived() {
        boolean was = arrived;
        arrived = false;
        return was;
    }
}
