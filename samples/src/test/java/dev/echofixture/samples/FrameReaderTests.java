package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrameReader} over a real socket to an echo server: what is written comes back as frames. */
@EchoServer
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameReaderTests {

    private static List<byte[]> frames(int... sizes) {
        Random random = new Random(42);
        List<byte[]> frames = new ArrayList<>();
        for (int size : sizes) {
            byte[] frame = new byte[size];
            random.nextBytes(frame);
            frames.add(frame);
        }
        return frames;
    }

    /** Writes on another thread while the test reads, as a real peer would: never both blocked. */
    private static CompletableFuture<Void> writeAll(SocketChannel channel, List<byte[]> frames) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (byte[] frame : frames) {
                    ByteBuffer encoded = FrameReader.encode(frame);
                    while (encoded.hasRemaining()) {
                        channel.write(encoded);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread writer = new Thread(task, "frame-writer");
            writer.setDaemon(true);
            writer.start();
        });
    }

    @Test
    void readsBackFramesOfEverySizeInOrder(EmbeddedEchoServer server) throws Exception {
        List<byte[]> sent = frames(0, 1, 3, 4, 5, 16 * 1024, 16 * 1024 + 1, 1 << 20, 0, 7);
        try (SocketChannel channel = SocketChannel.open(server.address())) {
            CompletableFuture<Void> writing = writeAll(channel, sent);
            FrameReader reader = new FrameReader(2 << 20);
            for (byte[] expected : sent) {
                assertArrayEquals(expected, reader.readFrame(channel));
            }
            writing.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @EchoServer(chunkSize = 1)
    void assemblesFramesFromOneByteReads(EmbeddedEchoServer server) throws Exception {
        List<byte[]> sent = frames(2, 0, 9);
        try (SocketChannel channel = SocketChannel.open(server.address())) {
            writeAll(channel, sent).get(10, TimeUnit.SECONDS);
            FrameReader reader = new FrameReader(100);
            for (byte[] expected : sent) {
                assertArrayEquals(expected, reader.readFrame(channel));
            }
        }
    }

    @Test
    void worksOnANonBlockingChannel(EmbeddedEchoServer server) throws Exception {
        List<byte[]> sent = frames(10, 20);
        try (SocketChannel channel = SocketChannel.open(server.address())) {
            writeAll(channel, sent).get(10, TimeUnit.SECONDS);
            channel.configureBlocking(false);
            FrameReader reader = new FrameReader(100);
            List<byte[]> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < 2 && System.nanoTime() - deadline < 0) {
                reader.readAvailable(channel);
                for (byte[] frame; (frame = reader.poll()) != null; ) {
                    received.add(frame);
                }
                Thread.onSpinWait();
            }
            assertArrayEquals(sent.get(0), received.get(0));
            assertArrayEquals(sent.get(1), received.get(1));
        }
    }

    @Test
    void rejectsAFrameLongerThanTheMaximumNamingItsLength(EmbeddedEchoServer server) throws Exception {
        try (SocketChannel channel = SocketChannel.open(server.address())) {
            writeAll(channel, frames(11)).get(10, TimeUnit.SECONDS);
            IOException e = assertThrows(IOException.class, () -> new FrameReader(10).readFrame(channel));
            assertTrue(e.getMessage().startsWith("frame length: 11 (expected: 0 to 10"), e.getMessage());
        }
    }

    @Test
    @EchoServer(closeAfter = 6) // the 4-byte header and 2 of 10 body bytes
    void reportsAnEndOfStreamInsideAFrame(EmbeddedEchoServer server) throws Exception {
        try (SocketChannel channel = SocketChannel.open(server.address())) {
            writeAll(channel, frames(10)).get(10, TimeUnit.SECONDS);
            EOFException e = assertThrows(EOFException.class, () -> new FrameReader(100).readFrame(channel));
            assertTrue(e.getMessage().contains("8 more body bytes"), e.getMessage());
        }
    }

    @Test
    @EchoServer(closeAfter = 4 + 5)
    void returnsNullOnAnEndOfStreamBetweenFrames(EmbeddedEchoServer server) throws Exception {
        List<byte[]> sent = frames(5);
        try (SocketChannel channel = SocketChannel.open(server.address())) {
            writeAll(channel, sent).get(10, TimeUnit.SECONDS);
            FrameReader reader = new FrameReader(100);
            assertArrayEquals(sent.get(0), reader.readFrame(channel));
            assertNull(reader.readFrame(channel));
        }
    }
}
