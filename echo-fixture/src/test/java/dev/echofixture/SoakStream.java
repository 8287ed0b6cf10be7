package dev.echofixture;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One soak peer: writes {@code total} random bytes (from a seed) in random-sized writes on one
 * thread while another reads the echo, hashing both sides with SHA-256. Keeps the first
 * {@code keep} bytes sent, to compare with the server's recording.
 */
final class SoakStream implements AutoCloseable {

    /** What one stream saw: bytes sent and read, their hashes, the first bytes sent. */
    record Result(long sent, long received, byte[] sentHash, byte[] receivedHash, byte[] firstSent, boolean endOfStream) {

        boolean intact() {
            return sent == received && Arrays.equals(sentHash, receivedHash);
        }

        long lost() {
            return Math.max(0, sent - received);
        }
    }

    final SocketChannel channel;
    private final long total;
    private final long seed;
    private final int maxWrite;
    private final int keep;
    private volatile long written;

    private SoakStream(SocketChannel channel, long total, long seed, int maxWrite, int keep) {
        this.channel = channel;
        this.total = total;
        this.seed = seed;
        this.maxWrite = maxWrite;
        this.keep = keep;
    }

    static SoakStream open(SocketAddress address, long total, long seed, int maxWrite, int keep) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return new SoakStream(channel, total, seed, maxWrite, keep);
    }

    long written() {
        return written;
    }

    /** Starts the writer and the reader; completes once the reader saw {@code total} bytes or end of stream. */
    CompletableFuture<Result> run(Executor threads) {
        CompletableFuture<byte[][]> writer = CompletableFuture.supplyAsync(this::write, threads);
        CompletableFuture<Object[]> reader = CompletableFuture.supplyAsync(this::read, threads);
        return writer.thenCombine(reader, (w, r) -> new Result(written, (Long) r[0], w[0], (byte[]) r[1], w[1], (Boolean) r[2]));
    }

    private byte[][] write() {
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest digest = sha256();
        ByteBuffer first = ByteBuffer.allocate((int) Math.min(keep, total));
        byte[] chunk = new byte[maxWrite];
        try {
            while (written < total) {
                int n = (int) Math.min(total - written, 1 + random.nextInt(maxWrite));
                fill(random, chunk, n);
                digest.update(chunk, 0, n);
                if (first.hasRemaining()) {
                    first.put(chunk, 0, Math.min(n, first.remaining()));
                }
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                written += n;
            }
        } catch (IOException e) {
            // a fault test closed or reset the connection: the result says how far it got
        }
        return new byte[][] {digest.digest(), Arrays.copyOf(first.array(), first.position())};
    }

    private Object[] read() {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long received = 0;
        boolean end = false;
        try {
            while (received < total) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    end = true;
                    break;
                }
                digest.update(buffer.array(), 0, n);
                received += n;
            }
        } catch (IOException e) {
            end = true;
        }
        return new Object[] {received, digest.digest(), end};
    }

    /** The SHA-256 of the first {@code length} bytes this stream writes (or wrote): replays its random sequence. */
    byte[] prefixHash(long length) {
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest digest = sha256();
        byte[] chunk = new byte[maxWrite];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(total - done, 1 + random.nextInt(maxWrite));
            fill(random, chunk, n);
            int used = (int) Math.min(n, length - done);
            digest.update(chunk, 0, used);
            done += used;
        }
        return digest.digest();
    }

    private static void fill(SplittableRandom random, byte[] chunk, int n) {
        for (int i = 0; i < n; i += 8) {
            long bits = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                chunk[i + j] = (byte) (bits >>> (8 * j));
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
