package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soak over TLS 1.2 and 1.3: concurrent {@code SSLSocket} clients each write random bytes,
 * half-close ({@code close_notify}) and read to the end; every byte comes back, in order
 * (SHA-256 of both sides), before the end of stream, under plain echo and under conditions.
 * Full scale ({@code -Psoak}): 20 connections x 4 MiB; short form: 4 x 256 KiB. See {@link Soak}.
 */
@org.junit.jupiter.api.Timeout(value = 15, unit = TimeUnit.MINUTES)
class SoakTlsTests {

    static final int CONNECTIONS = Soak.scale(4, 20);
    static final int VOLUME = Soak.scale(256 * 1024, 4 * 1024 * 1024);

    static Stream<Arguments> loads() {
        List<Arguments> loads = new ArrayList<>();
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            loads.add(Arguments.of(protocol, "plain echo, half-close", EchoBehavior.echo()));
            loads.add(Arguments.of(protocol, "latency 5ms + jitter 5ms, half-close",
                    EchoBehavior.echo().latency(Duration.ofMillis(5)).jitter(Duration.ofMillis(5))));
            loads.add(Arguments.of(protocol, "chunkSize(7), half-close", EchoBehavior.echo().chunkSize(7)));
        }
        return loads.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loads")
    void everyByteComesBackBeforeTheEndOfStream(String protocol, String load, EchoBehavior behavior) throws Exception {
        // chunkSize(n) writes at most n bytes a millisecond: keep its volume to what that allows
        int volume = behavior.chunkSize() > 0 ? Math.min(VOLUME, Soak.scale(7 * 400, 7 * 10_000)) : VOLUME;
        ExecutorService threads = Soak.threads("tls", 2 * CONNECTIONS);
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).behavior(behavior)
                .recordLimit(0).seed(7).start()) {
            Soak.measure("integrity TLS " + protocol, CONNECTIONS + " conns x " + Soak.size(volume) + ", " + load, () -> {
                List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
                List<byte[]> payloads = new ArrayList<>();
                List<TlsPeer> peers = new ArrayList<>();
                try {
                    for (int i = 0; i < CONNECTIONS; i++) {
                        byte[] payload = new byte[volume];
                        new SplittableRandom(100 + i).nextBytes(payload);
                        payloads.add(payload);
                        TlsPeer peer = TlsPeer.connect(server, server.sslContextForClients(), server.host(),
                                parameters -> parameters.setProtocols(new String[] {protocol}));
                        peers.add(peer);
                        peer.handshake();
                        echoes.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                return peer.readToEnd();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }, threads));
                        CompletableFuture.runAsync(() -> {
                            try {
                                peer.write(payload);
                                peer.shutdownOutput();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }, threads);
                    }
                    long lost = 0;
                    List<byte[]> echoed = new ArrayList<>();
                    for (int i = 0; i < CONNECTIONS; i++) {
                        echoed.add(echoes.get(i).get(10, TimeUnit.MINUTES));
                        lost += Math.max(0, payloads.get(i).length - echoed.get(i).length);
                    }
                    for (int i = 0; i < CONNECTIONS; i++) {
                        assertEquals(payloads.get(i).length, echoed.get(i).length,
                                lost + " bytes lost in all; bytes back on connection " + i);
                        assertArrayEquals(sha256(payloads.get(i)), sha256(echoed.get(i)), "SHA-256 of connection " + i);
                    }
                    return lost;
                } finally {
                    for (TlsPeer peer : peers) {
                        peer.close();
                    }
                }
            });
        } finally {
            threads.shutdownNow();
        }
    }

    private static byte[] sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
