package dev.echofixture.samples;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;

/**
 * Reads length-prefixed frames from a channel: each frame is a 4-byte big-endian length followed
 * by that many bytes. A read may return any number of bytes, so the reader keeps the state of the
 * frame it is in (a partial header or a partial body) between reads, and a single read may also
 * complete several frames.
 *
 * <pre>{@code
 * channel.write(FrameReader.encode(payload));
 * FrameReader reader = new FrameReader(1 << 20);
 * byte[] frame = reader.readFrame(channel);   // blocking channel: waits for one whole frame
 * }</pre>
 *
 * <p>With a non-blocking channel, call {@link #readAvailable(ReadableByteChannel)} when the
 * channel is readable and then take the frames with {@link #poll()}. Not thread-safe.
 */
public final class FrameReader {

    /** Bytes in a frame's length prefix. */
    public static final int HEADER_LENGTH = 4;

    private final int maxFrameLength;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private byte[] body; // the frame being read, once its header is complete
    private int bodyFilled;
    private boolean ended;

    /**
     * A reader that rejects frames longer than {@code maxFrameLength}.
     *
     * @param maxFrameLength the largest frame accepted, in bytes (a guard against garbage lengths)
     * @throws IllegalArgumentException if it is negative
     */
    public FrameReader(int maxFrameLength) {
        if (maxFrameLength < 0) {
            throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength + " (expected: >= 0)");
        }
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Encodes one frame: the length prefix and the payload.
     *
     * @param payload the frame's bytes
     * @return a buffer ready to be written
     */
    public static ByteBuffer encode(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
        frame.putInt(payload.length).put(payload).flip();
        return frame;
    }

    /**
     * Reads from a blocking channel until one whole frame is there.
     *
     * @param channel a blocking channel
     * @return the frame, or {@code null} if the channel ended cleanly between frames
     * @throws EOFException if the channel ended inside a frame (the message says how much was missing)
     * @throws IOException if a frame is longer than the maximum, or reading fails
     */
    public byte[] readFrame(ReadableByteChannel channel) throws IOException {
        while (frames.isEmpty()) {
            if (!readAvailable(channel)) {
                return null;
            }
        }
        return frames.poll();
    }

    /**
     * Reads once from the channel and decodes every frame that completes. On a non-blocking
     * channel this may read nothing.
     *
     * @param channel the channel
     * @return {@code false} once the channel ended cleanly between frames
     * @throws EOFException if the channel ended inside a frame
     * @throws IOException if a frame is longer than the maximum, or reading fails
     */
    public boolean readAvailable(ReadableByteChannel channel) throws IOException {
        if (ended) {
            return false;
        }
        readBuffer.clear();
        int n = channel.read(readBuffer);
        if (n < 0) {
            ended = true;
            if (header.position() > 0 || body != null) {
                throw new EOFException("the channel ended inside a frame: " + missing() + " expected");
            }
            return false;
        }
        readBuffer.flip();
        decode(readBuffer);
        return true;
    }

    /**
     * The next decoded frame, if any.
     *
     * @return the oldest frame not taken yet, or {@code null}
     */
    public byte[] poll() {
        return frames.poll();
    }

    private void decode(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (body == null) {
                while (header.hasRemaining() && bytes.hasRemaining()) {
                    header.put(bytes.get());
                }
                if (header.hasRemaining()) {
                    return; // a partial header: wait for the next read
                }
                int length = header.flip().getInt();
                header.clear();
                if (length < 0 || length > maxFrameLength) {
                    throw new IOException("frame length: " + Integer.toUnsignedString(length)
                            + " (expected: 0 to " + maxFrameLength + ", the reader's maxFrameLength)");
                }
                body = new byte[length];
                bodyFilled = 0;
            }
            int n = Math.min(bytes.remaining(), body.length - bodyFilled);
            bytes.get(body, bodyFilled, n);
            bodyFilled += n;
            if (bodyFilled == body.length) {
                frames.add(body);
                body = null;
            }
        }
    }

    private String missing() {
        return body == null ? (HEADER_LENGTH - header.position()) + " more header bytes"
                : (body.length - bodyFilled) + " more body bytes";
    }
}
